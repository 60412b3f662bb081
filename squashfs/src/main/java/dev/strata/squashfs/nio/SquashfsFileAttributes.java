package dev.strata.squashfs.nio;

import dev.strata.squashfs.read.ImageInode;

/** What stat shows for an inode of an image. */
final class SquashfsFileAttributes extends InodeAttributes {
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
    public int mode() {
        return inode.mode();
    }

    @Override
    public long mtimeSeconds() {
        return inode.mtime();
    }

    @Override
    public long uid() {
        return inode.uid();
    }

    @Override
    public long gid() {
        return inode.gid();
    }

    @Override
    public long nlink() {
        return inode.nlink();
    }

    @Override
    public long rdev() {
        return Integer.toUnsignedLong(inode.rdev());
    }

    @Override
    public long ino() {
        return inode.number();
    }

    @Override
    public long dev() {
        return device;
    }

    @Override
    public long size() {
        return inode.size();
    }
}
