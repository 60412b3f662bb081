package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CompressorRoundTripTest {
    private static final byte CANARY = 0x5A;

    @Provide
    Arbitrary<String> configs() {
        return Arbitraries.of(TestConfigs.names());
    }

    /** Sizes 0 .. 1 MiB, mostly small, with the edges a block writer meets. */
    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 64)),
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(65, 8192)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(8193, 131072)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(131073, 1 << 20)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 2, 3, 4, 8192, 131072, 1 << 20)));
    }

    @Property(tries = 400)
    void everyCompressedBlockDecompressesToTheOriginalWithinItsBounds(@ForAll("configs") String config,
            @ForAll BlockData kind, @ForAll("sizes") int size, @ForAll long seed) throws Exception {
        Compressor c = TestConfigs.get(config);
        byte[] data = kind.generate(size, seed);
        // Compress from the middle of a larger array to prove offsets are honoured.
        byte[] padded = new byte[size + 7];
        System.arraycopy(data, 0, padded, 3, size);
        byte[] packed = c.compress(padded, 3, size);
        if (kind != BlockData.RANDOM && size >= 4096) {
            assertNotNull(packed, config + " did not shrink " + size + " bytes of " + kind);
        }
        if (packed == null) {
            return;
        }
        assertTrueThat(packed.length < size, config + " returned " + packed.length + " bytes for " + size);

        byte[] dst = canaries(size + 32);
        int n = c.decompress(packed, 0, packed.length, dst, 16, size);
        assertEquals(size, n, config);
        assertArrayEquals(data, Arrays.copyOfRange(dst, 16, 16 + size), config);
        assertCanaries(dst, 0, 16);
        assertCanaries(dst, 16 + size, dst.length);

        byte[] tooSmall = canaries(size + 32);
        assertThrows(CorruptBlockException.class, () -> c.decompress(packed, 0, packed.length, tooSmall, 16, size - 1),
                config + " accepted an output limit one byte short");
        assertCanaries(tooSmall, 16 + size - 1, tooSmall.length);
    }

    @Test
    void compressingFromSeveralThreadsGivesTheSameBytesAsOneThread() throws Exception {
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            blocks.add(BlockData.values()[i % BlockData.values().length].generate(20000 + 1000 * i, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (String name : TestConfigs.names()) {
                Compressor c = TestConfigs.get(name);
                List<byte[]> expected = new ArrayList<>();
                for (byte[] b : blocks) {
                    expected.add(c.compress(b, 0, b.length));
                }
                List<Future<byte[]>> got = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (byte[] b : blocks) {
                        got.add(pool.submit(() -> c.compress(b, 0, b.length)));
                    }
                }
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(expected.get(i % blocks.size()), got.get(i).get(), name + " block " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Property(tries = 200)
    void metadataBlocksRoundTrip(@ForAll("configs") String config, @ForAll BlockData kind,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 8192) int size, @ForAll long seed) throws Exception {
        Compressor c = TestConfigs.get(config);
        byte[] data = kind.generate(size, seed);
        byte[] packed = c.compressMetadata(data, 0, size);
        if (packed == null) {
            return;
        }
        byte[] back = new byte[8192];
        assertEquals(size, c.decompress(packed, 0, packed.length, back, 0, back.length), config);
        assertArrayEquals(data, Arrays.copyOf(back, size), config);
    }

    @Test
    void largeZeroAndTextBlocksRoundTripForEveryCompressor() throws Exception {
        for (String name : TestConfigs.names()) {
            Compressor c = TestConfigs.get(name);
            for (byte[] data : List.of(new byte[1 << 20], BlockData.TEXT.generate(1 << 20, 7),
                    BlockData.REPETITIVE.generate(1 << 20, 8))) {
                byte[] packed = c.compress(data, 0, data.length);
                assertNotNull(packed, name);
                byte[] back = new byte[data.length];
                assertEquals(data.length, c.decompress(packed, 0, packed.length, back, 0, back.length), name);
                assertArrayEquals(data, back, name);
            }
        }
    }

    static byte[] canaries(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, CANARY);
        return b;
    }

    static void assertCanaries(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(CANARY, b[i], "byte " + i + " outside the output window was written");
        }
    }

    private static void assertTrueThat(boolean condition, String message) {
        org.junit.jupiter.api.Assertions.assertTrue(condition, message);
    }
}
