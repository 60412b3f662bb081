package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;

/**
 * One metadata table (inodes, directories, xattr key/values): a run of metadata blocks between start
 * and end. References into it are (block start relative to the table) &lt;&lt; 16 | offset.
 *
 * @param name  for error messages ("inode table")
 * @param start image position of the first block
 * @param end   image position just past the last block
 */
record MetadataTable(String name, long start, long end, BlockReader blocks) {

    long length() {
        return end - start;
    }

    /** A stream of the table's bytes starting at a reference. */
    MetadataInput open(long reference) throws CorruptImageException {
        return open(FormatLimits.referenceBlock(reference), FormatLimits.referenceOffset(reference));
    }

    MetadataInput open(long blockStart, int offset) throws CorruptImageException {
        if (blockStart < 0 || blockStart >= length()) {
            throw new CorruptImageException(start, name + " reference to block " + blockStart
                    + " lies outside the table's " + length() + " bytes");
        }
        if (offset < 0 || offset >= FormatLimits.METADATA_BLOCK_SIZE) {
            throw new CorruptImageException(start + blockStart, name + " reference to offset " + offset
                    + " inside a metadata block");
        }
        return new MetadataInput(blocks, name, start + blockStart, offset, end);
    }
}
