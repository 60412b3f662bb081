package dev.strata.squashfs.compress;

/** The LZO1X compressors mksquashfs offers for -Xalgorithm, in the order of their options id. */
public enum LzoAlgorithm {
    LZO1X_1("lzo1x_1", 14),
    LZO1X_1_11("lzo1x_1_11", 11),
    LZO1X_1_12("lzo1x_1_12", 12),
    LZO1X_1_15("lzo1x_1_15", 15),
    /** Slow, strong; the only one with a compression level. mksquashfs's default. */
    LZO1X_999("lzo1x_999", 0);

    private final String mksquashfsName;
    private final int hashBits;

    LzoAlgorithm(String mksquashfsName, int hashBits) {
        this.mksquashfsName = mksquashfsName;
        this.hashBits = hashBits;
    }

    public String mksquashfsName() {
        return mksquashfsName;
    }

    /** The value stored in the options block. */
    public int id() {
        return ordinal();
    }

    /** log2 of the match-finder table of the fast variants (their "_11", "_12", "_15"). */
    int hashBits() {
        return hashBits;
    }

    public static LzoAlgorithm fromId(int id) {
        if (id < 0 || id >= values().length) {
            throw new IllegalArgumentException("lzo: unknown algorithm id " + id + " (allowed: 0..4)");
        }
        return values()[id];
    }

    public static LzoAlgorithm fromName(String name) {
        for (LzoAlgorithm a : values()) {
            if (a.mksquashfsName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("lzo: unknown algorithm '" + name
                + "' (allowed: lzo1x_1, lzo1x_1_11, lzo1x_1_12, lzo1x_1_15, lzo1x_999)");
    }
}
