package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * liblzma decodes what xz-java writes, byte for byte, and refuses (leaving the verdict to the Java
 * decoders) whatever they refuse, a dictionary larger than the image's among it. Runs where liblzma is
 * installed (every Debian system: dpkg needs it).
 */
@AddLifecycleHook(SkipWithoutDecoderLibraries.LibLzmaMissing.class)
class LibLzmaTest {
    private static final int BLOCK = 128 * 1024;
    private static LibLzma liblzma;

    @BeforeAll
    static void load() throws InterruptedException {
        liblzma = SkipWithoutDecoderLibraries.loadedOrNull(LibLzma.BINDING, "liblzma.so.5", "strata.liblzma");
    }

    private static void assumeLoaded() {
        Assumptions.assumeTrue(liblzma != null, () -> "skipped: liblzma is not installed here ("
                + LibLzma.BINDING.unavailableReason() + "); apt-get install liblzma5");
    }

    private static long limit(int dictSize) {
        return Math.max(dictSize, 8192) + (68 << 10);
    }

    @Property(tries = 200)
    void decodesWhatXzJavaWrites(@ForAll BlockData kind, @ForAll @IntRange(min = 1, max = BLOCK) int size,
                                 @ForAll @IntRange(min = 0, max = 8) int filter, @ForAll long seed) throws Exception {
        assumeLoaded();
        Set<XzBcjFilter> filters = filter == 0 ? Set.of() : EnumSet.of(XzBcjFilter.values()[(filter - 1)
                % XzBcjFilter.values().length]);
        XzCompressor xz = new XzCompressor(BLOCK, BLOCK, filters);
        byte[] data = kind.generate(size, seed);
        byte[] packed = xz.compress(data, 0, size);
        Assumptions.assumeTrue(packed != null, "incompressible: stored as it is");
        byte[] back = new byte[size + 5];
        int n = liblzma.decode(packed, 0, packed.length, back, 2, size, limit(BLOCK));
        DirectDecoding.assertAgrees(xz, packed, size, n, back, 2);
        if (n < 0 && (filters.contains(XzBcjFilter.RISCV) || filters.contains(XzBcjFilter.ARM64))) {
            // liblzma has the arm64 filter since 5.4, riscv since 5.6 (Debian 12: 5.4.1): the Java decoders read it
            assertEquals(size, xz.decompress(packed, 0, packed.length, back, 2, size));
        } else {
            assertEquals(size, n);
        }
        assertArrayEquals(data, Arrays.copyOfRange(back, 2, 2 + size));
    }

    @Property(tries = 1000)
    void agreesWithTheJavaDecodersOnDamagedBlocks(@ForAll BlockData kind, @ForAll @IntRange(min = 1, max = 40000) int size,
                                                  @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int flips,
                                                  @ForAll @IntRange(min = -8, max = 8) int lengthChange) {
        assumeLoaded();
        XzCompressor xz = new XzCompressor(BLOCK, BLOCK, Set.of());
        byte[] packed = xz.compress(kind.generate(size, seed), 0, size);
        Assumptions.assumeTrue(packed != null, "incompressible: stored as it is");
        byte[] damaged = BlockData.damaged(packed, seed, flips, lengthChange);
        byte[] fast = new byte[size];
        int n = liblzma.decode(damaged, 0, damaged.length, fast, 0, size, limit(BLOCK));
        DirectDecoding.assertAgrees(xz, damaged, size, n, fast, 0);
        byte[] slow = new byte[size];
        int m;
        try {
            m = xz.decodeWithJava(damaged, 0, damaged.length, slow, 0, size);
        } catch (CorruptBlockException e) {
            m = -1;
        }
        if (n >= 0) {
            assertEquals(m, n, "liblzma decoded a block the Java decoders " + (m < 0 ? "refuse" : "decode otherwise"));
            assertArrayEquals(Arrays.copyOf(slow, m), Arrays.copyOf(fast, n));
        }
    }

    @Test
    void refusesADictionaryLargerThanTheImages() throws Exception {
        assumeLoaded();
        byte[] data = BlockData.TEXT.generate(BLOCK, 3);
        for (int declared : new int[] {192 << 10, 256 << 10, 1 << 20}) {
            byte[] packed = new XzCompressor(1 << 20, declared, Set.of()).compress(data, 0, data.length);
            byte[] out = new byte[BLOCK];
            assertEquals(-1, liblzma.decode(packed, 0, packed.length, out, 0, BLOCK, limit(BLOCK)), "dictionary " + declared);
            assertThrows(CorruptBlockException.class,
                    () -> new XzCompressor(BLOCK, BLOCK, Set.of()).decompress(packed, 0, packed.length, out, 0, BLOCK),
                    "dictionary " + declared);
            assertEquals(BLOCK, liblzma.decode(packed, 0, packed.length, out, 0, BLOCK, limit(declared)));
            assertArrayEquals(data, out);
        }
    }

    @Test
    void leavesBlocksTooLargeOrWithTrailingBytesToTheJavaDecoders() throws Exception {
        assumeLoaded();
        XzCompressor xz = new XzCompressor(BLOCK, BLOCK, EnumSet.of(XzBcjFilter.X86));
        byte[] data = BlockData.TEXT.generate(5000, 1);
        byte[] packed = xz.compress(data, 0, data.length);
        assertEquals(-1, liblzma.decode(packed, 0, packed.length, new byte[4999], 0, 4999, limit(BLOCK)));
        assertThrows(CorruptBlockException.class, () -> xz.decompress(packed, 0, packed.length, new byte[4999], 0, 4999));

        byte[] trailing = Arrays.copyOf(packed, packed.length + 3);
        assertEquals(-1, liblzma.decode(trailing, 0, trailing.length, new byte[5000], 0, 5000, limit(BLOCK)));
        CorruptBlockException extra = assertThrows(CorruptBlockException.class,
                () -> xz.decompress(trailing, 0, trailing.length, new byte[5000], 0, 5000));
        assertTrue(extra.getMessage().startsWith("xz: "), extra.getMessage());

        byte[] back = new byte[5000];
        assertEquals(5000, xz.decompress(packed, 0, packed.length, back, 0, back.length));
        assertArrayEquals(data, back);
        assertTrue(LibLzma.BINDING.ifReady() == liblzma, "XzCompressor's fast path is the loaded library");
    }
}
