package dev.strata.squashfs.compress;

import java.io.ByteArrayOutputStream;

/**
 * Walks a zlib stream the way an inflater does (RFC 1950/1951) to report what Inflater does not:
 * the window its header declares and the longest distance any match uses. Test-only, written
 * from the RFCs.
 */
final class DeflateInspector {
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
        769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
        11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    record Report(int windowBits, int maxDistance, byte[] output) {
    }

    private final byte[] in;
    private int pos;
    private int bitBuf;
    private int bitCount;

    private DeflateInspector(byte[] in) {
        this.in = in;
    }

    static Report inspect(byte[] zlib) {
        DeflateInspector d = new DeflateInspector(zlib);
        int cmf = zlib[0] & 0xFF;
        int flg = zlib[1] & 0xFF;
        if ((cmf & 15) != 8 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20) != 0) {
            throw new IllegalArgumentException("bad zlib header");
        }
        d.pos = 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int max = d.blocks(out);
        return new Report((cmf >> 4) + 8, max, out.toByteArray());
    }

    private int blocks(ByteArrayOutputStream out) {
        byte[] window = new byte[0];
        int produced = 0;
        int max = 0;
        byte[] buf = new byte[1 << 22];
        boolean last;
        do {
            last = bits(1) == 1;
            int type = bits(2);
            if (type == 0) {
                bitBuf = 0;
                bitCount = 0;
                int len = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
                pos += 4;
                System.arraycopy(in, pos, buf, produced, len);
                pos += len;
                produced += len;
                continue;
            }
            int[][] lit;
            int[][] dist;
            if (type == 1) {
                int[] l = new int[288];
                for (int i = 0; i < 288; i++) {
                    l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
                }
                int[] dl = new int[30];
                java.util.Arrays.fill(dl, 5);
                lit = huffman(l);
                dist = huffman(dl);
            } else if (type == 2) {
                int nlen = bits(5) + 257;
                int ndist = bits(5) + 1;
                int ncode = bits(4) + 4;
                int[] cl = new int[19];
                for (int i = 0; i < ncode; i++) {
                    cl[CODE_LENGTH_ORDER[i]] = bits(3);
                }
                int[][] clh = huffman(cl);
                int[] lengths = new int[nlen + ndist];
                for (int i = 0; i < nlen + ndist;) {
                    int sym = decode(clh);
                    if (sym < 16) {
                        lengths[i++] = sym;
                    } else {
                        int prev = sym == 16 ? lengths[i - 1] : 0;
                        int rep = sym == 16 ? 3 + bits(2) : sym == 17 ? 3 + bits(3) : 11 + bits(7);
                        while (rep-- > 0) {
                            lengths[i++] = prev;
                        }
                    }
                }
                lit = huffman(java.util.Arrays.copyOf(lengths, nlen));
                dist = huffman(java.util.Arrays.copyOfRange(lengths, nlen, nlen + ndist));
            } else {
                throw new IllegalArgumentException("reserved block type");
            }
            for (;;) {
                int sym = decode(lit);
                if (sym < 256) {
                    buf[produced++] = (byte) sym;
                } else if (sym == 256) {
                    break;
                } else {
                    int s = sym - 257;
                    int len = LENGTH_BASE[s] + bits(LENGTH_EXTRA[s]);
                    int ds = decode(dist);
                    int d = DIST_BASE[ds] + bits(DIST_EXTRA[ds]);
                    if (d > produced) {
                        throw new IllegalArgumentException("distance " + d + " before the start");
                    }
                    max = Math.max(max, d);
                    for (int k = 0; k < len; k++) {
                        buf[produced] = buf[produced - d];
                        produced++;
                    }
                }
            }
        } while (!last);
        out.write(buf, 0, produced);
        return max;
    }

    private int bits(int n) {
        while (bitCount < n) {
            bitBuf |= (in[pos++] & 0xFF) << bitCount;
            bitCount += 8;
        }
        int v = bitBuf & ((1 << n) - 1);
        bitBuf >>>= n;
        bitCount -= n;
        return v;
    }

    /** Canonical Huffman table: [0] counts per length, [1] symbols ordered by code. */
    private static int[][] huffman(int[] lengths) {
        int[] count = new int[16];
        for (int l : lengths) {
            count[l]++;
        }
        count[0] = 0;
        int[] offs = new int[16];
        for (int l = 1; l < 15; l++) {
            offs[l + 1] = offs[l] + count[l];
        }
        int[] symbols = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] != 0) {
                symbols[offs[lengths[s]]++] = s;
            }
        }
        return new int[][] {count, symbols};
    }

    private int decode(int[][] h) {
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= 15; len++) {
            code |= bits(1);
            int count = h[0][len];
            if (code - count < first) {
                return h[1][index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new IllegalArgumentException("bad Huffman code");
    }
}
