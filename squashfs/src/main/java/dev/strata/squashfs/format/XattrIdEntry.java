package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * An xattr id table entry: one inode's set of key/value pairs.
 *
 * @param kvReference metadata reference of the first pair, relative to the key/value area start
 * @param count       number of pairs
 * @param size        the listxattr size of the set: names with their NUL terminators plus values (as
 *                    mksquashfs writes it; the kernel ignores it)
 */
public record XattrIdEntry(long kvReference, long count, long size) {
    public static final int SIZE = FormatLimits.XATTR_ID_ENTRY_SIZE;

    public void write(LeOutput out) {
        out.u64(kvReference);
        out.u32(count);
        out.u32(size);
    }

    public static XattrIdEntry read(LeInput in) throws IOException {
        return new XattrIdEntry(in.u64(), in.u32(), in.u32());
    }
}
