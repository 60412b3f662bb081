package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * Starts a run of directory entries that share one inode-table block and a base inode number.
 *
 * @param count       number of entries that follow (1..256; stored minus one)
 * @param inodeBlock  start of the inode table block holding their inodes, relative to the table
 * @param inodeNumber base inode number; entries store a signed 16-bit difference
 */
public record DirectoryHeader(int count, long inodeBlock, long inodeNumber) {
    public static final int SIZE = 12;

    public void write(LeOutput out) {
        out.u32(count - 1L);
        out.u32(inodeBlock);
        out.u32(inodeNumber);
    }

    public static DirectoryHeader read(LeInput in) throws IOException {
        Object where = in.mark();
        long at = in.imageOffset();
        long count = in.u32() + 1;
        if (count > FormatLimits.DIRECTORY_HEADER_MAX_ENTRIES) {
            throw new CorruptImageException(at, "directory header claims " + count + " entries (at most "
                    + FormatLimits.DIRECTORY_HEADER_MAX_ENTRIES + ") at " + where);
        }
        return new DirectoryHeader((int) count, in.u32(), in.u32());
    }
}
