package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.LeOutput;
import java.io.ByteArrayOutputStream;

/**
 * Builds one metadata table (inodes, directories, lookup-table contents) in memory as a run of 8 KiB
 * metadata blocks, each compressed when that makes it smaller. References are computed from the real
 * compressed sizes of the blocks written so far.
 */
final class MetadataWriter implements LeOutput {
    private final Compressor compressor;
    private final boolean compress;
    private final ByteArrayOutputStream blocks = new ByteArrayOutputStream();
    private final byte[] current = new byte[FormatLimits.METADATA_BLOCK_SIZE];
    private int used;
    private long uncompressedWritten;

    MetadataWriter(Compressor compressor, boolean compress) {
        this.compressor = compressor;
        this.compress = compress;
    }

    /** Table-relative start of the block now being filled. */
    long currentBlockStart() {
        return blocks.size();
    }

    int currentOffset() {
        return used;
    }

    /** A reference to the next byte written. */
    long reference() {
        return FormatLimits.reference(currentBlockStart(), used);
    }

    /** Bytes written so far, as if the uncompressed blocks were laid end to end. */
    long uncompressedPosition() {
        return uncompressedWritten;
    }

    @Override
    public void u8(int v) {
        current[used++] = (byte) v;
        uncompressedWritten++;
        if (used == current.length) {
            flushBlock();
        }
    }

    @Override
    public void u16(int v) {
        u8(v);
        u8(v >>> 8);
    }

    @Override
    public void u32(long v) {
        u16((int) v);
        u16((int) (v >>> 16));
    }

    @Override
    public void u64(long v) {
        u32(v);
        u32(v >>> 32);
    }

    @Override
    public void bytes(byte[] b) {
        int off = 0;
        while (off < b.length) {
            int n = Math.min(b.length - off, current.length - used);
            System.arraycopy(b, off, current, used, n);
            used += n;
            off += n;
            uncompressedWritten += n;
            if (used == current.length) {
                flushBlock();
            }
        }
    }

    private void flushBlock() {
        byte[] packed = compress ? compressor.compressMetadata(current, 0, used) : null;
        if (packed != null) {
            writeHeader(packed.length);
            blocks.write(packed, 0, packed.length);
        } else {
            writeHeader(used | FormatLimits.METADATA_UNCOMPRESSED);
            blocks.write(current, 0, used);
        }
        used = 0;
    }

    private void writeHeader(int header) {
        blocks.write(header & 0xFF);
        blocks.write(header >>> 8);
    }

    /** Flushes a partly filled last block and returns the whole table. */
    byte[] finish() {
        if (used > 0) {
            flushBlock();
        }
        return blocks.toByteArray();
    }

    /** Table-relative starts of every block written (after finish), for lookup-table index arrays. */
    static long[] blockStarts(byte[] table) {
        int count = 0;
        for (int pos = 0; pos < table.length; count++) {
            pos += 2 + ((table[pos] & 0xFF) | (table[pos + 1] & 0x7F) << 8);
        }
        long[] starts = new long[count];
        int i = 0;
        for (int pos = 0; pos < table.length; i++) {
            starts[i] = pos;
            pos += 2 + ((table[pos] & 0xFF) | (table[pos + 1] & 0x7F) << 8);
        }
        return starts;
    }
}
