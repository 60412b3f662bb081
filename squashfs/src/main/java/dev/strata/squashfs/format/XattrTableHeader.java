package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * Stored uncompressed where the superblock's xattr_id_table_start points, followed by the id table's
 * block positions.
 *
 * @param kvStart absolute position of the first key/value metadata block
 * @param idCount number of xattr id entries
 */
public record XattrTableHeader(long kvStart, long idCount) {
    public static final int SIZE = 16;

    public void write(LeOutput out) {
        out.u64(kvStart);
        out.u32(idCount);
        out.u32(0);
    }

    public static XattrTableHeader read(LeInput in) throws IOException {
        long start = in.u64();
        long count = in.u32();
        in.u32();
        return new XattrTableHeader(start, count);
    }
}
