package dev.strata.squashfs.testing;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import java.util.List;

/** The compressors the real-program tests run with, each with the project's default settings. */
public final class TestCompressors {
    /** What the mainline kernel can mount; LZMA (id 2) never was. */
    public static final List<CompressorId> KERNEL = List.of(CompressorId.GZIP, CompressorId.XZ, CompressorId.LZ4,
            CompressorId.LZO, CompressorId.ZSTD);

    private TestCompressors() {
    }

    public static Compressor defaults(CompressorId id, int blockSize) {
        return Compressors.defaults(id, blockSize);
    }
}
