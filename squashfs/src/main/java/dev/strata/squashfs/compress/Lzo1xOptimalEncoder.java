package dev.strata.squashfs.compress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * {@code nice} bytes long are taken outright, and only their first positions enter the tree. One
 * instance per thread, reused across blocks.
 */
final class Lzo1xOptimalEncoder {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_DIST = Lzo1xWriter.MAX_DISTANCE;
    /** Tree slots per position, cyclic; a power of two above MAX_DIST so the slot is a mask. */
    private static final int CYCLE = 1 << 16;
    private static final int HASH_BITS = 16;
    private static final int NIL = -1;
    /** A child link too long to follow (beyond MAX_DIST from any later position). */
    private static final char FAR = 0xFFFF;
    private static final int INF = Lzo1xWriter.INFINITE;
    private static final int FROM_LITERAL = 1 << 31;

    /** Largest nice length any level uses. */
    private static final int MAX_NICE = 273;
    // Per level 1..9. On a Debian minbase tree (128 KiB blocks) level 8 (depth 12, nice 40) makes
    // the image 0.03% smaller than mksquashfs's lzo1x_999 level 8 in less CPU time (benchmark in
    // docs/BENCHMARKS.md). Depth 16 made it 0.18% smaller and took as much CPU as mksquashfs; depth
    // 32 / nice 64 with every position entered, 0.73% smaller, took about 1.7 times its CPU.
    private static final int[] LEVEL_DEPTH = {0, 4, 6, 8, 8, 10, 10, 10, 12, 128};
    private static final int[] LEVEL_NICE = {0, 16, 16, 24, 32, 32, 32, 40, 40, 192};
    /** Positions of a taken long match entered into the tree: the rest rarely give a better match. */
    private static final int[] LEVEL_ENTERED = {0, 8, 8, 8, 8, 8, 8, 8, 8, Integer.MAX_VALUE};

    private int depth;
    private int nice;
    private int entered;
    private final int[] head3 = new int[1 << HASH_BITS];
    /**
     * Low 16 bits of the last entered position of each 2-byte value; half the cache footprint of
     * full positions. A hit is checked against the bytes and the block start before it is used.
     */
    private final char[] head2 = new char[1 << 16];
    /**
     * Children of each tree node as distances back from that node, saturated at FAR: 16 bits
     * halve the tree's cache footprint, which the walk's dependent loads are bound by.
     */
    private final char[] son = new char[2 * CYCLE];
    /** Absolute position of the current block's first byte; positions never repeat across blocks. */
    private int base = CYCLE;

    private final int[] foundLen;
    private final int[] foundDist;
    private int dist2;

    private int[] priceM = new int[0];
    private int[] priceL = new int[0];
    private int[] litRun = new int[0];
    private int[] arrival = new int[0];
    private char[] arrivalDist = new char[0];
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
        Arrays.fill(son, FAR);
    }

    /**
     * Encodes with the search effort of lzo1x_999 level 1..9.
     *
     * @see #compress(byte[], int, int, byte[], int, int, int, int)
     */
    int compress(byte[] src, int off, int len, byte[] out, int limit, int level) {
        return compress(src, off, len, out, limit, LEVEL_DEPTH[level], LEVEL_NICE[level], LEVEL_ENTERED[level]);
    }

    /**
     * Encodes src[off, off+len) into out (at least maxCompressedLength(len) bytes), visiting at most
     * depth tree nodes per position and taking matches of nice bytes or more outright, of which
     * only the first entered positions go into the tree.
     *
     * @return the encoded size, or -1 when it would exceed limit (nothing is written then)
     */
    int compress(byte[] src, int off, int len, byte[] out, int limit, int depth, int nice, int entered) {
        if (depth < 1 || nice < 3 || nice > MAX_NICE || entered < 1) {
            throw new IllegalArgumentException("lzo: search depth " + depth + " / nice length " + nice
                    + " / entered " + entered);
        }
        this.depth = depth;
        this.nice = nice;
        this.entered = entered;
        if (base > (1 << 30) - len) {
            base = CYCLE;
            Arrays.fill(head3, NIL);
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
        final char[] arrDist = arrivalDist;
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
                    arrDist[rel + 2] = (char) dist2;
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
                    arrDist[to] = (char) d;
                }
                for (int k = 1, end = Math.min(longest, entered); k < end; k++) {
                    find(src, off, n, rel + k, false);
                }
                rel = to - 1;
                continue;
            }
            // A 3-byte match after 4+ literals has one extra short form; beyond that a match costs the
            // same after a literal run as after a match, so the cheaper of the two arrivals carries it.
            int d3 = fDist[0];
            int cm3 = pm + Lzo1xWriter.matchCost(3, d3, 0);
            int cl3 = pl + Lzo1xWriter.matchCost(3, d3, t);
            if (Math.min(cm3, cl3) < pM[rel + 3]) {
                pM[rel + 3] = Math.min(cm3, cl3);
                arr[rel + 3] = cl3 < cm3 ? 3 | FROM_LITERAL : 3;
                arrDist[rel + 3] = (char) d3;
            }
            final int from = Math.min(pm, pl);
            final int flag = pl < pm ? FROM_LITERAL : 0;
            int l = 4;
            for (int k = 0; k < count; k++) {
                final int d = fDist[k];
                final int lk = fLen[k];
                while (l <= lk) {
                    final int c = from + Lzo1xWriter.matchCost(l, d, 0);
                    final int last = Math.min(lk, Lzo1xWriter.lastLengthOfSameCost(l, d));
                    for (; l <= last; l++) {
                        if (c < pM[rel + l]) {
                            pM[rel + l] = c;
                            arr[rel + l] = l | flag;
                            arrDist[rel + l] = (char) d;
                        }
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
        int d2 = (p - head2[v2]) & 0xFFFF;
        head2[v2] = (char) p;
        if (d2 != 0 && d2 <= 1024 && d2 <= rel && src[i - d2] == src[i] && src[i - d2 + 1] == src[i + 1]) {
            dist2 = d2;
        }
        if (avail < 3) {
            return 0;
        }
        int h = (((src[i] & 0xFF) << 16 | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF)) * 0x9E3779B1) >>> (32 - HASH_BITS);
        int cur = head3[h];
        head3[h] = p;
        final char[] tree = son;
        int lenLimit = Math.min(nice, avail);
        int slot = (p & (CYCLE - 1)) << 1;
        int ptr0 = slot + 1;
        int ptr1 = slot;
        int owner0 = p;
        int owner1 = p;
        int len0 = 0;
        int len1 = 0;
        int best = 2;
        int count = 0;
        for (int left = depth;;) {
            int delta = p - cur;
            if (delta > MAX_DIST || left-- == 0) {
                tree[ptr0] = FAR;
                tree[ptr1] = FAR;
                break;
            }
            int cyc = (cur & (CYCLE - 1)) << 1;
            int j = i - delta;
            int len = Math.min(len0, len1);
            if (src[j + len] == src[i + len]) {
                len = matchLength(src, j, i, len + 1, lenLimit);
                if (len > best) {
                    best = len;
                    if (record) {
                        foundLen[count] = len;
                        foundDist[count] = delta;
                        count++;
                    }
                    if (len == lenLimit) {
                        tree[ptr1] = link(owner1, cur - tree[cyc]);
                        tree[ptr0] = link(owner0, cur - tree[cyc + 1]);
                        break;
                    }
                }
            }
            if ((src[j + len] & 0xFF) < (src[i + len] & 0xFF)) {
                tree[ptr1] = link(owner1, cur);
                owner1 = cur;
                ptr1 = cyc + 1;
                cur -= tree[ptr1];
                len1 = len;
            } else {
                tree[ptr0] = link(owner0, cur);
                owner0 = cur;
                ptr0 = cyc;
                cur -= tree[ptr0];
                len0 = len;
            }
        }
        if (count > 0 && best == nice && avail > nice) {
            int d = foundDist[count - 1];
            foundLen[count - 1] = matchLength(src, i - d, i, best, avail);
        }
        return count;
    }

    private static char link(int owner, int child) {
        return (char) Math.min(owner - child, FAR);
    }

    /** How far src[j..] and src[i..] agree, from len (known equal before it) up to limit. */
    private static int matchLength(byte[] src, int j, int i, int len, int limit) {
        // eight bytes per step: matches in binaries often run for tens of bytes
        while (len + Long.BYTES <= limit) {
            long x = (long) LE_LONG.get(src, j + len) ^ (long) LE_LONG.get(src, i + len);
            if (x != 0) {
                return len + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            len += Long.BYTES;
        }
        while (len < limit && src[j + len] == src[i + len]) {
            len++;
        }
        return len;
    }

    private void ensureCapacity(int n) {
        if (priceM.length < n + 1) {
            int size = n + 1;
            priceM = new int[size];
            priceL = new int[size];
            litRun = new int[size];
            arrival = new int[size];
            arrivalDist = new char[size];
            stepLit = new int[size / 2 + 1];
            stepLen = new int[size / 2 + 1];
            stepDist = new int[size / 2 + 1];
        }
    }
}
