package dev.strata.squashfs.read;

import dev.strata.squashfs.format.ByteBufferLe;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A lookup table (fragments, export, ids, xattr ids): fixed-size entries in metadata blocks, found
 * through an uncompressed array of the blocks' image positions. The array is validated the way the
 * kernel does before anything is read through it.
 */
final class LookupTable {
    private final String name;
    private final BlockReader blocks;
    private final long[] blockPositions;
    private final long indexStart;
    private final int entrySize;
    private final long count;

    private LookupTable(String name, BlockReader blocks, long[] blockPositions, long indexStart, int entrySize,
                        long count) {
        this.name = name;
        this.blocks = blocks;
        this.blockPositions = blockPositions;
        this.indexStart = indexStart;
        this.entrySize = entrySize;
        this.count = count;
    }

    /**
     * Reads and checks the index array at indexStart.
     *
     * @param lowest    no block may start before this (the end of the table before it, as far as known)
     * @param nextTable the array must end at or before this position (the start of the next table)
     */
    static LookupTable read(String name, ImageChannel image, BlockReader blocks, long indexStart, long count,
                            int entrySize, long lowest, long nextTable) throws IOException {
        long bytes = count * entrySize;
        long indexCount = (bytes + FormatLimits.METADATA_BLOCK_SIZE - 1) / FormatLimits.METADATA_BLOCK_SIZE;
        if (count < 0 || indexStart < lowest || indexStart > nextTable
                || indexCount > (nextTable - indexStart) / 8) {
            throw new CorruptImageException(indexStart, name + " of " + count + " entries needs an index of "
                    + indexCount + " block positions at byte " + indexStart + ", which does not fit between byte "
                    + lowest + " and the next table at byte " + nextTable);
        }
        byte[] raw = image.read(indexStart, (int) indexCount * 8, name + " index");
        ByteBufferLe in = new ByteBufferLe(ByteBuffer.wrap(raw), indexStart, name + " index");
        long[] positions = new long[(int) indexCount];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = in.u64();
        }
        long maxBlock = 2L + FormatLimits.METADATA_BLOCK_SIZE;
        for (int i = 0; i < positions.length; i++) {
            long start = positions[i];
            long end = i + 1 < positions.length ? positions[i + 1] : indexStart;
            if (start < lowest || start >= end || end - start > maxBlock) {
                throw new CorruptImageException(indexStart + 8L * i, name + " index entry " + i + " points at byte "
                        + start + ", not a metadata block between byte " + lowest + " and byte " + end);
            }
        }
        return new LookupTable(name, blocks, positions, indexStart, entrySize, count);
    }

    static LookupTable empty(String name, BlockReader blocks, long position, int entrySize) {
        return new LookupTable(name, blocks, new long[0], position, entrySize, 0);
    }

    long count() {
        return count;
    }

    /** Image position of the first metadata block (where the table's stored bytes begin). */
    long firstBlock() {
        return blockPositions.length == 0 ? indexStart : blockPositions[0];
    }

    long indexStart() {
        return indexStart;
    }

    /** Stored bytes: the metadata blocks and the index array. */
    long storedBytes() {
        return indexStart + 8L * blockPositions.length - firstBlock();
    }

    /** The stream of entry i's bytes. */
    MetadataInput entry(long i) throws IOException {
        if (i < 0 || i >= count) {
            throw new CorruptImageException(-1, name + " entry " + Long.toUnsignedString(i) + " requested, but the"
                    + " table has " + count + " entries");
        }
        long byteOffset = i * entrySize;
        int block = (int) (byteOffset / FormatLimits.METADATA_BLOCK_SIZE);
        int offset = (int) (byteOffset % FormatLimits.METADATA_BLOCK_SIZE);
        long end = block + 1 < blockPositions.length ? blockPositions[block + 1] : indexStart;
        return new MetadataInput(blocks, name, blockPositions[block], offset, end);
    }
}
