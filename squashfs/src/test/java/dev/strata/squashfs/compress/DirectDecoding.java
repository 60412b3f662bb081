package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Checks {@link Compressor#decompressDirect} against the array entry of the same library. */
final class DirectDecoding {
    private DirectDecoding() {
    }

    /**
     * Decodes packed through c's direct-buffer entry and asserts it answers as the array entry did:
     * arrayResult (the decoded length, or -1 for a block the library left to the Java decoders) and,
     * when decoded, arrayOut[arrayOff, arrayOff + arrayResult).
     */
    static void assertAgrees(Compressor c, byte[] packed, int maxLen, int arrayResult, byte[] arrayOut, int arrayOff) {
        ByteBuffer src = ByteBuffer.allocateDirect(packed.length);
        src.put(0, packed);
        ByteBuffer dst = ByteBuffer.allocateDirect(maxLen);
        int n = c.decompressDirect(src, packed.length, dst, maxLen);
        assertEquals(arrayResult, n, "direct and array entries of the library disagree on a block");
        if (n >= 0) {
            byte[] direct = new byte[n];
            dst.get(0, direct);
            assertArrayEquals(Arrays.copyOfRange(arrayOut, arrayOff, arrayOff + n), direct);
        }
    }
}
