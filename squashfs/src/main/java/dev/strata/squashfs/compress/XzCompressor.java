package dev.strata.squashfs.compress;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2InputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.SingleXZInputStream;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * xz (id 4): every block one complete .xz stream with a CRC32 check and LZMA2 at preset 6 whose
 * dictionary is the block size (or -Xdict-size), optionally behind one BCJ filter. With BCJ
 * filters chosen, each block is compressed without a filter and with each filter and the
 * smallest result kept, as mksquashfs does.
 */
public final class XzCompressor implements Compressor {
    static final int OPTIONS_SIZE = 8;
    /** mksquashfs refuses smaller -Xdict-size values. */
    public static final int MIN_USER_DICT_SIZE = 8192;
    private static final int METADATA_SIZE = 8192;
    private static final FilterOptions[][] METADATA_CHAIN = {{LzmaTuning.DEFAULT.options(METADATA_SIZE)}};

    private final int blockSize;
    private final int dictSize;
    private final Set<XzBcjFilter> filters;
    private final LzmaTuning tuning;
    private final FilterOptions[][] chains;
    private final int decoderMemoryLimitKiB;
    /**
     * liblzma 5.4 needs the dictionary plus 65,592 bytes to decode an .xz stream (66,616 behind a BCJ
     * filter): a limit 68 KiB over the dictionary refuses every larger dictionary a block may declare,
     * as the kernel's decoder (set up with the image's dictionary) refuses it.
     */
    private static final long LIBLZMA_DECODER_STATE = 68 << 10;
    private final long liblzmaMemoryLimit;
    /** Encoder arrays and output buffers per thread, shared by all XzCompressor instances. */
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    /**
     * @param blockSize the image block size (power of two, 4 KiB .. 1 MiB)
     * @param dictSize the LZMA2 dictionary: at most blockSize, 2^n or 3*2^n bytes, at least 4 KiB
     * @param filters BCJ filters tried in addition to no filter
     */
    public XzCompressor(int blockSize, int dictSize, Set<XzBcjFilter> filters) {
        this(blockSize, dictSize, filters, LzmaTuning.DEFAULT);
    }

    /**
     * @param tuning encoder preset and literal bits for data blocks (OpenWrt's -Xpreset, -Xe, -Xlc,
     *               -Xlp, -Xpb); metadata blocks keep mksquashfs's settings
     */
    public XzCompressor(int blockSize, int dictSize, Set<XzBcjFilter> filters, LzmaTuning tuning) {
        Compressors.checkBlockSize(blockSize);
        if (dictSize > blockSize) {
            throw new IllegalArgumentException("xz: dictionary size " + dictSize + " is larger than the block size "
                    + blockSize + " (the kernel would refuse the image)");
        }
        if (dictSize < LZMA2Options.DICT_SIZE_MIN) {
            throw new IllegalArgumentException("xz: dictionary size " + dictSize + " is smaller than "
                    + LZMA2Options.DICT_SIZE_MIN);
        }
        if (!storableDictSize(dictSize)) {
            throw new IllegalArgumentException("xz: dictionary size " + dictSize
                    + " is not storable in the xz header (allowed: 2^n or 2^n+2^(n+1), e.g. 75%, 50%, 37.5%, 25%, 32K, 16K, 8K)");
        }
        this.blockSize = blockSize;
        this.dictSize = dictSize;
        this.filters = Collections.unmodifiableSet(filters.isEmpty()
                ? EnumSet.noneOf(XzBcjFilter.class) : EnumSet.copyOf(filters));
        this.tuning = java.util.Objects.requireNonNull(tuning, "tuning");
        LZMA2Options lzma2 = tuning.options(dictSize);
        chains = new FilterOptions[1 + this.filters.size()][];
        chains[0] = new FilterOptions[] {lzma2};
        int i = 1;
        for (XzBcjFilter f : this.filters) {
            chains[i++] = new FilterOptions[] {f.filterOptions(), lzma2};
        }
        // The kernel sets its decoder up with this dictionary (mksquashfs metadata blocks use 8 KiB);
        // the limit refuses blocks declaring far larger ones. 16 KiB on top cover a BCJ filter.
        decoderMemoryLimitKiB = LZMA2InputStream.getMemoryUsage(Math.max(dictSize, METADATA_SIZE)) + 16;
        liblzmaMemoryLimit = Math.max(dictSize, METADATA_SIZE) + LIBLZMA_DECODER_STATE;
    }

    static boolean storableDictSize(int size) {
        int n = Integer.numberOfTrailingZeros(size);
        return size > 0 && (size == 1 << n || (n < 30 && size == (1 << n) + (1 << (n + 1))));
    }

    public int blockSize() {
        return blockSize;
    }

    public int dictSize() {
        return dictSize;
    }

    public Set<XzBcjFilter> filters() {
        return filters;
    }

    public LzmaTuning tuning() {
        return tuning;
    }

    @Override
    public CompressorId id() {
        return CompressorId.XZ;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        if (dictSize == blockSize && filters.isEmpty()) {
            return Optional.empty();
        }
        int flags = 0;
        for (XzBcjFilter f : filters) {
            flags |= f.optionsBit();
        }
        return Optional.of(ByteBuffer.allocate(OPTIONS_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(dictSize).putInt(flags).array());
    }

    @Override
    public byte[] compress(byte[] src, int off, int len) {
        return compress(src, off, len, chains);
    }

    /** Metadata blocks: LZMA2 with an 8 KiB dictionary and no BCJ filter, as mksquashfs writes them. */
    @Override
    public byte[] compressMetadata(byte[] src, int off, int len) {
        return compress(src, off, len, METADATA_CHAIN);
    }

    private static byte[] compress(byte[] src, int off, int len, FilterOptions[][] chains) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        if (len == 0) {
            return null;
        }
        State st = STATE.get();
        ByteSink best = null;
        for (FilterOptions[] chain : chains) {
            ByteSink sink = best == st.a ? st.b : st.a;
            sink.reset();
            try {
                XZOutputStream xz = new XZOutputStream(sink, chain, XZ.CHECK_CRC32, st.cache);
                xz.write(src, off, len);
                xz.finish();
            } catch (IOException e) {
                throw new UncheckedIOException("xz: encoder failed", e);
            }
            if (best == null || sink.size() < best.size()) {
                best = sink;
            }
        }
        return best.size() < len ? best.toByteArray() : null;
    }

    @Override
    public void prepareToDecompress() {
        LibLzma.BINDING.ifReady();
    }

    @Override
    public int decompressDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        LibLzma liblzma = LibLzma.BINDING.ifReady();
        return liblzma == null ? -1 : liblzma.decode(src, len, dst, maxLen, liblzmaMemoryLimit);
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        LibLzma liblzma = LibLzma.BINDING.ifReady();
        if (liblzma != null) {
            int n = liblzma.decode(src, off, len, dst, dstOff, maxLen, liblzmaMemoryLimit);
            if (n >= 0) {
                return n;
            }
        }
        return decodeWithJava(src, off, len, dst, dstOff, maxLen);
    }

    /**
     * The Java decoders: Strata's own for blocks of the shape squashfs blocks have, xz-java for any
     * other. The fallback where liblzma is missing, and the verdict on every block liblzma refuses.
     */
    int decodeWithJava(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        int fast = STATE.get().decoder().decode(src, off, len, dst, dstOff, maxLen, Math.max(dictSize, METADATA_SIZE));
        if (fast != XzBlockDecoder.NOT_HANDLED) {
            return fast;
        }
        ByteArrayInputStream in = new ByteArrayInputStream(src, off, len);
        int n = 0;
        try (SingleXZInputStream xz = new SingleXZInputStream(in, decoderMemoryLimitKiB, true, STATE.get().cache)) {
            while (n < maxLen) {
                int k = xz.read(dst, dstOff + n, maxLen - n);
                if (k < 0) {
                    break;
                }
                n += k;
            }
            if (n == maxLen && xz.read() >= 0) {
                throw new CorruptBlockException("xz: block decompresses to more than " + maxLen + " bytes");
            }
        } catch (CorruptBlockException e) {
            throw e;
        } catch (EOFException e) {
            throw new CorruptBlockException("xz: block of " + len + " bytes ends inside its xz stream", e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptBlockException("xz: " + e.getMessage(), e);
        }
        if (in.available() > 0) {
            throw new CorruptBlockException("xz: " + in.available() + " bytes follow the end of the xz stream");
        }
        return n;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("xz (dict ").append(Compressors.humanSize(dictSize));
        if (!filters.isEmpty()) {
            StringJoiner j = new StringJoiner(",");
            filters.forEach(f -> j.add(f.mksquashfsName()));
            sb.append(", bcj ").append(j);
        }
        if (!tuning.isDefault()) {
            sb.append(", ").append(tuning.describe());
        }
        return sb.append(')').toString();
    }

    private static final class State {
        final BasicArrayCache cache = new BasicArrayCache();
        final ByteSink a = new ByteSink(1 << 16);
        final ByteSink b = new ByteSink(1 << 16);
        private XzBlockDecoder decoder;

        XzBlockDecoder decoder() {
            if (decoder == null) {
                decoder = new XzBlockDecoder();
            }
            return decoder;
        }
    }
}
