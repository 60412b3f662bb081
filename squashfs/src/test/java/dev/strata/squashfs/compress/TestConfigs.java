package dev.strata.squashfs.compress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The compressor settings the property tests run, each made through {@link Compressors#create}. */
final class TestConfigs {
    private static final Map<String, Compressor> CONFIGS = new LinkedHashMap<>();

    static {
        add("gzip", CompressorId.GZIP, 131072);
        add("gzip-level1-filtered-huffman", CompressorId.GZIP, 131072, "-Xcompression-level", "1", "-Xstrategy",
                "filtered,huffman_only");
        add("gzip-window9", CompressorId.GZIP, 131072, "-Xwindow-size", "9");
        add("gzip-window12-default-filtered", CompressorId.GZIP, 131072, "-Xwindow-size", "12", "-Xstrategy",
                "default,filtered");
        add("gzip-window8-level6", CompressorId.GZIP, 131072, "-Xwindow-size", "8", "-Xcompression-level", "6");
        add("gzip-rle-fixed", CompressorId.GZIP, 131072, "-Xstrategy", "run_length_encoded,fixed");
        add("gzip-window11-level2-all", CompressorId.GZIP, 131072, "-Xwindow-size", "11", "-Xcompression-level", "2",
                "-Xstrategy", "default,filtered,huffman_only,run_length_encoded,fixed");
        add("xz", CompressorId.XZ, 131072);
        add("xz-1M-bcj-x86-arm64-dict50%", CompressorId.XZ, 1 << 20, "-Xbcj", "x86,arm64", "-Xdict-size", "50%");
        add("lz4", CompressorId.LZ4, 131072);
        add("lz4-hc", CompressorId.LZ4, 131072, "-Xhc");
        add("zstd", CompressorId.ZSTD, 131072);
        add("zstd-level1", CompressorId.ZSTD, 131072, "-Xcompression-level", "1");
        add("lzo", CompressorId.LZO, 131072);
        add("lzo-999-level1", CompressorId.LZO, 131072, "-Xcompression-level", "1");
        add("lzo-999-level9", CompressorId.LZO, 131072, "-Xcompression-level", "9");
        add("lzo1x_1", CompressorId.LZO, 131072, "-Xalgorithm", "lzo1x_1");
        add("lzo1x_1_11", CompressorId.LZO, 131072, "-Xalgorithm", "lzo1x_1_11");
        add("lzo1x_1_12", CompressorId.LZO, 131072, "-Xalgorithm", "lzo1x_1_12");
        add("lzo1x_1_15", CompressorId.LZO, 131072, "-Xalgorithm", "lzo1x_1_15");
    }

    private TestConfigs() {
    }

    private static void add(String name, CompressorId id, int blockSize, String... x) {
        CONFIGS.put(name, Compressors.create(id, List.of(x), blockSize));
    }

    static List<String> names() {
        return List.copyOf(CONFIGS.keySet());
    }

    static Compressor get(String name) {
        return CONFIGS.get(name);
    }
}
