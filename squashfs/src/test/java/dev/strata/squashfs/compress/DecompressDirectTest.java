package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every compressor's direct-buffer entry (what extraction streams blocks through) answers as its
 * array entry on intact and damaged blocks: the same bytes whenever it decodes, and -1 (leaving the
 * verdict to the array entry) otherwise. lz4 and zstd decode every intact block there.
 */
class DecompressDirectTest {
    @Provide
    Arbitrary<String> configs() {
        return Arbitraries.of(TestConfigs.names());
    }

    @Property(tries = 600)
    void theDirectEntryAnswersAsTheArrayEntry(@ForAll("configs") String config, @ForAll BlockData kind,
                                              @ForAll @IntRange(min = 1, max = 131072) int size, @ForAll long seed,
                                              @ForAll @IntRange(min = 0, max = 3) int flips) {
        Compressor c = TestConfigs.get(config);
        byte[] packed = c.compress(kind.generate(size, seed), 0, size);
        Assume.that(packed != null); // incompressible: stored as it is
        byte[] block = BlockData.damaged(packed, seed, flips, 0);
        byte[] viaArray = new byte[size];
        int arrayResult;
        try {
            arrayResult = c.decompress(block, 0, block.length, viaArray, 0, size);
        } catch (IOException e) {
            arrayResult = -1;
        }
        byte[] viaDirect = new byte[size];
        int directResult = DirectDecoding.decode(c, block, size, viaDirect);
        if (directResult >= 0) {
            assertEquals(arrayResult, directResult, config + ": the entries disagree on a block");
            assertArrayEquals(Arrays.copyOf(viaArray, arrayResult), Arrays.copyOf(viaDirect, directResult), config);
        }
        if (flips == 0 && (c.id() == CompressorId.LZ4 || c.id() == CompressorId.ZSTD)) {
            assertEquals(size, directResult, config + " decodes an intact block through direct buffers");
        }
    }
}
