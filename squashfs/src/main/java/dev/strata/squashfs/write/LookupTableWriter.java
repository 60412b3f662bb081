package dev.strata.squashfs.write;

import dev.strata.squashfs.compress.Compressor;
import java.io.IOException;

/**
 * Writes a lookup table (fragments, export, ids, xattr ids): the entries as metadata blocks, then an
 * uncompressed array of the blocks' absolute positions. Returns where that array starts, which is
 * what the superblock points at.
 */
final class LookupTableWriter {
    private LookupTableWriter() {
    }

    interface Entries {
        void writeTo(MetadataWriter table);
    }

    static long write(ImageOutput out, Compressor compressor, boolean compress, Entries entries) throws IOException {
        MetadataWriter table = new MetadataWriter(compressor, compress);
        entries.writeTo(table);
        byte[] blocks = table.finish();
        long tableStart = out.position();
        out.write(blocks);
        long indexStart = out.position();
        long[] starts = MetadataWriter.blockStarts(blocks);
        java.nio.ByteBuffer index = java.nio.ByteBuffer.allocate(starts.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long s : starts) {
            index.putLong(tableStart + s);
        }
        out.write(index.array());
        return indexStart;
    }
}
