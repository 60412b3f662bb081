package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import java.io.IOException;
import java.util.Objects;

/**
 * How an image is read: cache sizes, the largest file block list accepted, and where decompressors
 * come from. Immutable.
 *
 * @param metadataCacheBytes decompressed metadata blocks kept (8 KiB each)
 * @param dataCacheBytes     decompressed data and fragment blocks kept
 * @param maxFileBlocks      the most data blocks one file may have; a bound on what a forged inode can
 *                           make the reader allocate (16 Mi blocks: 2 TiB with 128 KiB blocks)
 * @param compressors        makes the decompressor from the superblock's id and options block
 */
public record ReaderOptions(long metadataCacheBytes, long dataCacheBytes, int maxFileBlocks,
                            CompressorFactory compressors) {
    public static final long DEFAULT_METADATA_CACHE = 2L << 20;
    public static final long DEFAULT_DATA_CACHE = 8L << 20;
    public static final int DEFAULT_MAX_FILE_BLOCKS = 1 << 24;

    public ReaderOptions {
        if (metadataCacheBytes < 0 || dataCacheBytes < 0) {
            throw new IllegalArgumentException("cache sizes must not be negative");
        }
        if (maxFileBlocks < 1 || maxFileBlocks > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxFileBlocks out of range: " + maxFileBlocks);
        }
        Objects.requireNonNull(compressors, "compressors");
    }

    public static ReaderOptions defaults() {
        return new ReaderOptions(DEFAULT_METADATA_CACHE, DEFAULT_DATA_CACHE, DEFAULT_MAX_FILE_BLOCKS,
                Compressors::fromOptionsBlock);
    }

    public ReaderOptions withCompressors(CompressorFactory factory) {
        return new ReaderOptions(metadataCacheBytes, dataCacheBytes, maxFileBlocks, factory);
    }

    public ReaderOptions withCaches(long metadataBytes, long dataBytes) {
        return new ReaderOptions(metadataBytes, dataBytes, maxFileBlocks, compressors);
    }

    public ReaderOptions withMaxFileBlocks(int max) {
        return new ReaderOptions(metadataCacheBytes, dataCacheBytes, max, compressors);
    }

    /** Makes a decompressor for an image. */
    @FunctionalInterface
    public interface CompressorFactory {
        /**
         * @param optionsOrNull the compressor options block payload, or null when the image has none
         */
        Compressor create(CompressorId id, byte[] optionsOrNull, int blockSize) throws IOException;
    }
}
