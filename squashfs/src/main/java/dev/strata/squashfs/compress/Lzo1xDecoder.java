package dev.strata.squashfs.compress;

/**
 * A bounds-checked LZO1X decoder. Every length and distance read from the block is checked
 * against the input left, the output limit and the output produced before it is used.
 *
 * <p>Bitstream (see the Linux kernel's Documentation/staging/lzo.rst): a first byte above 17
 * starts with a run of (byte - 17) literals; then instructions whose top bits select
 * <pre>
 *   0000LLLL  after no literals: a run of 4 or more literals
 *             after 1..3 literals: 2-byte match, distance up to 1 KiB, one more byte
 *             after 4+ literals: 3-byte match, distance 2049..3072, one more byte
 *   0001HLLL  match of 3+ bytes, distance 16385..49151 (distance 16384: end of stream), LE16 follows
 *   001LLLLL  match of 3+ bytes, distance up to 16 KiB, LE16 follows
 *   01LDDDSS  match of 3..4 bytes, distance up to 2 KiB, one more byte
 *   1LLDDDSS  match of 5..8 bytes, distance up to 2 KiB, one more byte
 * </pre>
 * A length field of zero continues in extra bytes: 255 for each zero byte, plus the first
 * non-zero byte. The two S bits of a match (in its last byte) copy 0..3 literals after it.
 */
final class Lzo1xDecoder {
    private final byte[] src;
    private final int start;
    private final int end;
    private int ip;

    private Lzo1xDecoder(byte[] src, int off, int len) {
        this.src = src;
        this.start = off;
        this.end = off + len;
        this.ip = off;
    }

    static int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        return new Lzo1xDecoder(src, off, len).run(dst, dstOff, maxLen);
    }

    private int run(byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        if (end - start < 3) {
            throw corrupt("block of " + (end - start) + " bytes is too short for an LZO1X stream");
        }
        final int opEnd = dstOff + maxLen;
        int op = dstOff;
        int state;
        int first = src[ip] & 0xFF;
        if (first > 17) {
            ip++;
            int t = first - 17;
            op = literals(dst, op, opEnd, t);
            state = t < 4 ? t : 4;
        } else if (first == 17 && end - start >= 5) {
            // As the kernel reads it: 17 then a version byte marks an LZO-RLE stream. Only the
            // 3-byte stream of an empty block (the end marker alone) may start with 17.
            throw corrupt("starts with byte 17, the LZO-RLE version marker, which squashfs never uses");
        } else {
            state = 0;
        }
        for (;;) {
            int insnAt = ip;
            int insn = next("an instruction");
            int len;
            int dist;
            int s;
            if (insn < 16) {
                if (state == 0) {
                    int t = insn != 0 ? insn + 3 : 18 + extendedLength(opEnd - op);
                    op = literals(dst, op, opEnd, t);
                    state = 4;
                    continue;
                }
                int h = next("a match distance");
                if (state < 4) {
                    len = 2;
                    dist = 1 + (insn >> 2) + (h << 2);
                } else {
                    len = 3;
                    dist = 2049 + (insn >> 2) + (h << 2);
                }
                s = insn & 3;
            } else if (insn >= 64) {
                len = (insn >> 5) + 1;
                dist = 1 + ((insn >> 2) & 7) + (next("a match distance") << 3);
                s = insn & 3;
            } else if (insn >= 32) {
                len = (insn & 31) != 0 ? (insn & 31) + 2 : 33 + extendedLength(opEnd - op);
                int v = le16();
                dist = 1 + (v >> 2);
                s = v & 3;
            } else {
                len = (insn & 7) != 0 ? (insn & 7) + 2 : 9 + extendedLength(opEnd - op);
                int v = le16();
                dist = ((insn & 8) << 11) + (v >> 2);
                if (dist == 0) {
                    if (len != 3) {
                        throw corrupt("end-of-stream marker at input offset " + (insnAt - start)
                                + " has length " + len + ", not 3");
                    }
                    if (ip != end) {
                        throw corrupt((end - ip) + " bytes follow the end-of-stream marker");
                    }
                    return op - dstOff;
                }
                dist += 16384;
                s = v & 3;
            }
            if (dist > op - dstOff) {
                throw corrupt("match at input offset " + (insnAt - start) + " reaches " + dist
                        + " bytes back but only " + (op - dstOff) + " bytes were produced");
            }
            if (len > opEnd - op) {
                throw corrupt("match at input offset " + (insnAt - start) + " would write past the "
                        + maxLen + "-byte output limit");
            }
            copyMatch(dst, op, dist, len);
            op += len;
            if (s != 0) {
                op = literals(dst, op, opEnd, s);
            }
            state = s;
        }
    }

    private int literals(byte[] dst, int op, int opEnd, int t) throws CorruptBlockException {
        if (t > end - ip) {
            throw corrupt("literal run of " + t + " bytes at input offset " + (ip - start)
                    + " runs past the end of the block");
        }
        if (t > opEnd - op) {
            throw corrupt("literal run of " + t + " bytes at input offset " + (ip - start)
                    + " would write past the output limit");
        }
        System.arraycopy(src, ip, dst, op, t);
        ip += t;
        return op + t;
    }

    private static void copyMatch(byte[] dst, int op, int dist, int len) {
        int from = op - dist;
        if (dist >= len) {
            System.arraycopy(dst, from, dst, op, len);
        } else if (dist == 1) {
            java.util.Arrays.fill(dst, op, op + len, dst[from]);
        } else {
            for (int i = 0; i < len; i++) {
                dst[op + i] = dst[from + i];
            }
        }
    }

    /** Reads the zero bytes and final byte of a long length; fails early once it exceeds limit. */
    private int extendedLength(int limit) throws CorruptBlockException {
        int at = ip;
        int n = 0;
        for (;;) {
            int b = next("a length");
            if (b != 0) {
                return n + b;
            }
            n += 255;
            if (n > limit) {
                throw corrupt("length at input offset " + (at - start) + " exceeds the output left ("
                        + limit + " bytes)");
            }
        }
    }

    private int next(String what) throws CorruptBlockException {
        if (ip >= end) {
            throw corrupt("block ends where " + what + " was expected (missing end-of-stream marker?)");
        }
        return src[ip++] & 0xFF;
    }

    private int le16() throws CorruptBlockException {
        if (end - ip < 2) {
            throw corrupt("block ends inside a match distance");
        }
        int v = (src[ip] & 0xFF) | (src[ip + 1] & 0xFF) << 8;
        ip += 2;
        return v;
    }

    private static CorruptBlockException corrupt(String what) {
        return new CorruptBlockException("lzo: " + what);
    }
}
