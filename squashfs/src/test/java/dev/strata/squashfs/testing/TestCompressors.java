package dev.strata.squashfs.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.write.TestGzip;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The compressors the real-program tests run with: those the kernel mounts (gzip, xz, lz4, lzo,
 * zstd), each with the project's defaults from {@code Compressors.defaults}. While that factory is not
 * in this build yet, gzip falls back to the minimal {@link TestGzip} and the others skip with a
 * reason.
 */
public final class TestCompressors {
    /** What the mainline kernel can mount; LZMA (id 2) never was. */
    public static final List<CompressorId> KERNEL = List.of(CompressorId.GZIP, CompressorId.XZ, CompressorId.LZ4,
            CompressorId.LZO, CompressorId.ZSTD);

    private static final Method DEFAULTS = findDefaults();

    private TestCompressors() {
    }

    /** The project's compressor with default settings, or a skip when it is not available. */
    public static Compressor defaults(CompressorId id, int blockSize) {
        if (DEFAULTS == null) {
            assumeTrue(id == CompressorId.GZIP, () -> id.mksquashfsName()
                    + ": dev.strata.squashfs.compress.Compressors is not in this build yet");
            return new TestGzip();
        }
        try {
            return (Compressor) DEFAULTS.invoke(null, id, blockSize);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Method findDefaults() {
        try {
            return Class.forName("dev.strata.squashfs.compress.Compressors")
                    .getMethod("defaults", CompressorId.class, int.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
