package dev.strata.squashfs.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * gzip (id 1): each block one zlib stream, as mksquashfs writes with deflateInit2. With several
 * strategies every block is compressed with each and the smallest result kept, as mksquashfs does.
 *
 * <p>With the default 32 KiB window and the default, filtered or huffman_only strategy the block
 * goes through java.util.zip.Deflater, i.e. zlib itself, and comes out as mksquashfs writes it.
 * Deflater has no smaller window and no run-length or fixed-Huffman strategy; those settings use
 * {@link DeflateEncoder}, which keeps every match inside the window the zlib header declares.
 */
public final class GzipCompressor implements Compressor {
    public static final int DEFAULT_LEVEL = 9;
    public static final int DEFAULT_WINDOW_BITS = 15;
    static final int OPTIONS_SIZE = 8;

    private static final byte[] EMPTY = new byte[0];
    private static final GzipStrategy[] DEFAULT_ONLY = {GzipStrategy.DEFAULT};
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

    private final int level;
    private final int windowBits;
    /** Normalized as mksquashfs does: {default} alone means "no strategies chosen". */
    private final Set<GzipStrategy> strategies;
    private final GzipStrategy[] tried;
    /** Deflaters, encoder and buffers per thread, shared by all GzipCompressor instances. */
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /**
     * @param level 1..9
     * @param windowBits 8..15
     * @param strategies the strategies to try on each block; empty means zlib's default only
     * @throws IllegalArgumentException on out-of-range values
     */
    public GzipCompressor(int level, int windowBits, Set<GzipStrategy> strategies) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip: compression level " + level + " is out of range (allowed: 1..9)");
        }
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("gzip: window size " + windowBits + " is out of range (allowed: 8..15)");
        }
        EnumSet<GzipStrategy> set = strategies.isEmpty() ? EnumSet.noneOf(GzipStrategy.class) : EnumSet.copyOf(strategies);
        if (set.equals(EnumSet.of(GzipStrategy.DEFAULT))) {
            set.clear();
        }
        this.level = level;
        this.windowBits = windowBits;
        this.strategies = Collections.unmodifiableSet(set);
        this.tried = set.isEmpty() ? DEFAULT_ONLY : set.toArray(new GzipStrategy[0]);
    }

    public int level() {
        return level;
    }

    public int windowBits() {
        return windowBits;
    }

    public Set<GzipStrategy> strategies() {
        return strategies;
    }

    @Override
    public CompressorId id() {
        return CompressorId.GZIP;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        if (level == DEFAULT_LEVEL && windowBits == DEFAULT_WINDOW_BITS && strategies.isEmpty()) {
            return Optional.empty();
        }
        int bits = 0;
        for (GzipStrategy s : strategies) {
            bits |= s.optionsBit();
        }
        ByteBuffer b = ByteBuffer.allocate(OPTIONS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(level).putShort((short) windowBits).putShort((short) bits);
        return Optional.of(b.array());
    }

    @Override
    public byte[] compress(byte[] src, int off, int len) {
        return compress(src, off, len, tried);
    }

    /** Metadata blocks get zlib's default strategy only, as mksquashfs gives them. */
    @Override
    public byte[] compressMetadata(byte[] src, int off, int len) {
        return compress(src, off, len, DEFAULT_ONLY);
    }

    private byte[] compress(byte[] src, int off, int len, GzipStrategy[] strategies) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (len == 0) {
            return null;
        }
        State st = STATE.get();
        st.ensure(len);
        byte[] best = null;
        int bestLen = len;
        for (GzipStrategy strategy : strategies) {
            byte[] buf = best == st.a ? st.b : st.a;
            int n = windowBits == 15 && strategy.supportedByDeflater()
                    ? deflateZlib(st.deflater(level), strategy.deflaterStrategy(), src, off, len, buf, bestLen - 1)
                    : st.encoder().compress(src, off, len, level, windowBits, strategy, buf, bestLen - 1);
            if (n >= 0 && n < bestLen) {
                best = buf;
                bestLen = n;
            }
        }
        return best == null ? null : Arrays.copyOf(best, bestLen);
    }

    /** Deflates into buf[0, cap); returns the length or -1 when it does not fit. */
    private static int deflateZlib(Deflater d, int strategy, byte[] src, int off, int len, byte[] buf, int cap) {
        start(d, strategy);
        d.setInput(src, off, len);
        d.finish();
        int n = 0;
        while (!d.finished()) {
            if (n >= cap) {
                return -1;
            }
            n += d.deflate(buf, n, cap - n);
        }
        return n;
    }

    /**
     * Resets d for a new stream with the given strategy. A Deflater applies a changed strategy
     * during its next deflate call instead of deflating, so that call is made here, with no input,
     * and every block starts from the same state whatever the thread compressed before.
     */
    private static void start(Deflater d, int strategy) {
        d.reset();
        d.setStrategy(strategy);
        d.deflate(EMPTY, 0, 0, Deflater.NO_FLUSH);
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        return inflate(src, off, len, dst, dstOff, maxLen);
    }

    @Override
    public int decompressDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        LibDeflate libdeflate = LibDeflate.BINDING.ifReady();
        return libdeflate == null ? -1 : libdeflate.inflate(src, len, dst, maxLen);
    }

    @Override
    public void prepareToDecompress() {
        LibDeflate.BINDING.ifReady();
    }

    static int inflate(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        LibDeflate libdeflate = LibDeflate.BINDING.ifReady();
        if (libdeflate != null) {
            int n = libdeflate.inflate(src, off, len, dst, dstOff, maxLen);
            if (n >= 0) {
                return n;
            }
        }
        return inflateWithZlib(src, off, len, dst, dstOff, maxLen);
    }

    /** java.util.zip's inflation: the fallback, and the verdict on every block libdeflate refuses. */
    static int inflateWithZlib(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen)
            throws CorruptBlockException {
        Inflater inf = INFLATERS.get();
        inf.reset();
        inf.setInput(src, off, len);
        int n = 0;
        try {
            while (!inf.finished()) {
                int k;
                if (n < maxLen) {
                    k = inf.inflate(dst, dstOff + n, maxLen - n);
                    n += k;
                } else {
                    k = inf.inflate(new byte[1], 0, 1);
                    if (k > 0) {
                        throw new CorruptBlockException("gzip: block decompresses to more than " + maxLen + " bytes");
                    }
                }
                if (k == 0 && !inf.finished()) {
                    break;
                }
            }
            if (!inf.finished()) {
                if (inf.needsDictionary()) {
                    throw new CorruptBlockException("gzip: block asks for a preset dictionary");
                }
                throw new CorruptBlockException("gzip: block of " + len + " bytes ends before the end of its zlib stream");
            }
            if (inf.getRemaining() > 0) {
                throw new CorruptBlockException("gzip: " + inf.getRemaining() + " bytes follow the end of the zlib stream");
            }
            return n;
        } catch (DataFormatException e) {
            throw new CorruptBlockException("gzip: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("gzip (level ").append(level).append(", window ").append(windowBits);
        if (!strategies.isEmpty()) {
            StringJoiner j = new StringJoiner(",");
            strategies.forEach(s -> j.add(s.mksquashfsName()));
            sb.append(", strategies ").append(j);
        }
        return sb.append(')').toString();
    }

    private static final class State {
        private final Deflater[] deflaters = new Deflater[10];
        private DeflateEncoder encoder;
        byte[] a = new byte[0];
        byte[] b = new byte[0];

        Deflater deflater(int level) {
            if (deflaters[level] == null) {
                deflaters[level] = new Deflater(level);
            }
            return deflaters[level];
        }

        DeflateEncoder encoder() {
            if (encoder == null) {
                encoder = new DeflateEncoder();
            }
            return encoder;
        }

        void ensure(int len) {
            if (a.length < len) {
                a = new byte[len];
                b = new byte[len];
            }
        }
    }
}
