package dev.strata.squashfs.compress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One SquashFS compressor with its settings fixed. Implementations are immutable and thread-safe:
 * the writer calls {@link #compress} from several threads at once.
 */
public interface Compressor {
    CompressorId id();

    /**
     * The compressor options block payload exactly as mksquashfs writes it (without the metadata
     * header), or empty when mksquashfs would omit it for these settings.
     */
    Optional<byte[]> optionsBlock();

    /**
     * Compresses src[off, off+len) as one SquashFS block (metadata or data).
     *
     * @return the compressed bytes, or null when they would not be smaller than len (the caller then
     *         stores the block uncompressed)
     */
    byte[] compress(byte[] src, int off, int len);

    /**
     * Compresses one metadata block (inode, directory, fragment, id, export or xattr table). mksquashfs
     * leaves out what only pays off on file data: xz BCJ filters (and it uses an 8 KiB dictionary),
     * further gzip strategies. Same contract as {@link #compress}; by default the same as it.
     */
    default byte[] compressMetadata(byte[] src, int off, int len) {
        return compress(src, off, len);
    }

    /**
     * Decompresses one block into dst starting at dstOff, never writing more than maxLen bytes.
     *
     * @return the number of bytes produced
     * @throws CorruptBlockException when the input is malformed or would decompress past maxLen
     */
    int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws IOException;

    /**
     * Decodes the block in src[0, len) into dst[0, maxLen), both direct buffers, with a native library
     * (libdeflate, liblzma, lz4-java's, zstd-jni's) and without copying either through the Java heap:
     * a file streamed out of an image goes from the image file to the output file through native
     * memory only.
     *
     * @return the decoded length, or -1 where no library decoded the block whole (none bound yet, none
     *     for this compressor, or a block the library refuses): the caller then uses {@link #decompress},
     *     whose verdict stands
     */
    default int decompressDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        return -1;
    }

    /**
     * Told by a reader that opens an image: a compressor that decodes with a system library (bound in
     * the background, see LibDeflate) starts binding it now, so that it is ready by the first data block.
     */
    default void prepareToDecompress() {
    }

    /** One line for humans: "xz (dict 1M, bcj x86)". */
    String describe();
}
