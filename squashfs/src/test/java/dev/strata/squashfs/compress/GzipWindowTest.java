package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * -Xwindow-size below 15: the zlib header declares the window and no match reaches further back,
 * so a decoder allocating only that window (as zlib's inflate does for the declared size) works.
 */
class GzipWindowTest {
    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 12, 14, 15})
    void noMatchReachesBeyondTheDeclaredWindow(int windowBits) throws Exception {
        for (String strategy : List.of("default", "filtered", "huffman_only", "run_length_encoded", "fixed")) {
            Compressor c = Compressors.create(CompressorId.GZIP,
                    List.of("-Xwindow-size", Integer.toString(windowBits), "-Xstrategy", strategy), 1 << 20);
            for (BlockData kind : List.of(BlockData.REPETITIVE, BlockData.TEXT, BlockData.SPARSE)) {
                for (int size : new int[] {100, 1 << windowBits, (1 << windowBits) + 1, 70000, 1 << 20}) {
                    byte[] data = kind.generate(size, size + windowBits);
                    byte[] packed = c.compress(data, 0, size);
                    if (packed == null && size < 4096) {
                        continue;
                    }
                    assertNotNull(packed, kind + " " + size);
                    DeflateInspector.Report r = DeflateInspector.inspect(packed);
                    String what = "window " + windowBits + " " + strategy + " " + kind + " " + size;
                    assertEquals(windowBits, r.windowBits(), what);
                    assertTrue(r.maxDistance() <= 1 << windowBits, what + ": distance " + r.maxDistance());
                    assertArrayEquals(data, r.output(), what);
                    byte[] back = new byte[size];
                    assertEquals(size, c.decompress(packed, 0, packed.length, back, 0, size));
                    assertArrayEquals(data, back, what);
                }
            }
        }
    }
}
