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
    private final ThreadLocal<State> state;

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
        this.state = ThreadLocal.withInitial(() -> new State(algorithm, level));
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
        State st = state.get();
        byte[] out = st.output(len);
        int n;
        if (st.optimal != null) {
            n = st.optimal.compress(src, off, len, out, len - 1);
        } else {
            n = st.fast.compress(src, off, len, out);
        }
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
        final Lzo1xOptimalEncoder optimal;
        final Lzo1xFastEncoder fast;
        byte[] out = new byte[0];

        State(LzoAlgorithm algorithm, int level) {
            optimal = algorithm == LzoAlgorithm.LZO1X_999 ? Lzo1xOptimalEncoder.forLevel(level) : null;
            fast = optimal == null ? new Lzo1xFastEncoder(algorithm.hashBits()) : null;
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
