package dev.strata.squashfs.compress;

import java.util.Arrays;

/**
 * Greedy single-probe LZO1X encoder for the lzo1x_1 family: one hash table of recent positions
 * (2^hashBits entries, the variants differ only in that size), the first match of 4 or more
 * bytes (or 3 within 2 KiB) is taken, and literal stretches are skipped faster the longer they
 * get. One instance per thread, reused across blocks.
 */
final class Lzo1xFastEncoder {
    private static final int MAX_HASH_BITS = 15;
    private final int[] table = new int[1 << MAX_HASH_BITS];
    private final Lzo1xWriter writer = new Lzo1xWriter();

    /**
     * Encodes src[off, off+len) into out (of at least maxCompressedLength(len) bytes) with a table
     * of 2^hashBits entries (at most 2^15); returns the size.
     */
    int compress(byte[] src, int off, int len, byte[] out, int hashBits) {
        Lzo1xWriter w = writer;
        w.begin(out, 0);
        int end = off + len;
        int litStart = off;
        if (len >= 8) {
            Arrays.fill(table, 0, 1 << hashBits, -1);
            int[] tab = table;
            int shift = 32 - hashBits;
            int limit = end - 4;
            int i = off + 1;
            while (i <= limit) {
                int v = read32(src, i);
                int h = (v * 0x9E3779B1) >>> shift;
                int cand = tab[h];
                tab[h] = i;
                int dist = i - cand;
                if (cand >= 0 && dist <= Lzo1xWriter.MAX_DISTANCE) {
                    int len3 = 0;
                    if (read32(src, cand) == v) {
                        len3 = 4;
                    } else if (dist <= 2048 && (v & 0xFFFFFF) == (read32(src, cand) & 0xFFFFFF)) {
                        len3 = 3;
                    }
                    if (len3 > 0) {
                        int m = len3;
                        int max = end - i;
                        while (m < max && src[cand + m] == src[i + m]) {
                            m++;
                        }
                        while (i > litStart && cand > off && src[i - 1] == src[cand - 1] && i - 1 > off) {
                            i--;
                            cand--;
                            m++;
                        }
                        w.literals(src, litStart, i - litStart);
                        w.match(m, dist);
                        i += m;
                        litStart = i;
                        if (i - 2 > off && i - 2 <= limit) {
                            tab[(read32(src, i - 2) * 0x9E3779B1) >>> shift] = i - 2;
                        }
                        continue;
                    }
                }
                i += 1 + ((i - litStart) >>> 5);
            }
        }
        w.literals(src, litStart, end - litStart);
        return w.end();
    }

    private static int read32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }
}
