package dev.strata.squashfs.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * lzo (id 3): LZO1X in pure Java. lzo1x_999 (mksquashfs's default, level 8) uses
 * {@link Lzo1xOptimalEncoder}; the lzo1x_1 variants a fast greedy encoder. The kernel ignores
 * the options block; unsquashfs checks it.
 */
public final class LzoCompressor implements Compressor {
    public static final int DEFAULT_LEVEL = 8;
    static final int OPTIONS_SIZE = 8;

    private final LzoAlgorithm algorithm;
    private final int level;
    /** Encoders and output buffer per thread, shared by all LzoCompressor instances. */
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /**
     * @param algorithm the liblzo compressor mksquashfs would use
     * @param level 1..9 for lzo1x_999; must be 0 for the others, which have no level
     */
    public LzoCompressor(LzoAlgorithm algorithm, int level) {
        if (algorithm == LzoAlgorithm.LZO1X_999) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("lzo: compression level " + level + " is out of range (allowed: 1..9)");
            }
        } else if (level != 0) {
            throw new IllegalArgumentException("lzo: a compression level applies only to lzo1x_999, not "
                    + algorithm.mksquashfsName());
        }
        this.algorithm = algorithm;
        this.level = level;
    }

    public LzoAlgorithm algorithm() {
        return algorithm;
    }

    /** 1..9 for lzo1x_999, 0 otherwise. */
    public int level() {
        return level;
    }

    @Override
    public CompressorId id() {
        return CompressorId.LZO;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        if (algorithm == LzoAlgorithm.LZO1X_999 && level == DEFAULT_LEVEL) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.allocate(OPTIONS_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(algorithm.id()).putInt(level).array());
    }

    @Override
    public byte[] compress(byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (len == 0) {
            return null;
        }
        State st = STATE.get();
        byte[] out = st.output(len);
        int n = algorithm == LzoAlgorithm.LZO1X_999
                ? st.optimal().compress(src, off, len, out, len - 1, level)
                : st.fast().compress(src, off, len, out, algorithm.hashBits());
        return n >= 0 && n < len ? Arrays.copyOf(out, n) : null;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        return Lzo1xDecoder.decompress(src, off, len, dst, dstOff, maxLen);
    }

    @Override
    public String describe() {
        return algorithm == LzoAlgorithm.LZO1X_999
                ? "lzo (lzo1x_999 level " + level + ")"
                : "lzo (" + algorithm.mksquashfsName() + ")";
    }

    private static final class State {
        private Lzo1xOptimalEncoder optimal;
        private Lzo1xFastEncoder fast;
        private byte[] out = new byte[0];

        Lzo1xOptimalEncoder optimal() {
            if (optimal == null) {
                optimal = new Lzo1xOptimalEncoder();
            }
            return optimal;
        }

        Lzo1xFastEncoder fast() {
            if (fast == null) {
                fast = new Lzo1xFastEncoder();
            }
            return fast;
        }

        byte[] output(int len) {
            int cap = Lzo1xWriter.maxCompressedLength(len);
            if (out.length < cap) {
                out = new byte[cap];
            }
            return out;
        }
    }
}
