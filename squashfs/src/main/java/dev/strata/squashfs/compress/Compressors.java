package dev.strata.squashfs.compress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes compressors from what people type after mksquashfs -comp (the -X options), from the
 * defaults, or from the options block of an existing image.
 */
public final class Compressors {
    public static final int MIN_BLOCK_SIZE = 4096;
    public static final int MAX_BLOCK_SIZE = 1 << 20;

    private static final Pattern DICT_SIZE = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)([%kKmM]?)");

    private Compressors() {
    }

    /**
     * Starts binding, in the background, the system libraries that decode images (libdeflate,
     * liblzma; see {@link Compressor#prepareToDecompress()}): a command that is going to read an image
     * calls this first thing, so that the binding runs beside its own start-up (parsing its command
     * line) instead of beside the reading of the first blocks.
     */
    public static void prepareSystemDecoders() {
        LibDeflate.BINDING.ifReady();
        LibLzma.BINDING.ifReady();
    }

    /** The compressor mksquashfs uses for -comp id without -X options. */
    public static Compressor defaults(CompressorId id, int blockSize) {
        return create(id, List.of(), blockSize);
    }

    /**
     * Parses mksquashfs's -X options for one compressor, given as a flat list such as
     * ["-Xbcj", "x86,arm", "-Xdict-size", "50%"].
     *
     * @param blockSize the image block size; xz's dictionary defaults to it and may not exceed it
     * @throws IllegalArgumentException with one line saying what was wrong and what is allowed
     */
    public static Compressor create(CompressorId id, List<String> xOptions, int blockSize) {
        checkBlockSize(blockSize);
        Options o = new Options(id, xOptions);
        switch (id) {
            case GZIP: {
                int level = GzipCompressor.DEFAULT_LEVEL;
                int window = GzipCompressor.DEFAULT_WINDOW_BITS;
                Set<GzipStrategy> strategies = EnumSet.noneOf(GzipStrategy.class);
                while (o.hasNext()) {
                    String opt = o.next();
                    switch (opt) {
                        case "-Xcompression-level":
                            level = o.intValue(opt, 1, 9);
                            break;
                        case "-Xwindow-size":
                            window = o.intValue(opt, 8, 15);
                            break;
                        case "-Xstrategy":
                            for (String name : o.listValue(opt, "default, filtered, huffman_only, run_length_encoded, fixed")) {
                                strategies.add(GzipStrategy.fromName(name));
                            }
                            break;
                        default:
                            throw o.unknown(opt, "-Xcompression-level, -Xwindow-size, -Xstrategy");
                    }
                }
                return new GzipCompressor(level, window, strategies);
            }
            case XZ: {
                String dict = null;
                Set<XzBcjFilter> filters = EnumSet.noneOf(XzBcjFilter.class);
                LzmaTuning t = LzmaTuning.DEFAULT;
                int preset = t.preset();
                boolean extreme = false;
                int lc = -1;
                int lp = -1;
                int pb = -1;
                while (o.hasNext()) {
                    String opt = o.next();
                    switch (opt) {
                        case "-Xbcj":
                            for (String name : o.listValue(opt, "x86, powerpc, ia64, arm, armthumb, sparc, arm64, riscv")) {
                                filters.add(XzBcjFilter.fromName(name));
                            }
                            break;
                        case "-Xdict-size":
                            dict = o.value(opt, "a size like 65536, 64K, 1M or a percentage of the block size like 50%");
                            break;
                        // OpenWrt's mksquashfs (tools/squashfs4 patches) and its image.mk
                        case "-Xpreset":
                            if (o.peekIs("extreme")) {
                                // as OpenWrt's patch has it: the extreme flag on level 0
                                o.value(opt, "0..9 or extreme");
                                preset = 0;
                                extreme = true;
                            } else {
                                preset = o.intValue(opt, 0, 9);
                            }
                            break;
                        case "-Xe":
                            extreme = true;
                            break;
                        case "-Xlc":
                            lc = o.intValue(opt, 0, LzmaTuning.MAX_BITS);
                            break;
                        case "-Xlp":
                            lp = o.intValue(opt, 0, LzmaTuning.MAX_BITS);
                            break;
                        case "-Xpb":
                            pb = o.intValue(opt, 0, LzmaTuning.MAX_BITS);
                            break;
                        default:
                            throw o.unknown(opt, "-Xbcj, -Xdict-size, -Xpreset, -Xe, -Xlc, -Xlp, -Xpb");
                    }
                }
                return new XzCompressor(blockSize, dict == null ? blockSize : parseDictSize(dict, blockSize), filters,
                        new LzmaTuning(preset, extreme, lc, lp, pb));
            }
            case LZ4: {
                boolean hc = false;
                while (o.hasNext()) {
                    String opt = o.next();
                    if (!opt.equals("-Xhc")) {
                        throw o.unknown(opt, "-Xhc");
                    }
                    hc = true;
                }
                return new Lz4Compressor(hc);
            }
            case LZO: {
                LzoAlgorithm algorithm = LzoAlgorithm.LZO1X_999;
                Integer level = null;
                while (o.hasNext()) {
                    String opt = o.next();
                    switch (opt) {
                        case "-Xalgorithm":
                            algorithm = LzoAlgorithm.fromName(o.value(opt,
                                    "lzo1x_1, lzo1x_1_11, lzo1x_1_12, lzo1x_1_15, lzo1x_999"));
                            break;
                        case "-Xcompression-level":
                            level = o.intValue(opt, 1, 9);
                            break;
                        default:
                            throw o.unknown(opt, "-Xalgorithm, -Xcompression-level");
                    }
                }
                if (level != null && algorithm != LzoAlgorithm.LZO1X_999) {
                    throw new IllegalArgumentException("lzo: -Xcompression-level applies only to -Xalgorithm lzo1x_999, not "
                            + algorithm.mksquashfsName());
                }
                int effective = algorithm == LzoAlgorithm.LZO1X_999 ? (level == null ? LzoCompressor.DEFAULT_LEVEL : level) : 0;
                return new LzoCompressor(algorithm, effective);
            }
            case ZSTD: {
                int level = ZstdCompressor.DEFAULT_LEVEL;
                while (o.hasNext()) {
                    String opt = o.next();
                    if (!opt.equals("-Xcompression-level")) {
                        throw o.unknown(opt, "-Xcompression-level");
                    }
                    level = o.intValue(opt, 1, ZstdCompressor.MAX_LEVEL);
                }
                return new ZstdCompressor(level);
            }
            case LZMA:
                throw new IllegalArgumentException(LzmaDecoder.NOT_FOR_WRITING);
            default:
                throw new IllegalArgumentException("unknown compressor " + id);
        }
    }

    /**
     * The compressor an image was written with, from the compressor id in its superblock and the
     * payload of its options block (null when the superblock says there is none).
     *
     * @throws IllegalArgumentException when the options block is malformed or out of range
     */
    public static Compressor fromOptionsBlock(CompressorId id, byte[] payloadOrNull, int blockSize) {
        checkBlockSize(blockSize);
        if (payloadOrNull == null || payloadOrNull.length == 0) {
            if (id == CompressorId.LZ4) {
                throw new IllegalArgumentException("lz4: the image has no compressor options block, which lz4 images"
                        + " always carry (version 1, flags)");
            }
            return id == CompressorId.LZMA ? new LzmaDecoder(blockSize) : defaults(id, blockSize);
        }
        ByteBuffer b = ByteBuffer.wrap(payloadOrNull).order(ByteOrder.LITTLE_ENDIAN);
        switch (id) {
            case GZIP: {
                expectSize(id, payloadOrNull, GzipCompressor.OPTIONS_SIZE);
                int level = b.getInt();
                int window = b.getShort();
                int bits = b.getShort() & 0xFFFF;
                if (level < 1 || level > 9) {
                    throw badBlock(id, "compression level " + level + " (allowed: 1..9)");
                }
                if (window < 8 || window > 15) {
                    throw badBlock(id, "window size " + window + " (allowed: 8..15)");
                }
                Set<GzipStrategy> strategies = EnumSet.noneOf(GzipStrategy.class);
                for (GzipStrategy s : GzipStrategy.values()) {
                    if ((bits & s.optionsBit()) != 0) {
                        strategies.add(s);
                        bits &= ~s.optionsBit();
                    }
                }
                if (bits != 0) {
                    throw badBlock(id, "unknown strategy bits 0x" + Integer.toHexString(bits) + " (known: 0x1f)");
                }
                return new GzipCompressor(level, window, strategies);
            }
            case XZ: {
                expectSize(id, payloadOrNull, XzCompressor.OPTIONS_SIZE);
                int dict = b.getInt();
                int flags = b.getInt();
                if (!XzCompressor.storableDictSize(dict)) {
                    throw badBlock(id, "dictionary size " + Integer.toUnsignedString(dict) + " (must be 2^n or 2^n+2^(n+1))");
                }
                if (dict > blockSize) {
                    throw badBlock(id, "dictionary size " + dict + " is larger than the block size " + blockSize);
                }
                Set<XzBcjFilter> filters = EnumSet.noneOf(XzBcjFilter.class);
                for (XzBcjFilter f : XzBcjFilter.values()) {
                    if ((flags & f.optionsBit()) != 0) {
                        filters.add(f);
                        flags &= ~f.optionsBit();
                    }
                }
                if (flags != 0) {
                    throw badBlock(id, "unknown filter bits 0x" + Integer.toHexString(flags) + " (known: 0xff)");
                }
                return new XzCompressor(blockSize, dict, filters);
            }
            case LZ4: {
                expectSize(id, payloadOrNull, Lz4Compressor.OPTIONS_SIZE);
                int version = b.getInt();
                int flags = b.getInt();
                if (version != Lz4Compressor.VERSION_LEGACY) {
                    throw badBlock(id, "stream version " + version + " (the kernel knows only 1)");
                }
                if (flags != 0 && flags != Lz4Compressor.FLAG_HC) {
                    throw badBlock(id, "flags 0x" + Integer.toHexString(flags) + " (allowed: 0, 1 = high compression)");
                }
                return new Lz4Compressor(flags == Lz4Compressor.FLAG_HC);
            }
            case LZO: {
                expectSize(id, payloadOrNull, LzoCompressor.OPTIONS_SIZE);
                int algorithm = b.getInt();
                int level = b.getInt();
                if (algorithm < 0 || algorithm > 4) {
                    throw badBlock(id, "algorithm " + algorithm + " (allowed: 0..4)");
                }
                LzoAlgorithm a = LzoAlgorithm.fromId(algorithm);
                if (a == LzoAlgorithm.LZO1X_999 ? level < 1 || level > 9 : level != 0) {
                    throw badBlock(id, "compression level " + level + " for " + a.mksquashfsName()
                            + (a == LzoAlgorithm.LZO1X_999 ? " (allowed: 1..9)" : " (must be 0)"));
                }
                return new LzoCompressor(a, level);
            }
            case ZSTD: {
                expectSize(id, payloadOrNull, ZstdCompressor.OPTIONS_SIZE);
                int level = b.getInt();
                if (level < 1 || level > ZstdCompressor.MAX_LEVEL) {
                    throw badBlock(id, "compression level " + level + " (allowed: 1.." + ZstdCompressor.MAX_LEVEL + ")");
                }
                return new ZstdCompressor(level);
            }
            case LZMA:
                throw badBlock(id, payloadOrNull.length + " bytes of options, but lzma has none");
            default:
                throw new IllegalArgumentException("unknown compressor " + id);
        }
    }

    /** Parses -Xdict-size as mksquashfs does: 8192, 64K, 1M or 50% (of the block size). */
    static int parseDictSize(String text, int blockSize) {
        Matcher m = DICT_SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("xz: -Xdict-size '" + text
                    + "' is not a size (allowed: a number of bytes, with K or M, or a percentage like 50%)");
        }
        float number = Float.parseFloat(m.group(1));
        String suffix = m.group(2);
        int size;
        if (suffix.equals("%")) {
            if (number <= 0 || number > 100) {
                throw new IllegalArgumentException("xz: -Xdict-size " + text + " is out of range (allowed: 0% < size <= 100%)");
            }
            size = (int) (blockSize * number / 100);
        } else {
            if (number != (float) (int) number) {
                throw new IllegalArgumentException("xz: -Xdict-size " + text
                        + " is fractional (allowed only for a percentage of the block size)");
            }
            long bytes = (long) number * (suffix.isEmpty() ? 1 : suffix.equalsIgnoreCase("k") ? 1024 : 1024 * 1024);
            if (bytes > blockSize) {
                throw new IllegalArgumentException("xz: -Xdict-size " + text + " is larger than the block size " + blockSize);
            }
            size = (int) bytes;
        }
        if (size < XzCompressor.MIN_USER_DICT_SIZE) {
            throw new IllegalArgumentException("xz: -Xdict-size " + text + " gives " + size
                    + " bytes (allowed: 8192 bytes or larger)");
        }
        if (!XzCompressor.storableDictSize(size)) {
            throw new IllegalArgumentException("xz: -Xdict-size " + text + " gives " + size
                    + " bytes, not storable in the xz header (allowed: 2^n or 2^n+2^(n+1), e.g. 75%, 50%, 37.5%, 25%, 32K, 16K, 8K)");
        }
        return size;
    }

    static void checkBlockSize(int blockSize) {
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size " + blockSize
                    + " is not allowed (allowed: a power of two from 4096 to 1048576)");
        }
    }

    static String humanSize(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + "M";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + "K";
        }
        return Integer.toString(bytes);
    }

    private static void expectSize(CompressorId id, byte[] payload, int size) {
        if (payload.length != size) {
            throw badBlock(id, payload.length + " bytes (expected " + size + ")");
        }
    }

    private static IllegalArgumentException badBlock(CompressorId id, String what) {
        return new IllegalArgumentException(id.mksquashfsName() + ": bad compressor options block: " + what);
    }

    /** A cursor over the flat -X option list with mksquashfs-like error messages. */
    private static final class Options {
        private final String compressor;
        private final List<String> args;
        private int i;

        Options(CompressorId id, List<String> args) {
            this.compressor = id.mksquashfsName();
            this.args = List.copyOf(args);
        }

        boolean hasNext() {
            return i < args.size();
        }

        String next() {
            return args.get(i++);
        }

        /** Whether the next argument is this word (without taking it). */
        boolean peekIs(String word) {
            return i < args.size() && args.get(i).equals(word);
        }

        String value(String opt, String allowed) {
            if (i >= args.size()) {
                throw new IllegalArgumentException(compressor + ": " + opt + " needs a value (allowed: " + allowed + ")");
            }
            return args.get(i++);
        }

        int intValue(String opt, int min, int max) {
            String v = value(opt, min + ".." + max);
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(compressor + ": " + opt + " '" + v + "' is not a number (allowed: "
                        + min + ".." + max + ")");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(compressor + ": " + opt + " " + n + " is out of range (allowed: "
                        + min + ".." + max + ")");
            }
            return n;
        }

        List<String> listValue(String opt, String allowed) {
            String v = value(opt, "a comma-separated list of " + allowed);
            List<String> names = List.of(v.split(",", -1));
            if (v.isEmpty() || names.contains("")) {
                throw new IllegalArgumentException(compressor + ": " + opt + " '" + v
                        + "' has an empty name (allowed: a comma-separated list of " + allowed + ")");
            }
            return names;
        }

        IllegalArgumentException unknown(String opt, String allowed) {
            String what = opt.startsWith("-X") ? "does not know the option " + opt : "expected a -X option but got '" + opt + "'";
            return new IllegalArgumentException(compressor + ": " + what + " (allowed: " + allowed + ")");
        }
    }
}
