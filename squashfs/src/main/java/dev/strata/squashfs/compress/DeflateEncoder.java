package dev.strata.squashfs.compress;

import java.util.Arrays;

/**
 * A zlib-stream encoder (RFC 1950/1951) in pure Java for what java.util.zip.Deflater cannot do:
 * windows below 32 KiB (every match stays within the window the header declares) and the
 * run-length and fixed-Huffman strategies. Matching follows zlib's published level parameters
 * (greedy for levels 1-3, lazy for 4-9); each block of up to 16383 symbols is stored, fixed or
 * dynamic Huffman, whichever is smallest. One instance per thread.
 */
final class DeflateEncoder {
    // per level: good length (search less once this long), lazy limit, nice length, chain limit
    private static final int[] GOOD = {0, 4, 4, 4, 4, 8, 8, 8, 32, 32};
    private static final int[] LAZY = {0, 4, 5, 6, 4, 16, 16, 32, 128, 258};
    private static final int[] NICE = {0, 8, 16, 32, 16, 32, 128, 128, 258, 258};
    private static final int[] CHAIN = {0, 4, 8, 32, 16, 32, 128, 256, 1024, 4096};
    /** Length-3 matches further back than this cost more than three literals. */
    private static final int TOO_FAR = 4096;
    private static final int MIN_MATCH = 3;
    private static final int MAX_MATCH = 258;
    private static final int MAX_SYMBOLS = 16383;
    private static final int HASH_BITS = 15;
    private static final int RING = 1 << 16;

    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DIST_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
        769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DIST_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
        11, 11, 12, 12, 13, 13};
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    /** Length 3..258 to its length code index 0..28. */
    private static final byte[] LENGTH_CODE = new byte[MAX_MATCH + 1];
    private static final int[] FIXED_LIT_LENGTHS = new int[288];
    private static final int[] FIXED_DIST_LENGTHS = new int[30];
    private static final int[] FIXED_LIT_CODES;
    private static final int[] FIXED_DIST_CODES;

    static {
        for (int c = 0; c < 29; c++) {
            int top = c == 28 ? MAX_MATCH : LENGTH_BASE[c + 1] - 1;
            for (int l = LENGTH_BASE[c]; l <= top; l++) {
                LENGTH_CODE[l] = (byte) c;
            }
        }
        LENGTH_CODE[MAX_MATCH] = 28;
        for (int i = 0; i < 288; i++) {
            FIXED_LIT_LENGTHS[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
        }
        Arrays.fill(FIXED_DIST_LENGTHS, 5);
        FIXED_LIT_CODES = canonicalCodes(FIXED_LIT_LENGTHS);
        FIXED_DIST_CODES = canonicalCodes(FIXED_DIST_LENGTHS);
    }

    private final int[] head = new int[1 << HASH_BITS];
    private final int[] prev = new int[RING];
    private final int[] symLength = new int[MAX_SYMBOLS];
    private final int[] symValue = new int[MAX_SYMBOLS];
    private int symbols;
    private final int[] litFreq = new int[286];
    private final int[] distFreq = new int[30];

    private byte[] src;
    private int base;
    private int blockStart;
    private int covered;

    private byte[] out;
    private int cap;
    private int op;
    private long bits;
    private int bitCount;
    private boolean overflow;

    /**
     * Writes src[off, off+len) as one zlib stream into out[0, cap).
     *
     * @return the stream length, or -1 if it does not fit in cap bytes
     */
    int compress(byte[] src, int off, int len, int level, int windowBits, GzipStrategy strategy, byte[] out, int cap) {
        this.src = src;
        this.base = off;
        this.out = out;
        this.cap = cap;
        this.op = 0;
        this.bits = 0;
        this.bitCount = 0;
        this.overflow = false;
        this.symbols = 0;
        this.blockStart = 0;
        this.covered = 0;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);

        int cmf = ((windowBits - 8) << 4) | 8;
        int flevel = strategy == GzipStrategy.HUFFMAN_ONLY || strategy == GzipStrategy.RUN_LENGTH_ENCODED
                || strategy == GzipStrategy.FIXED || level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
        int flg = flevel << 6;
        flg += 31 - ((cmf << 8) + flg) % 31;
        putByte(cmf);
        putByte(flg);

        int maxDist = 1 << windowBits;
        switch (strategy) {
            case HUFFMAN_ONLY -> {
                for (int i = 0; i < len; i++) {
                    literal(src[off + i] & 0xFF, strategy);
                }
            }
            case RUN_LENGTH_ENCODED -> runs(len, strategy);
            default -> {
                if (level <= 3) {
                    greedy(len, level, maxDist, strategy);
                } else {
                    lazy(len, level, maxDist, strategy);
                }
            }
        }
        flushBlock(true, strategy);
        if (bitCount > 0) {
            putByte((int) bits);
            bits = 0;
            bitCount = 0;
        }
        java.util.zip.Adler32 adler = new java.util.zip.Adler32();
        adler.update(src, off, len);
        int sum = (int) adler.getValue();
        putByte(sum >>> 24);
        putByte(sum >>> 16);
        putByte(sum >>> 8);
        putByte(sum);
        this.src = null;
        this.out = null;
        return overflow ? -1 : op;
    }

    // ---- matching

    private void runs(int len, GzipStrategy strategy) {
        int i = 0;
        while (i < len) {
            int run = 0;
            if (i > 0) {
                byte b = src[base + i - 1];
                int max = Math.min(MAX_MATCH, len - i);
                while (run < max && src[base + i + run] == b) {
                    run++;
                }
            }
            if (run >= MIN_MATCH) {
                match(run, 1, strategy);
                i += run;
            } else {
                literal(src[base + i] & 0xFF, strategy);
                i++;
            }
            if (overflow) {
                return;
            }
        }
    }

    private void greedy(int len, int level, int maxDist, GzipStrategy strategy) {
        Arrays.fill(head, -1);
        int maxInsert = LAZY[level];
        int i = 0;
        while (i < len) {
            insert(i, len);
            int found = i + MIN_MATCH <= len ? longestMatch(i, len, CHAIN[level], NICE[level], MIN_MATCH - 1, maxDist) : 0;
            if (found != 0) {
                int l = found >>> 16;
                match(l, found & 0xFFFF, strategy);
                if (l <= maxInsert) {
                    for (int k = i + 1; k < i + l; k++) {
                        insert(k, len);
                    }
                }
                i += l;
            } else {
                literal(src[base + i] & 0xFF, strategy);
                i++;
            }
            if (overflow) {
                return;
            }
        }
    }

    private void lazy(int len, int level, int maxDist, GzipStrategy strategy) {
        Arrays.fill(head, -1);
        int good = GOOD[level];
        int maxLazy = LAZY[level];
        int nice = NICE[level];
        int chain = CHAIN[level];
        int prevLen = 0;
        int prevDist = 0;
        boolean pending = false;
        int i = 0;
        while (i < len) {
            insert(i, len);
            int curLen = 0;
            int curDist = 0;
            if (prevLen < maxLazy && i + MIN_MATCH <= len) {
                int found = longestMatch(i, len, prevLen >= good ? chain >> 2 : chain, nice, Math.max(prevLen, MIN_MATCH - 1),
                        maxDist);
                if (found != 0) {
                    curLen = found >>> 16;
                    curDist = found & 0xFFFF;
                    if (curLen <= 5 && (strategy == GzipStrategy.FILTERED || (curLen == MIN_MATCH && curDist > TOO_FAR))) {
                        curLen = 0;
                    }
                }
            }
            if (pending && prevLen >= MIN_MATCH && curLen <= prevLen) {
                match(prevLen, prevDist, strategy);
                int end = i - 1 + prevLen;
                for (int k = i + 1; k < end; k++) {
                    insert(k, len);
                }
                i = end;
                pending = false;
                prevLen = 0;
            } else {
                if (pending) {
                    literal(src[base + i - 1] & 0xFF, strategy);
                }
                pending = true;
                prevLen = curLen;
                prevDist = curDist;
                i++;
            }
            if (overflow) {
                return;
            }
        }
        if (pending) {
            literal(src[base + len - 1] & 0xFF, strategy);
        }
    }

    private void insert(int i, int len) {
        if (i + MIN_MATCH > len) {
            return;
        }
        int p = base + i;
        int h = (((src[p] & 0xFF) << 16 | (src[p + 1] & 0xFF) << 8 | (src[p + 2] & 0xFF)) * 0x9E3779B1) >>> (32 - HASH_BITS);
        prev[i & (RING - 1)] = head[h];
        head[h] = i;
    }

    /**
     * The longest match for position i (already inserted) longer than atLeast, within maxDist.
     *
     * @return length << 16 | distance, or 0
     */
    private int longestMatch(int i, int len, int chain, int nice, int atLeast, int maxDist) {
        int limit = Math.min(MAX_MATCH, len - i);
        if (nice > limit) {
            nice = limit;
        }
        int best = atLeast;
        int bestDist = 0;
        int p = base + i;
        int cand = prev[i & (RING - 1)];
        while (cand >= 0 && i - cand <= maxDist && chain-- > 0) {
            int q = base + cand;
            if (best < limit && src[q + best] == src[p + best] && src[q] == src[p]) {
                int l = 1;
                while (l < limit && src[q + l] == src[p + l]) {
                    l++;
                }
                if (l > best) {
                    best = l;
                    bestDist = i - cand;
                    if (l >= nice) {
                        break;
                    }
                }
            }
            cand = prev[cand & (RING - 1)];
        }
        return bestDist == 0 ? 0 : best << 16 | bestDist;
    }

    // ---- symbols and blocks

    private void literal(int b, GzipStrategy strategy) {
        symLength[symbols] = 0;
        symValue[symbols++] = b;
        litFreq[b]++;
        covered++;
        if (symbols == MAX_SYMBOLS) {
            flushBlock(false, strategy);
        }
    }

    private void match(int length, int dist, GzipStrategy strategy) {
        symLength[symbols] = length;
        symValue[symbols++] = dist;
        litFreq[257 + LENGTH_CODE[length]]++;
        distFreq[distCode(dist)]++;
        covered += length;
        if (symbols == MAX_SYMBOLS) {
            flushBlock(false, strategy);
        }
    }

    private static int distCode(int dist) {
        int d = dist - 1;
        if (d < 4) {
            return d;
        }
        int log = 31 - Integer.numberOfLeadingZeros(d);
        return 2 * log + ((d >>> (log - 1)) & 1);
    }

    private void flushBlock(boolean last, GzipStrategy strategy) {
        litFreq[256]++;
        int[] litLengths = codeLengths(litFreq, 15);
        int[] distLengths = codeLengths(distFreq, 15);
        int hlit = 286;
        while (hlit > 257 && litLengths[hlit - 1] == 0) {
            hlit--;
        }
        int hdist = 30;
        while (hdist > 1 && distLengths[hdist - 1] == 0) {
            hdist--;
        }
        int[] all = new int[hlit + hdist];
        System.arraycopy(litLengths, 0, all, 0, hlit);
        System.arraycopy(distLengths, 0, all, hlit, hdist);
        int[] rle = runLengthCode(all);
        int rleCount = rle[rle.length - 1];
        int[] clFreq = new int[19];
        for (int k = 0; k < rleCount; k++) {
            clFreq[rle[k] & 0xFF]++;
        }
        int[] clLengths = codeLengths(clFreq, 7);
        int hclen = 19;
        while (hclen > 4 && clLengths[CODE_LENGTH_ORDER[hclen - 1]] == 0) {
            hclen--;
        }

        long extra = 0;
        for (int c = 0; c < 29; c++) {
            extra += (long) litFreq[257 + c] * LENGTH_EXTRA[c];
        }
        for (int c = 0; c < 30; c++) {
            extra += (long) distFreq[c] * DIST_EXTRA[c];
        }
        long dynamicBits = 3 + 14 + 3L * hclen + extra;
        for (int k = 0; k < rleCount; k++) {
            int sym = rle[k] & 0xFF;
            dynamicBits += clLengths[sym] + (sym == 16 ? 2 : sym == 17 ? 3 : sym == 18 ? 7 : 0);
        }
        long fixedBits = 3 + extra;
        for (int s = 0; s < 286; s++) {
            dynamicBits += (long) litFreq[s] * litLengths[s];
            fixedBits += (long) litFreq[s] * FIXED_LIT_LENGTHS[s];
        }
        for (int s = 0; s < 30; s++) {
            dynamicBits += (long) distFreq[s] * distLengths[s];
            fixedBits += (long) distFreq[s] * 5;
        }
        int storedLength = covered - blockStart;
        long storedBits = 8L * storedLength + 40L * Math.max(1, (storedLength + 65534) / 65535) + 7;

        if (storedBits <= Math.min(fixedBits, strategy == GzipStrategy.FIXED ? Long.MAX_VALUE : dynamicBits)) {
            writeStored(last, storedLength);
        } else if (strategy == GzipStrategy.FIXED || fixedBits <= dynamicBits) {
            putBits((last ? 1 : 0) | 1 << 1, 3);
            writeSymbols(FIXED_LIT_CODES, FIXED_LIT_LENGTHS, FIXED_DIST_CODES, FIXED_DIST_LENGTHS);
        } else {
            putBits((last ? 1 : 0) | 2 << 1, 3);
            putBits(hlit - 257, 5);
            putBits(hdist - 1, 5);
            putBits(hclen - 4, 4);
            for (int k = 0; k < hclen; k++) {
                putBits(clLengths[CODE_LENGTH_ORDER[k]], 3);
            }
            int[] clCodes = canonicalCodes(clLengths);
            for (int k = 0; k < rleCount; k++) {
                int sym = rle[k] & 0xFF;
                putBits(clCodes[sym], clLengths[sym]);
                int value = rle[k] >>> 8;
                if (sym == 16) {
                    putBits(value, 2);
                } else if (sym == 17) {
                    putBits(value, 3);
                } else if (sym == 18) {
                    putBits(value, 7);
                }
            }
            writeSymbols(canonicalCodes(litLengths), litLengths, canonicalCodes(distLengths), distLengths);
        }
        symbols = 0;
        blockStart = covered;
        Arrays.fill(litFreq, 0);
        Arrays.fill(distFreq, 0);
    }

    private void writeStored(boolean last, int length) {
        int from = base + blockStart;
        int left = length;
        do {
            int n = Math.min(left, 65535);
            left -= n;
            putBits((last && left == 0) ? 1 : 0, 3);
            if (bitCount > 0) {
                putBits(0, 8 - bitCount);
            }
            putBits(n, 16);
            putBits(~n & 0xFFFF, 16);
            if (op + n > cap) {
                overflow = true;
                return;
            }
            System.arraycopy(src, from, out, op, n);
            op += n;
            from += n;
        } while (left > 0);
    }

    private void writeSymbols(int[] litCodes, int[] litLengths, int[] distCodes, int[] distLengths) {
        for (int k = 0; k < symbols && !overflow; k++) {
            int length = symLength[k];
            if (length == 0) {
                int b = symValue[k];
                putBits(litCodes[b], litLengths[b]);
            } else {
                int lc = LENGTH_CODE[length];
                putBits(litCodes[257 + lc], litLengths[257 + lc]);
                putBits(length - LENGTH_BASE[lc], LENGTH_EXTRA[lc]);
                int dist = symValue[k];
                int dc = distCode(dist);
                putBits(distCodes[dc], distLengths[dc]);
                putBits(dist - DIST_BASE[dc], DIST_EXTRA[dc]);
            }
        }
        putBits(litCodes[256], litLengths[256]);
    }

    /**
     * Code-length sequence in the 0..18 alphabet: entries are symbol | repeat-extra << 8, the count
     * of entries in the last slot.
     */
    private static int[] runLengthCode(int[] lengths) {
        int[] r = new int[lengths.length + 1];
        int n = 0;
        int i = 0;
        while (i < lengths.length) {
            int v = lengths[i];
            int run = 1;
            while (i + run < lengths.length && lengths[i + run] == v) {
                run++;
            }
            i += run;
            if (v == 0) {
                while (run >= 11) {
                    int k = Math.min(run, 138);
                    r[n++] = 18 | (k - 11) << 8;
                    run -= k;
                }
                if (run >= 3) {
                    r[n++] = 17 | (run - 3) << 8;
                    run = 0;
                }
            } else {
                r[n++] = v;
                run--;
                while (run >= 3) {
                    int k = Math.min(run, 6);
                    r[n++] = 16 | (k - 3) << 8;
                    run -= k;
                }
            }
            while (run-- > 0) {
                r[n++] = v;
            }
        }
        r[r.length - 1] = n;
        return r;
    }

    /**
     * Huffman code lengths no longer than limit for the given frequencies; at least two codes,
     * so every code is complete.
     */
    static int[] codeLengths(int[] freq, int limit) {
        int n = freq.length;
        int[] lengths = new int[n];
        int used = 0;
        for (int f : freq) {
            if (f > 0) {
                used++;
            }
        }
        if (used < 2) {
            int first = -1;
            for (int s = 0; s < n; s++) {
                if (freq[s] > 0) {
                    first = s;
                }
            }
            lengths[first <= 0 ? 0 : first] = 1;
            lengths[first <= 0 ? 1 : 0] = 1;
            return lengths;
        }
        // leaves by increasing frequency (ties by symbol), then a two-queue Huffman merge
        long[] keyed = new long[used];
        int m = 0;
        for (int s = 0; s < n; s++) {
            if (freq[s] > 0) {
                keyed[m++] = (long) freq[s] << 16 | s;
            }
        }
        Arrays.sort(keyed);
        long[] weight = new long[2 * used - 1];
        int[] parent = new int[2 * used - 1];
        for (int k = 0; k < used; k++) {
            weight[k] = keyed[k] >>> 16;
        }
        int leaf = 0;
        int inner = used;
        for (int next = used; next < 2 * used - 1; next++) {
            int a = leaf < used && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            int b = leaf < used && (inner >= next || weight[leaf] <= weight[inner]) ? leaf++ : inner++;
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
        }
        int[] depth = new int[2 * used - 1];
        int[] count = new int[Math.max(limit, 1) + 1];
        boolean tooLong = false;
        for (int k = 2 * used - 3; k >= 0; k--) {
            depth[k] = depth[parent[k]] + 1;
            if (k < used) {
                if (depth[k] > limit) {
                    tooLong = true;
                }
                count[Math.min(depth[k], limit)]++;
            }
        }
        if (tooLong) {
            // Kraft sum back to 1: drop one longest code, split a shorter one into two
            long total = 0;
            for (int l = 1; l <= limit; l++) {
                total += (long) count[l] << (limit - l);
            }
            while (total > 1L << limit) {
                count[limit]--;
                for (int l = limit - 1; l > 0; l--) {
                    if (count[l] > 0) {
                        count[l]--;
                        count[l + 1] += 2;
                        break;
                    }
                }
                total--;
            }
        }
        // the most frequent symbols get the shortest codes
        int k = used - 1;
        for (int l = 1; l <= limit; l++) {
            for (int c = count[l]; c > 0; c--) {
                lengths[(int) (keyed[k--] & 0xFFFF)] = l;
            }
        }
        return lengths;
    }

    /** Canonical codes for the lengths, bit-reversed for deflate's LSB-first bit order. */
    static int[] canonicalCodes(int[] lengths) {
        int[] count = new int[16];
        for (int l : lengths) {
            count[l]++;
        }
        count[0] = 0;
        int[] next = new int[16];
        int code = 0;
        for (int l = 1; l < 16; l++) {
            code = (code + count[l - 1]) << 1;
            next[l] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int l = lengths[s];
            if (l != 0) {
                codes[s] = Integer.reverse(next[l]++) >>> (32 - l);
            }
        }
        return codes;
    }

    // ---- bits

    private void putBits(int value, int n) {
        bits |= (long) (value & ((1 << n) - 1)) << bitCount;
        bitCount += n;
        while (bitCount >= 8) {
            putByte((int) bits);
            bits >>>= 8;
            bitCount -= 8;
        }
    }

    private void putByte(int b) {
        if (op >= cap) {
            overflow = true;
            return;
        }
        out[op++] = (byte) b;
    }
}
