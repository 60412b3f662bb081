package dev.strata.squashfs.compress;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * zstd (id 6): every block one frame with its content size, no checksum, as ZSTD_compressCCtx
 * writes it for mksquashfs.
 */
public final class ZstdCompressor implements Compressor {
    public static final int DEFAULT_LEVEL = 15;
    public static final int MAX_LEVEL = 22;
    static final int OPTIONS_SIZE = 4;

    private static final ThreadLocal<ZstdCompressCtx> COMPRESSORS = ThreadLocal.withInitial(() -> {
        ZstdCompressCtx c = new ZstdCompressCtx();
        c.setContentSize(true);
        c.setChecksum(false);
        return c;
    });
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSORS = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    private static final ThreadLocal<byte[][]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1][0]);

    private final int level;

    /** @param level 1..22 */
    public ZstdCompressor(int level) {
        if (level < 1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("zstd: compression level " + level + " is out of range (allowed: 1.."
                    + MAX_LEVEL + ")");
        }
        this.level = level;
    }

    public int level() {
        return level;
    }

    @Override
    public CompressorId id() {
        return CompressorId.ZSTD;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        if (level == DEFAULT_LEVEL) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.allocate(OPTIONS_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(level).array());
    }

    @Override
    public byte[] compress(byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (len == 0) {
            return null;
        }
        byte[][] holder = BUFFERS.get();
        int cap = (int) Zstd.compressBound(len);
        if (holder[0].length < cap) {
            holder[0] = new byte[cap];
        }
        ZstdCompressCtx ctx = COMPRESSORS.get();
        ctx.setLevel(level);
        int n = ctx.compressByteArray(holder[0], 0, cap, src, off, len);
        return n < len ? Arrays.copyOf(holder[0], n) : null;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        if (len == 0) {
            throw new CorruptBlockException("zstd: empty block");
        }
        try {
            return DECOMPRESSORS.get().decompressByteArray(dst, dstOff, maxLen, src, off, len);
        } catch (ZstdException e) {
            throw new CorruptBlockException("zstd: " + e.getMessage() + " (block of " + len + " bytes, at most "
                    + maxLen + " bytes of output)", e);
        }
    }

    @Override
    public int decompressDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        if (len == 0) {
            return -1;
        }
        try {
            return DECOMPRESSORS.get().decompressDirectByteBuffer(dst, 0, maxLen, src, 0, len);
        } catch (ZstdException e) {
            return -1; // decompress() says what is wrong with the block
        }
    }

    @Override
    public String describe() {
        return "zstd (level " + level + ")";
    }
}
