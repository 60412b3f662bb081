package dev.strata.squashfs.compress;

import java.util.zip.Deflater;

/** zlib strategies as mksquashfs names them for -Xstrategy, with their bit in the options block. */
public enum GzipStrategy {
    DEFAULT("default", Deflater.DEFAULT_STRATEGY),
    FILTERED("filtered", Deflater.FILTERED),
    HUFFMAN_ONLY("huffman_only", Deflater.HUFFMAN_ONLY),
    /** Z_RLE, matches of distance 1 only: done by {@link DeflateEncoder}, Deflater lacks it. */
    RUN_LENGTH_ENCODED("run_length_encoded", -1),
    /** Z_FIXED, the fixed Huffman codes only: done by {@link DeflateEncoder}, Deflater lacks it. */
    FIXED("fixed", -1);

    private final String mksquashfsName;
    private final int deflaterStrategy;

    GzipStrategy(String mksquashfsName, int deflaterStrategy) {
        this.mksquashfsName = mksquashfsName;
        this.deflaterStrategy = deflaterStrategy;
    }

    public String mksquashfsName() {
        return mksquashfsName;
    }

    /** The bit mksquashfs sets in the options block's strategy field. */
    public int optionsBit() {
        return 1 << ordinal();
    }

    /** Whether java.util.zip.Deflater can compress with this strategy. */
    boolean supportedByDeflater() {
        return deflaterStrategy >= 0;
    }

    int deflaterStrategy() {
        return deflaterStrategy;
    }

    public static GzipStrategy fromName(String name) {
        for (GzipStrategy s : values()) {
            if (s.mksquashfsName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("gzip: unknown strategy '" + name
                + "' (allowed: default, filtered, huffman_only, run_length_encoded, fixed)");
    }
}
