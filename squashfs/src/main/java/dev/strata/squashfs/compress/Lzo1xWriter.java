package dev.strata.squashfs.compress;

/**
 * Writes an LZO1X instruction stream (format in {@link Lzo1xDecoder}) from a sequence of
 * "literal run, match" steps, choosing for each match the shortest instruction the state allows.
 * {@link #literalRunCost} and {@link #matchCost} give the exact byte costs the writer will spend,
 * for the encoders to plan with.
 */
final class Lzo1xWriter {
    static final int MAX_DISTANCE = 0xBFFF;
    static final int INFINITE = Integer.MAX_VALUE / 4;
    static final int END_MARKER_SIZE = 3;

    private byte[] out;
    private int op;
    /** Index of the byte whose low two bits carry the literal count after the last match, or -1. */
    private int stateByte;
    private boolean started;
    private int state;

    void begin(byte[] out, int op) {
        this.out = out;
        this.op = op;
        this.stateByte = -1;
        this.started = false;
        this.state = 0;
    }

    int position() {
        return op;
    }

    /**
     * Bytes of instruction (not counting the literals themselves) that a run of t literals costs;
     * atStart when no instruction precedes it.
     */
    static int literalRunCost(int t, boolean atStart) {
        if (t == 0) {
            return 0;
        }
        if (atStart) {
            return t <= 238 ? 1 : 2 + (t - 19) / 255;
        }
        if (t <= 3) {
            return 0;
        }
        return t <= 18 ? 1 : 2 + (t - 19) / 255;
    }

    /**
     * Bytes a match of len bytes at distance dist costs after a literal run of litRun bytes
     * (0 after a match), or INFINITE when no instruction can express it there.
     */
    static int matchCost(int len, int dist, int litRun) {
        if (len == 2) {
            return litRun >= 1 && litRun <= 3 && dist <= 1024 ? 2 : INFINITE;
        }
        if (len == 3 && litRun >= 4 && dist > 2048 && dist <= 3072) {
            return 2;
        }
        if (len <= 8 && dist <= 2048) {
            return 2;
        }
        if (dist <= 16384) {
            return len <= 33 ? 3 : 4 + (len - 34) / 255;
        }
        return len <= 9 ? 3 : 4 + (len - 10) / 255;
    }

    /**
     * The longest length whose match at dist costs what one of len bytes (len >= 4) costs, so that
     * the parse can price a run of lengths at once.
     */
    static int lastLengthOfSameCost(int len, int dist) {
        if (len <= 8 && dist <= 2048) {
            return 8;
        }
        if (dist <= 16384) {
            return len <= 33 ? 33 : 33 + ((len - 34) / 255 + 1) * 255;
        }
        return len <= 9 ? 9 : 9 + ((len - 10) / 255 + 1) * 255;
    }

    /** Copies t literals from src[from..] preceded by the instruction they need. */
    void literals(byte[] src, int from, int t) {
        if (t == 0) {
            state = 0;
            return;
        }
        if (!started && t <= 238) {
            out[op++] = (byte) (17 + t);
        } else if (started && t <= 3) {
            out[stateByte] |= (byte) t;
        } else if (t <= 18) {
            out[op++] = (byte) (t - 3);
        } else {
            out[op++] = 0;
            extendedLength(t - 18);
        }
        System.arraycopy(src, from, out, op, t);
        op += t;
        state = t < 4 ? t : 4;
        started = true;
    }

    /** A match of len bytes at distance dist, following the literal run last written. */
    void match(int len, int dist) {
        if (len < 2 || dist < 1 || dist > MAX_DISTANCE) {
            throw new IllegalStateException("lzo: cannot encode match len " + len + " dist " + dist);
        }
        if (len == 2) {
            if (state == 0 || state == 4 || dist > 1024) {
                throw new IllegalStateException("lzo: 2-byte match needs 1..3 literals before it and distance <= 1024");
            }
            int d = dist - 1;
            stateByte = op;
            out[op++] = (byte) ((d & 3) << 2);
            out[op++] = (byte) (d >>> 2);
        } else if (len == 3 && state == 4 && dist > 2048 && dist <= 3072) {
            int d = dist - 2049;
            stateByte = op;
            out[op++] = (byte) ((d & 3) << 2);
            out[op++] = (byte) (d >>> 2);
        } else if (len <= 8 && dist <= 2048) {
            int d = dist - 1;
            stateByte = op;
            out[op++] = (byte) (((len - 1) << 5) | ((d & 7) << 2));
            out[op++] = (byte) (d >>> 3);
        } else if (dist <= 16384) {
            int d = dist - 1;
            if (len <= 33) {
                out[op++] = (byte) (32 | (len - 2));
            } else {
                out[op++] = 32;
                extendedLength(len - 33);
            }
            stateByte = op;
            out[op++] = (byte) (d << 2);
            out[op++] = (byte) (d >>> 6);
        } else {
            int d = dist - 16384;
            int h = (d >>> 11) & 8;
            d &= 0x3FFF;
            if (len <= 9) {
                out[op++] = (byte) (16 | h | (len - 2));
            } else {
                out[op++] = (byte) (16 | h);
                extendedLength(len - 9);
            }
            stateByte = op;
            out[op++] = (byte) (d << 2);
            out[op++] = (byte) (d >>> 6);
        }
        state = 0;
        started = true;
    }

    /** The end-of-stream marker: a far match at distance 16384. Returns the end position. */
    int end() {
        out[op++] = 0x11;
        out[op++] = 0;
        out[op++] = 0;
        return op;
    }

    private void extendedLength(int v) {
        while (v > 255) {
            out[op++] = 0;
            v -= 255;
        }
        out[op++] = (byte) v;
    }

    /** The largest output an LZO1X stream of len input bytes can need (liblzo's own bound). */
    static int maxCompressedLength(int len) {
        return len + len / 16 + 64 + 3;
    }
}
