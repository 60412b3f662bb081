package dev.strata.squashfs.compress;

/** Compressor ids as stored in the superblock, with the names mksquashfs uses for -comp. */
public enum CompressorId {
    GZIP(1, "gzip"), LZMA(2, "lzma"), LZO(3, "lzo"), XZ(4, "xz"), LZ4(5, "lz4"), ZSTD(6, "zstd");

    private final int id;
    private final String mksquashfsName;

    CompressorId(int id, String mksquashfsName) {
        this.id = id;
        this.mksquashfsName = mksquashfsName;
    }

    public int id() {
        return id;
    }

    public String mksquashfsName() {
        return mksquashfsName;
    }

    public static CompressorId fromId(int id) {
        for (CompressorId c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compressor id " + id);
    }

    public static CompressorId fromName(String name) {
        for (CompressorId c : values()) {
            if (c.mksquashfsName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compressor '" + name + "' (gzip, xz, lz4, lzo, zstd)");
    }
}
