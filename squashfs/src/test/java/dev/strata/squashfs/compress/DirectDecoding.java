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
        byte[] direct = new byte[maxLen];
        int n = decode(c, packed, maxLen, direct);
        assertEquals(arrayResult, n, "direct and array entries of the library disagree on a block");
        if (n >= 0) {
            assertArrayEquals(Arrays.copyOfRange(arrayOut, arrayOff, arrayOff + n), Arrays.copyOf(direct, n));
        }
    }

    /**
     * Decodes block through c's direct-buffer entry (block and at most maxLen bytes of output in
     * direct buffers); returns its result, the decoded bytes copied to out[0, result).
     */
    static int decode(Compressor c, byte[] block, int maxLen, byte[] out) {
        ByteBuffer src = ByteBuffer.allocateDirect(block.length);
        src.put(0, block);
        ByteBuffer dst = ByteBuffer.allocateDirect(maxLen);
        int n = c.decompressDirect(src, block.length, dst, maxLen);
        if (n > 0) {
            dst.get(0, out, 0, n);
        }
        return n;
    }
}
