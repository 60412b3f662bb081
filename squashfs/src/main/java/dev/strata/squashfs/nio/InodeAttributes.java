package dev.strata.squashfs.nio;

import dev.strata.squashfs.tree.NodeType;
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
 * What stat shows for one inode, in the basic, posix and unix views, from the few numbers a SquashFS
 * or overlay inode has. Shared by the image file system and the merged (overlay) view, so both name
 * and type the unix view's attributes as the JDK's default file system does (mode, uid, gid, nlink as
 * Integer; ino, dev, rdev as Long; ctime a FileTime). One time per inode, the modification time, is
 * also reported as access, change and creation time, as Linux file systems without birth times do.
 */
public abstract class InodeAttributes implements PosixFileAttributes {
    /** st_mode: file type bits and permissions. */
    public abstract int mode();

    public abstract long mtimeSeconds();

    public abstract long uid();

    public abstract long gid();

    public abstract long nlink();

    /** Device number of a device node, else 0. */
    public abstract long rdev();

    /** st_ino: unique within the file system, shared by hard links. */
    public abstract long ino();

    /** st_dev: the file system's device number. */
    public abstract long dev();

    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(mtimeSeconds(), TimeUnit.SECONDS);
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
        return (mode() & NodeType.TYPE_MASK) == NodeType.FILE.modeBits();
    }

    @Override
    public boolean isDirectory() {
        return (mode() & NodeType.TYPE_MASK) == NodeType.DIRECTORY.modeBits();
    }

    @Override
    public boolean isSymbolicLink() {
        return (mode() & NodeType.TYPE_MASK) == NodeType.SYMLINK.modeBits();
    }

    @Override
    public boolean isOther() {
        return !isRegularFile() && !isDirectory() && !isSymbolicLink();
    }

    @Override
    public Object fileKey() {
        return new InodeKey(dev(), ino());
    }

    @Override
    public UserPrincipal owner() {
        return new NumericPrincipal(uid(), false);
    }

    @Override
    public GroupPrincipal group() {
        return new NumericPrincipal(gid(), true);
    }

    @Override
    public Set<PosixFilePermission> permissions() {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode() & (0400 >> p.ordinal())) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    /**
     * The attributes of one view by name: "basic"; "posix" (basic plus owner, group, permissions);
     * "unix" (posix plus mode, ino, dev, rdev, nlink, uid, gid, ctime); "owner" (owner only).
     */
    public Map<String, Object> view(String view) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (view.equals("owner")) {
            m.put("owner", owner());
            return m;
        }
        m.put("lastModifiedTime", lastModifiedTime());
        m.put("lastAccessTime", lastAccessTime());
        m.put("creationTime", creationTime());
        m.put("size", size());
        m.put("isRegularFile", isRegularFile());
        m.put("isDirectory", isDirectory());
        m.put("isSymbolicLink", isSymbolicLink());
        m.put("isOther", isOther());
        m.put("fileKey", fileKey());
        if (view.equals("basic")) {
            return m;
        }
        m.put("owner", owner());
        m.put("group", group());
        m.put("permissions", permissions());
        if (view.equals("posix")) {
            return m;
        }
        m.put("mode", mode());
        m.put("ino", ino());
        m.put("dev", dev());
        m.put("rdev", rdev());
        m.put("nlink", (int) nlink());
        m.put("uid", (int) uid());
        m.put("gid", (int) gid());
        m.put("ctime", lastModifiedTime());
        return m;
    }
}
