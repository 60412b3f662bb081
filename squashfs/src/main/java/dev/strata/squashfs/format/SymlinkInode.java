package dev.strata.squashfs.format;

import java.io.IOException;

/** A symlink inode, basic (type 3) or extended (type 10, only to carry xattrs). */
public record SymlinkInode(InodeHeader header, long nlink, byte[] target, int xattrIndex) implements Inode {
    /** Longer targets are refused by the kernel (PAGE_SIZE) and by the readers we check against. */
    public static final int MAX_TARGET = 4096;
    /**
     * The longest target a writer may store: the kernel reads a symlink into one page and
     * NUL-terminates it there (page_get_link), so a 4096-byte target reads back cut to 4095 bytes
     * while stat still reports 4096. PATH_MAX - 1, as on every Linux file system.
     */
    public static final int KERNEL_MAX_TARGET = 4095;

    @Override
    public void write(LeOutput out) {
        header.write(out);
        out.u32(nlink);
        out.u32(target.length);
        out.bytes(target);
        if (header.extended()) {
            out.u32(xattrIndex & 0xFFFFFFFFL);
        }
    }

    static SymlinkInode readBody(InodeHeader h, LeInput in) throws IOException {
        long nlink = in.u32();
        long size = in.u32();
        if (size == 0 || size > MAX_TARGET) {
            throw new CorruptImageException(in.imageOffset(), "symlink inode " + h.inodeNumber() + " has a target of " + size
                    + " bytes (1.." + MAX_TARGET + " allowed) at " + in.position());
        }
        byte[] target = in.bytes((int) size);
        int xattr = h.extended() ? in.i32() : FormatLimits.NONE;
        return new SymlinkInode(h, nlink, target, xattr);
    }
}
