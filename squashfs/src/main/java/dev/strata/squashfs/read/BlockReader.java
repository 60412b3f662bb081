package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.FormatLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Reads and decompresses metadata blocks and data blocks through two bounded caches. Every block is
 * checked against the region of the image it must lie in before a byte of it is read, and may never
 * decompress to more than its kind allows (8 KiB for metadata, the block size for data).
 */
final class BlockReader {
    /** Compressed bytes of one data block, per thread, grown to the largest block read so far. */
    private static final ThreadLocal<byte[]> RAW = ThreadLocal.withInitial(() -> new byte[1 << 16]);
    private final ImageChannel image;
    private final Compressor compressor;
    private final int blockSize;
    private final long dataStart;
    private final long dataEnd;
    private final BlockCache metadataCache;
    private final BlockCache dataCache;
    /** Fragment blocks of files streamed out; as many blocks as the data cache holds. */
    private final PinnedBlocks fragments;

    /**
     * @param dataStart first byte after the superblock and compressor options
     * @param dataEnd   the inode table start: data and fragment blocks lie before it
     */
    BlockReader(ImageChannel image, Compressor compressor, int blockSize, long dataStart, long dataEnd,
                ReaderOptions options) {
        this.image = image;
        this.compressor = compressor;
        this.blockSize = blockSize;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
        this.metadataCache = new BlockCache(options.metadataCacheBytes());
        this.dataCache = new BlockCache(options.dataCacheBytes());
        this.fragments = new PinnedBlocks(blockSize, (int) Math.min(1024, options.dataCacheBytes() / blockSize));
    }

    int blockSize() {
        return blockSize;
    }

    /**
     * The metadata block whose header is at pos; the header and the stored bytes must end at or
     * before regionEnd.
     *
     * @param what the table, for error messages ("inode table")
     */
    BlockCache.Block metadata(long pos, long regionEnd, String what) throws IOException {
        BlockCache.Block cached = metadataCache.get(pos);
        if (cached != null) {
            if (cached.end() > regionEnd) {
                throw new CorruptImageException(pos, what + " metadata block runs past the table's end at byte "
                        + regionEnd);
            }
            return cached;
        }
        if (pos < 0 || regionEnd - pos < 2) {
            throw new CorruptImageException(pos, what + " metadata block header lies outside the table, which ends at"
                    + " byte " + regionEnd);
        }
        int available = (int) Math.min(2L + FormatLimits.METADATA_BLOCK_SIZE, regionEnd - pos);
        byte[] raw = image.read(pos, available, what + " metadata block");
        int header = (raw[0] & 0xFF) | (raw[1] & 0xFF) << 8;
        int stored = header & ~FormatLimits.METADATA_UNCOMPRESSED;
        boolean uncompressed = (header & FormatLimits.METADATA_UNCOMPRESSED) != 0;
        if (stored == 0 || stored > FormatLimits.METADATA_BLOCK_SIZE) {
            throw new CorruptImageException(pos, what + " metadata block claims " + stored + " stored bytes (1.."
                    + FormatLimits.METADATA_BLOCK_SIZE + " allowed)");
        }
        if (2 + stored > available) {
            throw new CorruptImageException(pos, what + " metadata block of " + stored
                    + " bytes runs past the table's end at byte " + regionEnd);
        }
        BlockCache.Block block;
        if (uncompressed) {
            byte[] data = new byte[stored];
            System.arraycopy(raw, 2, data, 0, stored);
            block = new BlockCache.Block(data, stored, pos + 2 + stored);
        } else {
            byte[] data = new byte[FormatLimits.METADATA_BLOCK_SIZE];
            int n = decompress(raw, 2, stored, data, FormatLimits.METADATA_BLOCK_SIZE, pos, () -> what + " metadata block");
            block = new BlockCache.Block(data, n, pos + 2 + stored);
        }
        metadataCache.put(pos, block);
        return block;
    }

    /**
     * A data or fragment block.
     *
     * @param sizeWord       the stored size word (bit 24 = uncompressed); must not be 0 (sparse)
     * @param expectedLength the exact uncompressed length required, or -1 for "at most a block"
     */
    BlockCache.Block data(long pos, int sizeWord, int expectedLength, Supplier<String> what) throws IOException {
        checkDataBlock(pos, sizeWord, what, pos);
        int stored = sizeWord & FormatLimits.DATA_SIZE_MASK;
        BlockCache.Block block = dataCache.get(pos);
        if (block == null || block.end() != pos + stored) {
            if ((sizeWord & FormatLimits.DATA_UNCOMPRESSED) != 0) {
                block = new BlockCache.Block(image.read(pos, stored, "data block"), stored, pos + stored);
            } else {
                byte[] raw = RAW.get();
                if (raw.length < stored) {
                    raw = new byte[stored];
                    RAW.set(raw);
                }
                image.readFully(pos, raw, 0, stored, "data block");
                byte[] data = new byte[blockSize];
                int n = decompress(raw, 0, stored, data, blockSize, pos, what);
                block = new BlockCache.Block(data, n, pos + stored);
            }
            dataCache.put(pos, block);
        }
        if (expectedLength >= 0 && block.length() != expectedLength) {
            throw new CorruptImageException(pos, what.get() + " holds " + block.length() + " bytes, expected "
                    + expectedLength);
        }
        return block;
    }

    /**
     * A data block for streaming out, in a direct buffer of this thread ([0, length), valid until the
     * thread's next call); see {@link #decodeInto}.
     *
     * @param expectedLength the exact length required
     */
    ByteBuffer streamedData(long pos, int sizeWord, int expectedLength, Supplier<String> what) throws IOException {
        ByteBuffer out = DirectBlockBuffers.ofThisThread(blockSize).out();
        return out.limit(decodeInto(pos, sizeWord, expectedLength, out, what));
    }

    /**
     * A fragment block for streaming out, held until the lease is closed, from the blocks the
     * streaming threads share ({@link PinnedBlocks}).
     */
    PinnedBlocks.Lease streamedFragment(long pos, int sizeWord, Supplier<String> what) throws IOException {
        return fragments.acquire(pos, into -> decodeInto(pos, sizeWord, -1, into, what));
    }

    /**
     * Reads and decodes a data or fragment block into out, a direct buffer of at least a block at
     * position 0: with a compressor whose system library decodes it ({@link Compressor#decompressDirect}),
     * its bytes go from the image file through native memory only, into a buffer a file channel
     * writes without copying; otherwise the compressor decodes it from and into arrays of this
     * thread, copied from and to the direct buffers (as many copies as writing an array makes).
     *
     * @param expectedLength the exact length required, or -1 for "at most a block"
     * @return the block's length
     */
    private int decodeInto(long pos, int sizeWord, int expectedLength, ByteBuffer out, Supplier<String> what)
            throws IOException {
        checkDataBlock(pos, sizeWord, what, pos);
        int stored = sizeWord & FormatLimits.DATA_SIZE_MASK;
        int n;
        if ((sizeWord & FormatLimits.DATA_UNCOMPRESSED) != 0) {
            image.readFully(pos, out.clear().limit(stored), "data block");
            n = stored;
        } else {
            DirectBlockBuffers buffers = DirectBlockBuffers.ofThisThread(blockSize);
            ByteBuffer raw = buffers.raw();
            image.readFully(pos, raw.limit(stored), "data block");
            n = compressor.decompressDirect(raw.clear(), stored, out.clear(), blockSize);
            if (n < 0) { // no library for it: the Java decoder works on arrays, and its verdict stands
                byte[] heapRaw = buffers.heapRaw();
                raw.get(0, heapRaw, 0, stored);
                byte[] heapOut = buffers.heapOut();
                n = decompress(heapRaw, 0, stored, heapOut, blockSize, pos, what);
                out.put(0, heapOut, 0, n);
            }
        }
        if (expectedLength >= 0 && n != expectedLength) {
            throw new CorruptImageException(pos, what.get() + " holds " + n + " bytes, expected " + expectedLength);
        }
        out.clear();
        return n;
    }

    /**
     * Checks a data block's size word and that its stored bytes, if any, lie in the data area.
     *
     * @param describedAt the image offset of the structure that gives the position and size word
     */
    void checkDataBlock(long pos, int sizeWord, Supplier<String> what, long describedAt) throws CorruptImageException {
        if ((sizeWord & ~(FormatLimits.DATA_UNCOMPRESSED | FormatLimits.DATA_SIZE_MASK)) != 0) {
            throw new CorruptImageException(describedAt, what.get() + " has an invalid size word 0x"
                    + Integer.toHexString(sizeWord) + " (bits above 24 set)");
        }
        int stored = sizeWord & FormatLimits.DATA_SIZE_MASK;
        if (stored > blockSize) {
            throw new CorruptImageException(describedAt, what.get() + " claims " + stored + " stored bytes, more than the block size "
                    + blockSize);
        }
        // a sparse block takes no bytes, and its position is never read: squashfs-tools-ng starts a file
        // made only of holes at byte 0, and the kernel reads such files as zeros
        if (stored != 0 && (pos < dataStart || pos > dataEnd - stored)) {
            throw new CorruptImageException(describedAt, what.get() + " at byte " + Long.toUnsignedString(pos) + " of "
                    + stored + " bytes lies outside the data area (bytes " + dataStart + ".." + dataEnd + ")");
        }
    }

    private int decompress(byte[] src, int off, int len, byte[] dst, int maxLen, long pos, Supplier<String> what)
            throws CorruptImageException {
        try {
            int n = compressor.decompress(src, off, len, dst, 0, maxLen);
            if (n < 0 || n > maxLen) {
                throw new CorruptImageException(pos, what.get() + " decompressed to " + n + " bytes, more than " + maxLen);
            }
            return n;
        } catch (CorruptImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // decompression libraries report garbage input with unchecked exceptions too
            throw new CorruptImageException(pos, what.get() + " (" + len + " bytes " + compressor.id().mksquashfsName()
                    + ") does not decompress to at most " + maxLen + " bytes: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
