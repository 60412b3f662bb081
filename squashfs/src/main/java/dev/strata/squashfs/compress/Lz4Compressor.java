package dev.strata.squashfs.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * lz4 (id 5): raw LZ4 blocks (not the frame format), normal or high compression at level 12,
 * LZ4HC_CLEVEL_MAX, which is what mksquashfs -Xhc uses. The options block is always written.
 */
public final class Lz4Compressor implements Compressor {
    /** The only stream format the kernel knows ("legacy"). */
    public static final int VERSION_LEGACY = 1;
    public static final int FLAG_HC = 1;
    public static final int HC_LEVEL = 12;
    static final int OPTIONS_SIZE = 8;

    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private static final ThreadLocal<byte[][]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1][0]);

    private final boolean highCompression;
    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();

    public Lz4Compressor(boolean highCompression) {
        this.highCompression = highCompression;
        this.compressor = highCompression ? FACTORY.highCompressor(HC_LEVEL) : FACTORY.fastCompressor();
    }

    public boolean highCompression() {
        return highCompression;
    }

    @Override
    public CompressorId id() {
        return CompressorId.LZ4;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        return Optional.of(ByteBuffer.allocate(OPTIONS_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(VERSION_LEGACY).putInt(highCompression ? FLAG_HC : 0).array());
    }

    @Override
    public byte[] compress(byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (len == 0) {
            return null;
        }
        byte[][] holder = BUFFERS.get();
        int cap = compressor.maxCompressedLength(len);
        if (holder[0].length < cap) {
            holder[0] = new byte[cap];
        }
        int n = compressor.compress(src, off, len, holder[0], 0, cap);
        return n < len ? Arrays.copyOf(holder[0], n) : null;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        if (len == 0) {
            throw new CorruptBlockException("lz4: empty block");
        }
        try {
            return decompressor.decompress(src, off, len, dst, dstOff, maxLen);
        } catch (LZ4Exception e) {
            throw new CorruptBlockException("lz4: malformed block or more than " + maxLen + " bytes of output ("
                    + e.getMessage() + ")", e);
        }
    }

    /** lz4-java decodes direct buffers natively (its JNI instance) or with its Java code, as it does arrays. */
    @Override
    public int decompressDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        if (len == 0) {
            return -1;
        }
        try {
            return decompressor.decompress(src, 0, len, dst, 0, maxLen);
        } catch (LZ4Exception e) {
            return -1; // decompress() says what is wrong with the block
        }
    }

    @Override
    public String describe() {
        return highCompression ? "lz4 (high compression)" : "lz4";
    }
}
