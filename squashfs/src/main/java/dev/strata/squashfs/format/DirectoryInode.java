package dev.strata.squashfs.format;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory inode, basic (type 1) or extended (type 8, with xattrs, a large listing or an index).
 *
 * @param blockStart  start of the listing's metadata block, relative to the directory table
 * @param fileSize    listing size in bytes + 3
 * @param blockOffset offset of the listing within that block
 * @param parentInode the parent's inode number (the root's is inode_count + 1)
 */
public record DirectoryInode(InodeHeader header, long nlink, long blockStart, long fileSize, int blockOffset,
                             long parentInode, List<DirectoryIndexEntry> index, int xattrIndex) implements Inode {

    public DirectoryInode {
        index = List.copyOf(index);
    }

    @Override
    public void write(LeOutput out) {
        header.write(out);
        if (!header.extended()) {
            out.u32(blockStart);
            out.u32(nlink);
            out.u16((int) fileSize);
            out.u16(blockOffset);
            out.u32(parentInode);
            return;
        }
        out.u32(nlink);
        out.u32(fileSize);
        out.u32(blockStart);
        out.u32(parentInode);
        out.u16(index.size());
        out.u16(blockOffset);
        out.u32(xattrIndex);
        for (DirectoryIndexEntry e : index) {
            e.write(out);
        }
    }

    static DirectoryInode readBody(InodeHeader h, LeInput in) throws IOException {
        if (!h.extended()) {
            long blockStart = in.u32();
            long nlink = in.u32();
            int fileSize = in.u16();
            int offset = in.u16();
            long parent = in.u32();
            return new DirectoryInode(h, nlink, blockStart, fileSize, offset, parent, List.of(), FormatLimits.NONE);
        }
        long nlink = in.u32();
        long fileSize = in.u32();
        long blockStart = in.u32();
        long parent = in.u32();
        int indexCount = in.u16();
        int offset = in.u16();
        int xattr = in.i32();
        List<DirectoryIndexEntry> index = new ArrayList<>(Math.min(indexCount, 1024));
        for (int i = 0; i < indexCount; i++) {
            index.add(DirectoryIndexEntry.read(in));
        }
        return new DirectoryInode(h, nlink, blockStart, fileSize, offset, parent, index, xattr);
    }
}
