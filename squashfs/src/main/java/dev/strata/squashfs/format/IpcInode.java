package dev.strata.squashfs.format;

import java.io.IOException;

/** A fifo or socket inode, basic (6, 7) or extended (13, 14). */
public record IpcInode(InodeHeader header, long nlink, int xattrIndex) implements Inode {
    @Override
    public void write(LeOutput out) {
        header.write(out);
        out.u32(nlink);
        if (header.extended()) {
            out.u32(xattrIndex & 0xFFFFFFFFL);
        }
    }

    static IpcInode readBody(InodeHeader h, LeInput in) throws IOException {
        long nlink = in.u32();
        int xattr = h.extended() ? in.i32() : FormatLimits.NONE;
        return new IpcInode(h, nlink, xattr);
    }
}
