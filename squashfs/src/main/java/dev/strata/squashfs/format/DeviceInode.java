package dev.strata.squashfs.format;

import java.io.IOException;

/** A block or character device inode, basic (4, 5) or extended (11, 12). rdev uses new_encode_dev. */
public record DeviceInode(InodeHeader header, long nlink, int rdev, int xattrIndex) implements Inode {
    @Override
    public void write(LeOutput out) {
        header.write(out);
        out.u32(nlink);
        out.u32(rdev & 0xFFFFFFFFL);
        if (header.extended()) {
            out.u32(xattrIndex & 0xFFFFFFFFL);
        }
    }

    static DeviceInode readBody(InodeHeader h, LeInput in) throws IOException {
        long nlink = in.u32();
        int rdev = in.i32();
        int xattr = h.extended() ? in.i32() : FormatLimits.NONE;
        return new DeviceInode(h, nlink, rdev, xattr);
    }
}
