package dev.strata.squashfs.compress;

import static dev.strata.squashfs.compress.CompressorRoundTripTest.assertCanaries;
import static dev.strata.squashfs.compress.CompressorRoundTripTest.canaries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CorruptBlockTest {
    private static final int BLOCK = 65536;

    static List<String> configs() {
        return TestConfigs.names();
    }

    private static byte[] validBlock(Compressor c) {
        byte[] data = BlockData.REPETITIVE.generate(BLOCK, 42);
        return c.compress(data, 0, data.length);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void emptyInputIsCorrupt(String name) {
        Compressor c = TestConfigs.get(name);
        assertThrows(CorruptBlockException.class, () -> c.decompress(new byte[0], 0, 0, new byte[BLOCK], 0, BLOCK));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void truncatedBlocksAreCorrupt(String name) {
        Compressor c = TestConfigs.get(name);
        byte[] packed = validBlock(c);
        for (int keep : new int[] {1, 2, packed.length / 2, packed.length - 1}) {
            byte[] dst = canaries(BLOCK + 8);
            assertThrows(CorruptBlockException.class, () -> c.decompress(packed, 0, keep, dst, 4, BLOCK),
                    name + " accepted the first " + keep + " of " + packed.length + " bytes");
            assertCanaries(dst, 4 + BLOCK, dst.length);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void bytesAfterTheEndOfTheStreamAreCorrupt(String name) {
        Compressor c = TestConfigs.get(name);
        if (c.id() == CompressorId.LZ4) {
            return; // a raw LZ4 block has no end marker: extra bytes read as a further sequence
        }
        byte[] packed = validBlock(c);
        byte[] longer = Arrays.copyOf(packed, packed.length + 3);
        assertThrows(CorruptBlockException.class, () -> c.decompress(longer, 0, longer.length, new byte[BLOCK], 0, BLOCK));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of(TestConfigs.names());
    }

    /**
     * Garbage and damaged blocks: the decoder either rejects them with CorruptBlockException or
     * decodes something within the limit; it never throws anything else or writes outside the
     * window.
     */
    @Property(tries = 600)
    void damagedBlocksFailCleanlyAndStayInsideTheOutputWindow(@ForAll("names") String name, @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int damage) {
        Compressor c = TestConfigs.get(name);
        Random r = new Random(seed);
        byte[] data = BlockData.values()[r.nextInt(BlockData.values().length)].generate(1 + r.nextInt(20000), seed);
        byte[] packed = c.compress(data, 0, data.length);
        if (packed == null) {
            packed = data;
        }
        byte[] bad = packed.clone();
        switch (damage) {
            case 0 -> r.nextBytes(bad);
            case 1 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
            default -> bad = Arrays.copyOf(bad, r.nextInt(bad.length + 1));
        }
        int maxLen = r.nextBoolean() ? data.length : r.nextInt(data.length + 1);
        byte[] dst = canaries(maxLen + 64);
        try {
            int n = c.decompress(bad, 0, bad.length, dst, 32, maxLen);
            assertTrue(n >= 0 && n <= maxLen, name + " reported " + n + " bytes for a limit of " + maxLen);
        } catch (CorruptBlockException expected) {
            assertTrue(expected.getMessage().startsWith(c.id().mksquashfsName() + ":"), expected.getMessage());
        } catch (Exception | Error e) {
            throw new AssertionError(name + " threw " + e + " instead of CorruptBlockException", e);
        }
        assertCanaries(dst, 0, 32);
        assertCanaries(dst, 32 + maxLen, dst.length);
    }

    @Test
    void lzoNamesTheProblem() {
        Compressor lzo = Compressors.defaults(CompressorId.LZO, 131072);
        byte[] dst = new byte[100];
        // one literal 'a', then a 3-byte match 5 bytes back (only 1 byte produced), then the end marker
        byte[] farBack = {18, 'a', (byte) (64 | (4 << 2)), 0, 0x11, 0, 0};
        assertMessage(lzo, farBack, dst, "reaches 5 bytes back but only 1 bytes were produced");
        byte[] noEnd = {20, 'a', 'b', 'c'};
        assertMessage(lzo, noEnd, dst, "missing end-of-stream marker");
        // a literal run whose length continues over zero bytes far beyond the 100-byte limit
        byte[] hugeRun = {18, 'a', 0x00, 0, 0, 0, 1, 'x', 0x11, 0, 0};
        assertMessage(lzo, hugeRun, dst, "exceeds the output left");
        byte[] trailing = {18, 'a', 0x11, 0, 0, 9};
        assertMessage(lzo, trailing, dst, "1 bytes follow the end-of-stream marker");
        byte[] rle = {17, 1, 0, 0, 0x11, 0, 0};
        assertMessage(lzo, rle, dst, "LZO-RLE");
        byte[] ok = {18, 'a', 0x11, 0, 0};
        assertEqualsNoThrow(lzo, ok, dst, 1);
        byte[] empty = {0x11, 0, 0};
        assertEqualsNoThrow(lzo, empty, dst, 0);
    }

    private static void assertMessage(Compressor c, byte[] block, byte[] dst, String part) {
        CorruptBlockException e = assertThrows(CorruptBlockException.class,
                () -> c.decompress(block, 0, block.length, dst, 0, dst.length));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertEqualsNoThrow(Compressor c, byte[] block, byte[] dst, int expected) {
        try {
            assertEquals(expected, c.decompress(block, 0, block.length, dst, 0, dst.length));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
