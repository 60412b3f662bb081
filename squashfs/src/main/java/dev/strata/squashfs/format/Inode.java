package dev.strata.squashfs.format;

import java.io.IOException;

/** One inode record of the inode table; each kind reads and writes its own layout. */
public sealed interface Inode permits DirectoryInode, FileInode, SymlinkInode, DeviceInode, IpcInode {
    InodeHeader header();

    /** Index into the xattr id table, or FormatLimits.NONE. */
    int xattrIndex();

    long nlink();

    void write(LeOutput out);

    /**
     * Reads one inode.
     *
     * @param blockSize     the image's block size, to count a file's blocks
     * @param maxBlockCount a bound on a file's block count from the image size, so that a corrupt size
     *                      cannot make the reader allocate without limit
     */
    static Inode read(LeInput in, int blockSize, long maxBlockCount) throws IOException {
        InodeHeader h = InodeHeader.read(in);
        return switch (h.type()) {
            case DIRECTORY -> DirectoryInode.readBody(h, in);
            case FILE -> FileInode.readBody(h, in, blockSize, maxBlockCount);
            case SYMLINK -> SymlinkInode.readBody(h, in);
            case BLOCK_DEVICE, CHAR_DEVICE -> DeviceInode.readBody(h, in);
            case FIFO, SOCKET -> IpcInode.readBody(h, in);
        };
    }
}
