package dev.strata.squashfs.compress;

import java.util.Arrays;

/**
 * LZO1X encoder for lzo1x_999: a binary-tree match finder over the whole 48 KiB window and a
 * shortest-path parse over the block that prices every literal run and match in exact bytes.
 *
 * <p>The tree keeps, per 3-byte hash, all earlier positions of the window ordered by the bytes
 * that follow them, newest on top; walking it for a position yields, for each match length, the
 * nearest position with that match, which is what the parse needs since LZO codes get cheaper
 * with smaller distances. 2-byte matches (only codable right after 1..3 literals and within 1 KiB)
 * come from a direct table.
 *
 * <p>The parse keeps two candidates per position: arrived by a match, and arrived by a literal
 * together with the length of its literal run, because the cost of what follows depends on that
 * run (runs of 1..3 literals are free in the previous match's last byte and allow a 2-byte match;
 * runs of 4+ need an instruction and allow the 3-byte 2..3 KiB match). Matches at least
 * {@code nice} bytes long are taken outright. One instance per thread, reused across blocks.
 */
final class Lzo1xOptimalEncoder {
    private static final int MAX_DIST = Lzo1xWriter.MAX_DISTANCE;
    /** Tree slots per position, cyclic; a power of two above MAX_DIST so the slot is a mask. */
    private static final int CYCLE = 1 << 16;
    private static final int HASH_BITS = 16;
    private static final int NIL = -1;
    private static final int INF = Lzo1xWriter.INFINITE;
    private static final int FROM_LITERAL = 1 << 31;

    /** Largest nice length any level uses. */
    private static final int MAX_NICE = 273;
    // Per level 1..9. Measured on binaries, libraries and text (256 KiB blocks): level 8 comes out
    // about 1.3% smaller than liblzo's lzo1x_999 level 8 at a similar CPU cost.
    private static final int[] LEVEL_DEPTH = {0, 4, 6, 8, 10, 12, 16, 16, 32, 128};
    private static final int[] LEVEL_NICE = {0, 16, 16, 24, 32, 32, 32, 48, 64, 192};

    private int depth;
    private int nice;
    private final int[] head3 = new int[1 << HASH_BITS];
    private final int[] head2 = new int[1 << 16];
    private final int[] son = new int[2 * CYCLE];
    /** Absolute position of the current block's first byte; positions never repeat across blocks. */
    private int base = CYCLE;

    private final int[] foundLen;
    private final int[] foundDist;
    private int dist2;

    private int[] priceM = new int[0];
    private int[] priceL = new int[0];
    private int[] litRun = new int[0];
    private int[] arrival = new int[0];
    private int[] arrivalDist = new int[0];
    private int[] stepLit = new int[0];
    private int[] stepLen = new int[0];
    private int[] stepDist = new int[0];

    private final Lzo1xWriter writer = new Lzo1xWriter();
    /** Size the parse planned for the last block (tests compare it with what was written). */
    int plannedSize;

    Lzo1xOptimalEncoder() {
        this.foundLen = new int[MAX_NICE + 1];
        this.foundDist = new int[MAX_NICE + 1];
        Arrays.fill(head3, NIL);
        Arrays.fill(head2, NIL);
    }

    /**
     * Encodes with the search effort of lzo1x_999 level 1..9.
     *
     * @see #compress(byte[], int, int, byte[], int, int, int)
     */
    int compress(byte[] src, int off, int len, byte[] out, int limit, int level) {
        return compress(src, off, len, out, limit, LEVEL_DEPTH[level], LEVEL_NICE[level]);
    }

    /**
     * Encodes src[off, off+len) into out (at least maxCompressedLength(len) bytes), visiting at most
     * depth tree nodes per position and taking matches of nice bytes or more outright.
     *
     * @return the encoded size, or -1 when it would exceed limit (nothing is written then)
     */
    int compress(byte[] src, int off, int len, byte[] out, int limit, int depth, int nice) {
        if (depth < 1 || nice < 3 || nice > MAX_NICE) {
            throw new IllegalArgumentException("lzo: search depth " + depth + " / nice length " + nice);
        }
        this.depth = depth;
        this.nice = nice;
        if (base > (1 << 30) - len) {
            base = CYCLE;
            Arrays.fill(head3, NIL);
            Arrays.fill(head2, NIL);
        }
        try {
            return parseAndWrite(src, off, len, out, limit);
        } finally {
            base += len + CYCLE;
        }
    }

    private int parseAndWrite(byte[] src, int off, int n, byte[] out, int limit) {
        Lzo1xWriter w = writer;
        if (n == 0) {
            plannedSize = Lzo1xWriter.END_MARKER_SIZE;
            if (plannedSize > limit) {
                return -1;
            }
            w.begin(out, 0);
            return w.end();
        }
        ensureCapacity(n);
        final int[] pM = priceM;
        final int[] pL = priceL;
        final int[] run = litRun;
        final int[] arr = arrival;
        final int[] arrDist = arrivalDist;
        Arrays.fill(pM, 0, n + 1, INF);
        Arrays.fill(pL, 0, n + 1, INF);
        final int[] fLen = foundLen;
        final int[] fDist = foundDist;

        find(src, off, n, 0, false);
        pL[1] = 2;
        run[1] = 1;
        for (int rel = 1; rel < n; rel++) {
            final int pm = pM[rel];
            final int pl = pL[rel];
            final int t = run[rel];
            int viaM = pm + 1;
            int viaL = pl + literalDelta(t, rel == t);
            if (viaM <= viaL) {
                pL[rel + 1] = viaM;
                run[rel + 1] = 1;
            } else {
                pL[rel + 1] = viaL;
                run[rel + 1] = t + 1;
            }
            int count = find(src, off, n, rel, true);
            if (dist2 != 0 && t <= 3 && pl < INF) {
                int c = pl + 2;
                if (c < pM[rel + 2]) {
                    pM[rel + 2] = c;
                    arr[rel + 2] = 2 | FROM_LITERAL;
                    arrDist[rel + 2] = dist2;
                }
            }
            if (count == 0) {
                continue;
            }
            int longest = fLen[count - 1];
            if (longest >= nice) {
                int d = fDist[count - 1];
                int cm = pm + Lzo1xWriter.matchCost(longest, d, 0);
                int cl = pl + Lzo1xWriter.matchCost(longest, d, t);
                int to = rel + longest;
                int c = Math.min(cm, cl);
                if (c < pM[to]) {
                    pM[to] = c;
                    arr[to] = cl < cm ? longest | FROM_LITERAL : longest;
                    arrDist[to] = d;
                }
                for (int k = 1; k < longest; k++) {
                    find(src, off, n, rel + k, false);
                }
                rel = to - 1;
                continue;
            }
            int l = 3;
            for (int k = 0; k < count; k++) {
                int d = fDist[k];
                int lk = fLen[k];
                for (; l <= lk; l++) {
                    int cm = pm + Lzo1xWriter.matchCost(l, d, 0);
                    int cl = pl + Lzo1xWriter.matchCost(l, d, t);
                    int to = rel + l;
                    if (cl < cm) {
                        if (cl < pM[to]) {
                            pM[to] = cl;
                            arr[to] = l | FROM_LITERAL;
                            arrDist[to] = d;
                        }
                    } else if (cm < pM[to]) {
                        pM[to] = cm;
                        arr[to] = l;
                        arrDist[to] = d;
                    }
                }
            }
        }

        boolean endOnLiteral = pL[n] < pM[n];
        plannedSize = Math.min(pL[n], pM[n]) + Lzo1xWriter.END_MARKER_SIZE;
        if (plannedSize > limit) {
            return -1;
        }
        int trailing = endOnLiteral ? run[n] : 0;
        int pos = n - trailing;
        int steps = 0;
        while (pos > 0) {
            int a = arr[pos];
            int l = a & ~FROM_LITERAL;
            int lit = a < 0 ? run[pos - l] : 0;
            stepLen[steps] = l;
            stepDist[steps] = arrDist[pos];
            stepLit[steps] = lit;
            steps++;
            pos -= l + lit;
        }
        w.begin(out, 0);
        pos = off;
        for (int k = steps - 1; k >= 0; k--) {
            w.literals(src, pos, stepLit[k]);
            pos += stepLit[k];
            w.match(stepLen[k], stepDist[k]);
            pos += stepLen[k];
        }
        w.literals(src, pos, trailing);
        return w.end();
    }

    /** Extra bytes (literal included) of growing a literal run of t by one. */
    private static int literalDelta(int t, boolean atStart) {
        return 1 + Lzo1xWriter.literalRunCost(t + 1, atStart) - Lzo1xWriter.literalRunCost(t, atStart);
    }

    /**
     * Inserts position rel into the tree and, when record is set, lists its matches into
     * foundLen/foundDist by increasing length, each with the nearest distance; sets dist2.
     */
    private int find(byte[] src, int off, int n, int rel, boolean record) {
        int avail = n - rel;
        int p = base + rel;
        int i = off + rel;
        dist2 = 0;
        if (avail < 2) {
            return 0;
        }
        int v2 = (src[i] & 0xFF) << 8 | (src[i + 1] & 0xFF);
        int c2 = head2[v2];
        head2[v2] = p;
        if (p - c2 <= 1024) {
            dist2 = p - c2;
        }
        if (avail < 3) {
            return 0;
        }
        int h = (((src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF)) * 0x9E3779B1) >>> (32 - HASH_BITS);
        int cur = head3[h];
        head3[h] = p;
        final int[] tree = son;
        int lenLimit = Math.min(nice, avail);
        int slot = (p & (CYCLE - 1)) << 1;
        int ptr0 = slot + 1;
        int ptr1 = slot;
        int len0 = 0;
        int len1 = 0;
        int best = 2;
        int count = 0;
        for (int left = depth;;) {
            int delta = p - cur;
            if (delta > MAX_DIST || left-- == 0) {
                tree[ptr0] = NIL;
                tree[ptr1] = NIL;
                break;
            }
            int cyc = (cur & (CYCLE - 1)) << 1;
            int j = i - delta;
            int len = Math.min(len0, len1);
            if (src[j + len] == src[i + len]) {
                while (++len < lenLimit && src[j + len] == src[i + len]) {
                    // extend
                }
                if (len > best) {
                    best = len;
                    if (record) {
                        foundLen[count] = len;
                        foundDist[count] = delta;
                        count++;
                    }
                    if (len == lenLimit) {
                        tree[ptr1] = tree[cyc];
                        tree[ptr0] = tree[cyc + 1];
                        break;
                    }
                }
            }
            if ((src[j + len] & 0xFF) < (src[i + len] & 0xFF)) {
                tree[ptr1] = cur;
                ptr1 = cyc + 1;
                cur = tree[ptr1];
                len1 = len;
            } else {
                tree[ptr0] = cur;
                ptr0 = cyc;
                cur = tree[ptr0];
                len0 = len;
            }
        }
        if (count > 0 && best == nice && avail > nice) {
            int d = foundDist[count - 1];
            int l = best;
            while (l < avail && src[i + l] == src[i + l - d]) {
                l++;
            }
            foundLen[count - 1] = l;
        }
        return count;
    }

    private void ensureCapacity(int n) {
        if (priceM.length < n + 1) {
            int size = n + 1;
            priceM = new int[size];
            priceL = new int[size];
            litRun = new int[size];
            arrival = new int[size];
            arrivalDist = new int[size];
            stepLit = new int[size / 2 + 1];
            stepLen = new int[size / 2 + 1];
            stepDist = new int[size / 2 + 1];
        }
    }
}
