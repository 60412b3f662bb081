package dev.strata.squashfs.write;

import dev.strata.squashfs.format.DirectoryEntry;
import dev.strata.squashfs.format.DirectoryHeader;
import dev.strata.squashfs.format.DirectoryIndexEntry;
import dev.strata.squashfs.format.FormatLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one directory's listing into the directory table by mksquashfs 4.5's rules, so that an image
 * of the same tree has the same directory table: runs of entries behind headers, a new header
 * whenever the inode block changes, the inode delta leaves 16 bits, a run reaches 256 entries, or
 * the listing since the last index point would pass 8 KiB; that last kind of header also gets an
 * index entry (name and place) for the kernel's lookups in a large directory.
 */
final class DirectoryListingWriter {
    /** A directory of at least this many entries is "large": extended inode with its index. */
    static final int LARGE_ENTRIES = 257;

    /** A child as the listing needs it. */
    record Child(byte[] name, long inodeBlock, int inodeOffset, long inodeNumber, int basicType) {
    }

    /**
     * Where the listing went: reference fields for the inode, its size (+3), its index, and whether
     * mksquashfs would call the directory large (then its inode is the extended one, with the index).
     */
    record Listing(long blockStart, int blockOffset, long fileSize, List<DirectoryIndexEntry> index, boolean large) {
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
        long position = listingStart;
        long indexPoint = listingStart;
        int runStart = 0;
        for (int i = 0; i < children.size(); i++) {
            Child c = children.get(i);
            int entrySize = DirectoryEntry.FIXED_SIZE + c.name().length;
            boolean headed = i > 0;
            Child first = headed ? children.get(runStart) : null;
            boolean pastIndexPoint = headed && position + entrySize - indexPoint > FormatLimits.METADATA_BLOCK_SIZE;
            if (!headed || i - runStart == FormatLimits.DIRECTORY_HEADER_MAX_ENTRIES
                    || c.inodeBlock() != first.inodeBlock() || outOfDeltaRange(c.inodeNumber() - first.inodeNumber())
                    || pastIndexPoint) {
                if (headed) {
                    writeRun(children, runStart, i);
                }
                if (pastIndexPoint) {
                    // the header about to be written starts in the table's current block
                    index.add(new DirectoryIndexEntry(position - listingStart, table.currentBlockStart(), c.name()));
                    indexPoint = position;
                }
                runStart = i;
                position += DirectoryHeader.SIZE;
            }
            position += entrySize;
        }
        if (!children.isEmpty()) {
            writeRun(children, runStart, children.size());
        }
        long size = table.uncompressedPosition() - listingStart + FormatLimits.DIRECTORY_SIZE_BIAS;
        return new Listing(blockStart, blockOffset, size, index, isLarge(children));
    }

    private void writeRun(List<Child> children, int from, int to) {
        Child first = children.get(from);
        new DirectoryHeader(to - from, first.inodeBlock(), first.inodeNumber()).write(table);
        for (int k = from; k < to; k++) {
            Child c = children.get(k);
            new DirectoryEntry(c.inodeOffset(), (short) (c.inodeNumber() - first.inodeNumber()), c.basicType(),
                    c.name()).write(table);
        }
    }

    private static boolean outOfDeltaRange(long delta) {
        return delta < Short.MIN_VALUE || delta > Short.MAX_VALUE;
    }

    /** mksquashfs's test: 257 entries or more, or 8 KiB of entries without their headers. */
    private static boolean isLarge(List<Child> children) {
        if (children.size() >= LARGE_ENTRIES) {
            return true;
        }
        long bytes = 0;
        for (Child c : children) {
            bytes += DirectoryEntry.FIXED_SIZE + c.name().length;
        }
        return bytes >= FormatLimits.METADATA_BLOCK_SIZE;
    }
}
