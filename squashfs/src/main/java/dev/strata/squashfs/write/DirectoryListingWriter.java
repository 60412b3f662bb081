package dev.strata.squashfs.write;

import dev.strata.squashfs.format.DirectoryEntry;
import dev.strata.squashfs.format.DirectoryHeader;
import dev.strata.squashfs.format.DirectoryIndexEntry;
import dev.strata.squashfs.format.FormatLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one directory's listing into the directory table: runs of entries behind headers, a new
 * header whenever the inode block changes, the inode delta leaves 16 bits, a run reaches 256 entries
 * or the listing moves into another metadata block; one index entry per header that starts in a new
 * metadata block, for the extended inode's fast lookup.
 */
final class DirectoryListingWriter {
    /** A child as the listing needs it. */
    record Child(byte[] name, long inodeBlock, int inodeOffset, long inodeNumber, int basicType) {
    }

    /** Where the listing went: reference fields for the inode, its size (+3) and its index. */
    record Listing(long blockStart, int blockOffset, long fileSize, List<DirectoryIndexEntry> index) {
    }

    private final MetadataWriter table;

    DirectoryListingWriter(MetadataWriter table) {
        this.table = table;
    }

    Listing write(List<Child> children) {
        long blockStart = table.currentBlockStart();
        int blockOffset = table.currentOffset();
        long listingStart = table.uncompressedPosition();
        List<DirectoryIndexEntry> index = new ArrayList<>();
        int i = 0;
        long previousHeaderBlock = -1;
        while (i < children.size()) {
            Child first = children.get(i);
            long headerPos = table.uncompressedPosition();
            long headerBlock = headerPos / FormatLimits.METADATA_BLOCK_SIZE;
            // how many children fit this run
            int count = 1;
            long runEnd = headerPos + DirectoryHeader.SIZE + DirectoryEntry.FIXED_SIZE + first.name().length;
            while (i + count < children.size() && count < FormatLimits.DIRECTORY_HEADER_MAX_ENTRIES) {
                Child next = children.get(i + count);
                long delta = next.inodeNumber() - first.inodeNumber();
                long end = runEnd + DirectoryEntry.FIXED_SIZE + next.name().length;
                if (next.inodeBlock() != first.inodeBlock() || delta < Short.MIN_VALUE || delta > Short.MAX_VALUE
                        || (end - 1) / FormatLimits.METADATA_BLOCK_SIZE != headerBlock) {
                    break;
                }
                runEnd = end;
                count++;
            }
            if (previousHeaderBlock >= 0 && headerBlock != previousHeaderBlock) {
                index.add(new DirectoryIndexEntry(headerPos - listingStart, table.currentBlockStart(), first.name()));
            }
            previousHeaderBlock = headerBlock;
            new DirectoryHeader(count, first.inodeBlock(), first.inodeNumber()).write(table);
            for (int k = 0; k < count; k++) {
                Child c = children.get(i + k);
                new DirectoryEntry(c.inodeOffset(), (short) (c.inodeNumber() - first.inodeNumber()), c.basicType(),
                        c.name()).write(table);
            }
            i += count;
        }
        long size = table.uncompressedPosition() - listingStart + FormatLimits.DIRECTORY_SIZE_BIAS;
        return new Listing(blockStart, blockOffset, size, index);
    }
}
