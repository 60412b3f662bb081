package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.zip.Deflater;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * libdeflate inflates what zlib inflates, byte for byte, and refuses (leaving the verdict to zlib)
 * whatever zlib refuses. Runs where the library is installed (.ci/run installs Debian's libdeflate0).
 */
@AddLifecycleHook(SkipWithoutDecoderLibraries.LibDeflateMissing.class)
class LibDeflateTest {
    private static final Compressor GZIP = Compressors.defaults(CompressorId.GZIP, 1 << 20);
    private static LibDeflate libdeflate;

    @BeforeAll
    static void load() throws InterruptedException {
        libdeflate = SkipWithoutDecoderLibraries.loadedOrNull(LibDeflate.BINDING, "libdeflate.so.0", "strata.libdeflate");
    }

    private static void assumeLoaded() {
        Assumptions.assumeTrue(libdeflate != null, () -> "skipped: libdeflate is not installed here ("
                + LibDeflate.BINDING.unavailableReason() + "); apt-get install libdeflate0");
    }

    private static byte[] zlib(byte[] data, int level, int strategy) {
        Deflater d = new Deflater(level);
        d.setStrategy(strategy);
        d.setInput(data);
        d.finish();
        byte[] out = new byte[data.length + data.length / 100 + 64];
        int n = 0;
        while (!d.finished()) {
            n += d.deflate(out, n, out.length - n);
        }
        d.end();
        return Arrays.copyOf(out, n);
    }

    @Property(tries = 300)
    void inflatesWhatZlibInflates(@ForAll BlockData kind, @ForAll @IntRange(min = 0, max = 1 << 20) int size,
                                  @ForAll @IntRange(min = 0, max = 9) int level,
                                  @ForAll @IntRange(min = 0, max = 2) int strategy, @ForAll long seed) {
        assumeLoaded();
        byte[] data = kind.generate(size, seed);
        byte[] packed = zlib(data, level, new int[] {Deflater.DEFAULT_STRATEGY, Deflater.FILTERED,
                Deflater.HUFFMAN_ONLY}[strategy]);
        byte[] back = new byte[size + 7];
        int n = libdeflate.inflate(packed, 0, packed.length, back, 3, size);
        assertEquals(size, n);
        assertArrayEquals(data, Arrays.copyOfRange(back, 3, 3 + size));
        DirectDecoding.assertAgrees(GZIP, packed, size, n, back, 3);
    }

    @Property(tries = 2000)
    void agreesWithZlibOnDamagedStreams(@ForAll BlockData kind, @ForAll @IntRange(min = 1, max = 70000) int size,
                                        @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int flips,
                                        @ForAll @IntRange(min = -8, max = 8) int lengthChange) {
        assumeLoaded();
        byte[] packed = zlib(kind.generate(size, seed), 6, Deflater.DEFAULT_STRATEGY);
        byte[] damaged = BlockData.damaged(packed, seed, flips, lengthChange);
        byte[] fast = new byte[size];
        int n = libdeflate.inflate(damaged, 0, damaged.length, fast, 0, size);
        DirectDecoding.assertAgrees(GZIP, damaged, size, n, fast, 0);
        byte[] slow = new byte[size];
        int m;
        try {
            m = GzipCompressor.inflateWithZlib(damaged, 0, damaged.length, slow, 0, size);
        } catch (CorruptBlockException e) {
            m = -1;
        }
        if (n >= 0) {
            assertEquals(m, n, "libdeflate inflated a block zlib " + (m < 0 ? "refuses" : "inflates otherwise"));
            assertArrayEquals(Arrays.copyOf(slow, m), Arrays.copyOf(fast, n));
        }
    }

    @Test
    void leavesBlocksTooLargeOrWithTrailingBytesToZlib() throws Exception {
        assumeLoaded();
        byte[] data = BlockData.TEXT.generate(5000, 1);
        byte[] packed = zlib(data, 9, Deflater.DEFAULT_STRATEGY);
        assertEquals(-1, libdeflate.inflate(packed, 0, packed.length, new byte[4999], 0, 4999));
        CorruptBlockException tooLarge = assertThrows(CorruptBlockException.class,
                () -> GzipCompressor.inflate(packed, 0, packed.length, new byte[4999], 0, 4999));
        assertTrue(tooLarge.getMessage().contains("more than 4999 bytes"), tooLarge.getMessage());

        byte[] trailing = Arrays.copyOf(packed, packed.length + 2);
        assertEquals(-1, libdeflate.inflate(trailing, 0, trailing.length, new byte[5000], 0, 5000));
        CorruptBlockException extra = assertThrows(CorruptBlockException.class,
                () -> GzipCompressor.inflate(trailing, 0, trailing.length, new byte[5000], 0, 5000));
        assertEquals("gzip: 2 bytes follow the end of the zlib stream", extra.getMessage());

        byte[] cut = Arrays.copyOf(packed, packed.length - 5);
        assertEquals(-1, libdeflate.inflate(cut, 0, cut.length, new byte[5000], 0, 5000));
        assertThrows(CorruptBlockException.class, () -> GzipCompressor.inflate(cut, 0, cut.length, new byte[5000], 0, 5000));
    }

    @Test
    void gzipBlocksInflateThroughLibdeflateOnceItIsLoaded() throws Exception {
        assumeLoaded();
        byte[] data = BlockData.REPETITIVE.generate(131072, 7);
        byte[] packed = zlib(data, 9, Deflater.DEFAULT_STRATEGY);
        byte[] back = new byte[131072];
        assertEquals(131072, GzipCompressor.inflate(packed, 0, packed.length, back, 0, back.length));
        assertArrayEquals(data, back);
        assertTrue(LibDeflate.BINDING.ifReady() == libdeflate, "GzipCompressor's fast path is the loaded library");
    }
}
