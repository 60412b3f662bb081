package dev.strata.squashfs.nio;

import java.io.IOException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The "basic", "posix" and "owner" views: attributes are read when asked for (the file need not
 * exist when the view is made); every setter throws ReadOnlyFileSystemException.
 */
final class PosixView implements PosixFileAttributeView {
    private final SquashfsPath path;
    private final boolean followLinks;
    private final String name;

    PosixView(SquashfsPath path, boolean followLinks, String name) {
        this.path = path;
        this.followLinks = followLinks;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PosixFileAttributes readAttributes() throws IOException {
        return path.getFileSystem().attributes(path, followLinks);
    }

    @Override
    public UserPrincipal getOwner() throws IOException {
        return readAttributes().owner();
    }

    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
        throw readOnly();
    }

    @Override
    public void setPermissions(Set<PosixFilePermission> perms) {
        throw readOnly();
    }

    @Override
    public void setGroup(GroupPrincipal group) {
        throw readOnly();
    }

    @Override
    public void setOwner(UserPrincipal owner) {
        throw readOnly();
    }

    private ReadOnlyFileSystemException readOnly() {
        path.getFileSystem().ensureOpen();
        return new ReadOnlyFileSystemException();
    }
}
