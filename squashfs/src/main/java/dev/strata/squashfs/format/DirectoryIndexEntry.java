package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * An extended directory's index entry: where a directory header starts, so lookups can skip ahead.
 *
 * @param index      byte offset of the header from the start of this directory's listing
 * @param blockStart the directory-table-relative start of the metadata block holding that header
 * @param name       the first name after the header
 */
public record DirectoryIndexEntry(long index, long blockStart, byte[] name) {
    public void write(LeOutput out) {
        out.u32(index);
        out.u32(blockStart);
        out.u32(name.length - 1);
        out.bytes(name);
    }

    public int size() {
        return 12 + name.length;
    }

    public static DirectoryIndexEntry read(LeInput in) throws IOException {
        long index = in.u32();
        long start = in.u32();
        long nameSize = in.u32() + 1;
        if (nameSize > 256) {
            throw new CorruptImageException(in.imageOffset(), "directory index name of " + nameSize + " bytes at " + in.position());
        }
        return new DirectoryIndexEntry(index, start, in.bytes((int) nameSize));
    }
}
