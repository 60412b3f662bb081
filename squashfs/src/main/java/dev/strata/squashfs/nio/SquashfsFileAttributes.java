package dev.strata.squashfs.nio;

import dev.strata.squashfs.read.ImageInode;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What stat shows for an inode of an image. SquashFS keeps one time per inode, the modification
 * time; it is also reported as access, change and creation time, as Linux file systems without birth
 * times do.
 */
final class SquashfsFileAttributes implements PosixFileAttributes {
    private final ImageInode inode;
    private final long device;

    SquashfsFileAttributes(ImageInode inode, long device) {
        this.inode = inode;
        this.device = device;
    }

    ImageInode inode() {
        return inode;
    }

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(inode.mtime(), TimeUnit.SECONDS);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return inode.isFile();
    }

    @Override
    public boolean isDirectory() {
        return inode.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
        return inode.isSymlink();
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public long size() {
        return inode.size();
    }

    @Override
    public Object fileKey() {
        return new InodeKey(device, inode.number());
    }

    @Override
    public UserPrincipal owner() {
        return new NumericPrincipal(inode.uid(), false);
    }

    @Override
    public GroupPrincipal group() {
        return new NumericPrincipal(inode.gid(), true);
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((inode.permissions() & (0400 >> p.ordinal())) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    /** The "basic" view's attributes by name. */
    Map<String, Object> basicMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastModifiedTime", lastModifiedTime());
        m.put("lastAccessTime", lastAccessTime());
        m.put("creationTime", creationTime());
        m.put("size", size());
        m.put("isRegularFile", isRegularFile());
        m.put("isDirectory", isDirectory());
        m.put("isSymbolicLink", isSymbolicLink());
        m.put("isOther", isOther());
        m.put("fileKey", fileKey());
        return m;
    }

    /** The "posix" view: basic plus owner, group and permissions. */
    Map<String, Object> posixMap() {
        Map<String, Object> m = basicMap();
        m.put("owner", owner());
        m.put("group", group());
        m.put("permissions", permissions());
        return m;
    }

    /**
     * The "unix" view with the JDK's names and types (mode, uid, gid, nlink as Integer; ino, dev, rdev
     * as Long; ctime a FileTime), so code written against the default file system's view works here.
     */
    Map<String, Object> unixMap() {
        Map<String, Object> m = posixMap();
        m.put("mode", inode.mode());
        m.put("ino", inode.number());
        m.put("dev", device);
        m.put("rdev", Integer.toUnsignedLong(inode.rdev()));
        m.put("nlink", (int) inode.nlink());
        m.put("uid", (int) inode.uid());
        m.put("gid", (int) inode.gid());
        m.put("ctime", lastModifiedTime());
        return m;
    }
}
