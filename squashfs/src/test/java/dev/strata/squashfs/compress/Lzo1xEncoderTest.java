package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The LZO1X encoders' own promises, beyond decoding correctly. */
class Lzo1xEncoderTest {
    /** The parse prices every instruction exactly: the stream written is as long as planned. */
    @Property(tries = 300)
    void optimalParseWritesExactlyThePlannedSize(@ForAll BlockData kind, @ForAll @IntRange(min = 0, max = 300_000) int size,
            @ForAll @IntRange(min = 1, max = 9) int level, @ForAll long seed) throws Exception {
        byte[] data = kind.generate(size, seed);
        Lzo1xOptimalEncoder encoder = new Lzo1xOptimalEncoder();
        byte[] out = new byte[Lzo1xWriter.maxCompressedLength(size)];
        int n = encoder.compress(data, 0, size, out, Integer.MAX_VALUE, level);
        assertEquals(encoder.plannedSize, n);
        if (n >= 5) {
            assertNotEquals(17, out[0] & 0xFF, "a stream starting with 17 reads as LZO-RLE in the kernel");
        }
        byte[] back = new byte[size];
        assertEquals(size, Lzo1xDecoder.decompress(out, 0, n, back, 0, size));
        assertArrayEquals(data, back);
    }

    @Property(tries = 200)
    void fastEncoderRoundTripsWithEveryTableSize(@ForAll BlockData kind, @ForAll @IntRange(min = 0, max = 300_000) int size,
            @ForAll @IntRange(min = 11, max = 15) int hashBits, @ForAll long seed) throws Exception {
        byte[] data = kind.generate(size, seed);
        byte[] out = new byte[Lzo1xWriter.maxCompressedLength(size)];
        int n = new Lzo1xFastEncoder().compress(data, 0, size, out, hashBits);
        byte[] back = new byte[size];
        assertEquals(size, Lzo1xDecoder.decompress(out, 0, n, back, 0, size));
        assertArrayEquals(data, back);
    }

    /** One encoder per thread serves every block size and level in turn without leftovers. */
    @Test
    void reusedEncoderGivesTheSameBytesAsAFreshOne() {
        Lzo1xOptimalEncoder reused = new Lzo1xOptimalEncoder();
        for (int i = 0; i < 30; i++) {
            BlockData kind = BlockData.values()[i % BlockData.values().length];
            int size = 1000 + 37_000 * (i % 7);
            int level = 1 + i % 9;
            byte[] data = kind.generate(size, i);
            byte[] a = new byte[Lzo1xWriter.maxCompressedLength(size)];
            byte[] b = a.clone();
            int na = reused.compress(data, 0, size, a, Integer.MAX_VALUE, level);
            int nb = new Lzo1xOptimalEncoder().compress(data, 0, size, b, Integer.MAX_VALUE, level);
            assertArrayEquals(Arrays.copyOf(b, nb), Arrays.copyOf(a, na), kind + " " + size + " level " + level);
        }
    }

    /** The parse prices lengths in runs of equal cost; each run must end where the cost changes. */
    @Test
    void runsOfEqualMatchCostEndWhereTheCostChanges() {
        for (int dist : new int[] {1, 1024, 2048, 2049, 3072, 3073, 16384, 16385, Lzo1xWriter.MAX_DISTANCE}) {
            for (int len = 4; len < 1200; len++) {
                int last = Lzo1xWriter.lastLengthOfSameCost(len, dist);
                int cost = Lzo1xWriter.matchCost(len, dist, 0);
                for (int l = len; l <= last; l++) {
                    assertEquals(cost, Lzo1xWriter.matchCost(l, dist, 0), "len " + l + " dist " + dist);
                }
                assertNotEquals(cost, Lzo1xWriter.matchCost(last + 1, dist, 0), "after " + last + " dist " + dist);
            }
        }
    }

    @Test
    void higherLevelsDoNotCompressWorse() {
        byte[] data = BlockData.REPETITIVE.generate(200_000, 11);
        int previous = Integer.MAX_VALUE;
        for (int level = 1; level <= 9; level++) {
            byte[] out = new byte[Lzo1xWriter.maxCompressedLength(data.length)];
            int n = new Lzo1xOptimalEncoder().compress(data, 0, data.length, out, Integer.MAX_VALUE, level);
            assertTrue(n <= previous * 1.002, "level " + level + ": " + n + " after " + previous);
            previous = n;
        }
    }
}
