package dev.strata.squashfs.compress;

import java.util.zip.CRC32;

/**
 * Decodes the .xz streams squashfs blocks are: one xz block of LZMA2, optionally behind one BCJ
 * filter, with a CRC32 or no check, straight into the caller's output array. The whole block is the
 * LZMA dictionary, so matches copy within the output and nothing is copied twice; everything the
 * hot loop touches is a local variable. Streams of any other shape (several blocks, CRC64 or SHA-256
 * checks, delta filters...) are left to xz-java: {@link #decode} returns {@link #NOT_HANDLED}.
 *
 * <p>The range coder's renormalisation is written out at each bit on purpose: it updates three
 * locals of the hot loop, which a method cannot return. For the same reason literals, match
 * lengths and distance slots are decoded in the main loop itself; only the rarer bits (match kind,
 * far distances) go through helpers that keep the coder in fields. The unsigned comparisons are
 * written as sign flips and shifts because the quick JIT (C1), which runs this code, compiles
 * Integer.compareUnsigned into branches.
 *
 * <p>Every length and offset in the input is checked before use; corrupt input ends in a
 * {@link CorruptBlockException}, and decoding never produces more than the caller's limit.
 */
final class XzBlockDecoder {
    /** Returned for a valid-looking stream this decoder does not handle. */
    static final int NOT_HANDLED = -2;

    private static final byte[] MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
    private static final int CHECK_NONE = 0;
    private static final int CHECK_CRC32 = 1;
    private static final int FILTER_LZMA2 = 0x21;

    private static final int STATES = 12;
    private static final int POS_STATES_MAX = 1 << 4;
    private static final int LITERAL_CODER_SIZE = 0x300;
    private static final int MATCH_LEN_MIN = 2;
    private static final int DIST_STATES = 4;
    private static final int DIST_SLOTS = 64;
    private static final int DIST_MODEL_START = 4;
    private static final int DIST_MODEL_END = 14;
    private static final int FULL_DISTANCES = 1 << (DIST_MODEL_END >>> 1);
    private static final int ALIGN_BITS = 4;
    private static final int PROB_INIT = 1024;

    // Probabilities, one instance per thread, reset per LZMA2 state reset.
    private final short[] isMatch = new short[STATES * POS_STATES_MAX];
    private final short[] isRep = new short[STATES];
    private final short[] isRep0 = new short[STATES];
    private final short[] isRep1 = new short[STATES];
    private final short[] isRep2 = new short[STATES];
    private final short[] isRep0Long = new short[STATES * POS_STATES_MAX];
    private final short[] distSlots = new short[DIST_STATES * DIST_SLOTS];
    private final short[] distSpecial = new short[FULL_DISTANCES - DIST_MODEL_END + 1];
    private final short[] distAlign = new short[1 << ALIGN_BITS];
    private final short[] matchLen = new short[LengthCoder.SIZE];
    private final short[] repLen = new short[LengthCoder.SIZE];
    private short[] literals = new short[LITERAL_CODER_SIZE << 4];

    private final CRC32 crc = new CRC32();

    /** Decoder state carried across LZMA2 chunks. */
    private int state;
    private int rep0;
    private int rep1;
    private int rep2;
    private int rep3;
    private int lc;
    private int lp;
    private int pb;
    /** Range coder state for the helper methods (the hot loop keeps it in locals). */
    private int rcRange;
    private int rcCode;
    private int rcIn;
    private int rcEnd;
    private byte[] rcSrc;

    /** Offsets of the length coder's probabilities. */
    private static final class LengthCoder {
        static final int CHOICE = 0;
        static final int CHOICE2 = 1;
        static final int LOW = 2;
        static final int MID = LOW + POS_STATES_MAX * 8;
        static final int HIGH = MID + POS_STATES_MAX * 8;
        static final int SIZE = HIGH + 256;
    }

    /**
     * Decodes src[off, off+len) into dst[dstOff, dstOff+maxLen).
     *
     * @param maxDictSize the largest LZMA2 dictionary the image may declare (the kernel allocates it)
     * @return the number of bytes decoded, or {@link #NOT_HANDLED}
     */
    int decode(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen, long maxDictSize)
            throws CorruptBlockException {
        int end = off + len;
        // stream header: magic, flags (0, check type), CRC32 of the flags
        if (len < 12 + 12 || !startsWith(src, off, MAGIC)) {
            return NOT_HANDLED;
        }
        int check = src[off + 7] & 0xFF;
        if (src[off + 6] != 0 || (check != CHECK_NONE && check != CHECK_CRC32)) {
            return NOT_HANDLED;
        }
        if (crc32(src, off + 6, 2) != u32(src, off + 8)) {
            throw new CorruptBlockException("xz: stream header CRC32 does not match");
        }
        int pos = off + 12;
        // block header
        int headerSize = ((src[pos] & 0xFF) + 1) * 4;
        if (src[pos] == 0) {
            return NOT_HANDLED; // no block at all: an empty stream
        }
        if (pos + headerSize > end) {
            throw new CorruptBlockException("xz: block header runs past the end of the block");
        }
        if (crc32(src, pos, headerSize - 4) != u32(src, pos + headerSize - 4)) {
            throw new CorruptBlockException("xz: block header CRC32 does not match");
        }
        int flags = src[pos + 1] & 0xFF;
        if ((flags & 0x3C) != 0) {
            return NOT_HANDLED;
        }
        int filterCount = (flags & 3) + 1;
        int h = pos + 2;
        int headerEnd = pos + headerSize - 4;
        long[] varint = new long[1];
        long declaredCompressed = -1;
        long declaredUncompressed = -1;
        if ((flags & 0x40) != 0) {
            h = varint(src, h, headerEnd, varint);
            declaredCompressed = varint[0];
        }
        if ((flags & 0x80) != 0) {
            h = varint(src, h, headerEnd, varint);
            declaredUncompressed = varint[0];
        }
        XzBcjFilter bcj = null;
        int bcjStart = 0;
        int dictProp = -1;
        for (int i = 0; i < filterCount; i++) {
            h = varint(src, h, headerEnd, varint);
            long id = varint[0];
            h = varint(src, h, headerEnd, varint);
            long propsSize = varint[0];
            if (propsSize > headerEnd - h) {
                throw new CorruptBlockException("xz: filter properties run past the block header");
            }
            boolean last = i == filterCount - 1;
            if (last) {
                if (id != FILTER_LZMA2 || propsSize != 1) {
                    return NOT_HANDLED;
                }
                dictProp = src[h] & 0xFF;
            } else {
                bcj = i == 0 && filterCount == 2 ? XzBcjFilter.fromFilterId(id) : null;
                if (bcj == null || (propsSize != 0 && propsSize != 4)) {
                    return NOT_HANDLED;
                }
                bcjStart = propsSize == 4 ? (int) u32(src, h) : 0;
            }
            h += (int) propsSize;
        }
        for (; h < headerEnd; h++) {
            if (src[h] != 0) {
                throw new CorruptBlockException("xz: block header padding is not zero");
            }
        }
        if (dictProp > 40) {
            throw new CorruptBlockException("xz: LZMA2 dictionary size property " + dictProp);
        }
        pos += headerSize;

        // LZMA2 chunks
        long dictSize = dictProp == 40 ? 0xFFFFFFFFL : (2L | (dictProp & 1)) << (dictProp / 2 + 11);
        if (dictSize > maxDictSize) {
            throw new CorruptBlockException("xz: dictionary of " + dictSize + " bytes, more than the image's "
                    + maxDictSize);
        }
        int[] consumed = new int[1];
        int n = decodeLzma2(src, pos, end, dst, dstOff, maxLen, dictSize, consumed);
        if (n == NOT_HANDLED) {
            return NOT_HANDLED;
        }
        int dataEnd = consumed[0];
        long compressedSize = dataEnd - pos;
        if (declaredCompressed >= 0 && declaredCompressed != compressedSize) {
            throw new CorruptBlockException("xz: block is " + compressedSize + " bytes, its header says "
                    + declaredCompressed);
        }
        if (declaredUncompressed >= 0 && declaredUncompressed != n) {
            throw new CorruptBlockException("xz: block decodes to " + n + " bytes, its header says "
                    + declaredUncompressed);
        }
        if (bcj != null) {
            bcj.decoder(bcjStart).code(dst, dstOff, n);
        }
        // block padding to a multiple of four, then the check
        int p = dataEnd;
        while (((p - pos) & 3) != 0) {
            if (p >= end || src[p] != 0) {
                throw new CorruptBlockException("xz: block padding is missing or not zero");
            }
            p++;
        }
        if (check == CHECK_CRC32) {
            if (p + 4 > end) {
                throw new CorruptBlockException("xz: block ends before its CRC32");
            }
            if (crc32(dst, dstOff, n) != u32(src, p)) {
                throw new CorruptBlockException("xz: CRC32 of the decoded block does not match");
            }
            p += 4;
        }
        long unpadded = (dataEnd - (pos - headerSize)) + (check == CHECK_CRC32 ? 4 : 0);
        checkIndexAndFooter(src, p, end, unpadded, n, check);
        return n;
    }

    /** The index (one record matching the block) and the stream footer, which must end the input. */
    private void checkIndexAndFooter(byte[] src, int p, int end, long unpadded, long uncompressed, int check)
            throws CorruptBlockException {
        int indexStart = p;
        long[] v = new long[1];
        if (p >= end || src[p] != 0) {
            throw new CorruptBlockException("xz: no index after the block");
        }
        p = varint(src, p + 1, end, v);
        if (v[0] != 1) {
            throw new CorruptBlockException("xz: index lists " + v[0] + " blocks, the stream holds 1");
        }
        p = varint(src, p, end, v);
        long indexUnpadded = v[0];
        p = varint(src, p, end, v);
        if (indexUnpadded != unpadded || v[0] != uncompressed) {
            throw new CorruptBlockException("xz: index record does not match the block");
        }
        while (((p - indexStart) & 3) != 0) {
            if (p >= end || src[p] != 0) {
                throw new CorruptBlockException("xz: index padding is missing or not zero");
            }
            p++;
        }
        if (p + 4 + 12 != end) {
            throw new CorruptBlockException("xz: " + (end - p - 16) + " unexpected bytes around the stream footer");
        }
        if (crc32(src, indexStart, p - indexStart) != u32(src, p)) {
            throw new CorruptBlockException("xz: index CRC32 does not match");
        }
        p += 4;
        long backwardSize = (Integer.toUnsignedLong(u32(src, p + 4)) + 1) * 4;
        if (crc32(src, p + 4, 6) != u32(src, p) || backwardSize != p - indexStart
                || src[p + 8] != 0 || (src[p + 9] & 0xFF) != check || src[p + 10] != 'Y' || src[p + 11] != 'Z') {
            throw new CorruptBlockException("xz: stream footer does not match the stream");
        }
    }

    /**
     * Decodes LZMA2 chunks from src[pos, end) into dst; consumed[0] is set to just past the end marker.
     */
    private int decodeLzma2(byte[] src, int pos, int end, byte[] dst, int dstOff, int maxLen, long dictSize,
                            int[] consumed) throws CorruptBlockException {
        int out = dstOff;
        int outEnd = dstOff + maxLen;
        boolean first = true;
        boolean needProps = true;
        while (true) {
            if (pos >= end) {
                throw new CorruptBlockException("xz: LZMA2 data ends without its end marker");
            }
            int control = src[pos++] & 0xFF;
            if (control == 0) {
                consumed[0] = pos;
                return out - dstOff;
            }
            boolean dictReset = control == 1 || control >= 0xE0;
            if (first != dictReset) {
                if (first) {
                    throw new CorruptBlockException("xz: LZMA2 starts without a dictionary reset");
                }
                return NOT_HANDLED; // a dictionary reset inside a block: legal, but no encoder writes it
            }
            first = false;
            if (control == 1 || control == 2) {
                if (pos + 2 > end) {
                    throw new CorruptBlockException("xz: LZMA2 chunk header runs past the block");
                }
                int size = ((src[pos] & 0xFF) << 8 | (src[pos + 1] & 0xFF)) + 1;
                pos += 2;
                if (size > end - pos) {
                    throw new CorruptBlockException("xz: LZMA2 stored chunk runs past the block");
                }
                if (size > outEnd - out) {
                    throw new CorruptBlockException("xz: block decompresses to more than " + maxLen + " bytes");
                }
                System.arraycopy(src, pos, dst, out, size);
                pos += size;
                out += size;
                if (control == 1) {
                    needProps = true;
                }
                continue;
            }
            if (control < 0x80) {
                throw new CorruptBlockException("xz: LZMA2 control byte " + control);
            }
            if (pos + 4 > end) {
                throw new CorruptBlockException("xz: LZMA2 chunk header runs past the block");
            }
            int unpacked = ((control & 0x1F) << 16 | (src[pos] & 0xFF) << 8 | (src[pos + 1] & 0xFF)) + 1;
            int packed = ((src[pos + 2] & 0xFF) << 8 | (src[pos + 3] & 0xFF)) + 1;
            pos += 4;
            int reset = (control >>> 5) & 3;
            if (reset >= 2) {
                if (pos >= end) {
                    throw new CorruptBlockException("xz: LZMA2 chunk header runs past the block");
                }
                setProps(src[pos++] & 0xFF);
                needProps = false;
            } else if (needProps) {
                throw new CorruptBlockException("xz: LZMA2 chunk without properties");
            }
            if (reset >= 1) {
                resetState();
            }
            if (packed > end - pos) {
                throw new CorruptBlockException("xz: LZMA2 chunk runs past the block");
            }
            if (unpacked > outEnd - out) {
                throw new CorruptBlockException("xz: block decompresses to more than " + maxLen + " bytes");
            }
            if (!decodeChunk(src, pos, packed, dst, dstOff, out, out + unpacked, dictSize)) {
                return NOT_HANDLED;
            }
            pos += packed;
            out += unpacked;
        }
    }

    private void setProps(int props) throws CorruptBlockException {
        if (props > (4 * 5 + 4) * 9 + 8) {
            throw new CorruptBlockException("xz: LZMA properties byte " + props);
        }
        int newLc = props % 9;
        props /= 9;
        int newLp = props % 5;
        int newPb = props / 5;
        if (newLc + newLp > 4) {
            throw new CorruptBlockException("xz: LZMA2 lc + lp is more than 4");
        }
        lc = newLc;
        lp = newLp;
        pb = newPb;
        int size = LITERAL_CODER_SIZE << (lc + lp);
        if (literals.length < size) {
            literals = new short[size];
        }
    }

    private void resetState() {
        state = 0;
        rep0 = rep1 = rep2 = rep3 = 0;
        java.util.Arrays.fill(isMatch, (short) PROB_INIT);
        java.util.Arrays.fill(isRep, (short) PROB_INIT);
        java.util.Arrays.fill(isRep0, (short) PROB_INIT);
        java.util.Arrays.fill(isRep1, (short) PROB_INIT);
        java.util.Arrays.fill(isRep2, (short) PROB_INIT);
        java.util.Arrays.fill(isRep0Long, (short) PROB_INIT);
        java.util.Arrays.fill(distSlots, (short) PROB_INIT);
        java.util.Arrays.fill(distSpecial, (short) PROB_INIT);
        java.util.Arrays.fill(distAlign, (short) PROB_INIT);
        java.util.Arrays.fill(matchLen, (short) PROB_INIT);
        java.util.Arrays.fill(repLen, (short) PROB_INIT);
        java.util.Arrays.fill(literals, 0, LITERAL_CODER_SIZE << (lc + lp), (short) PROB_INIT);
    }

    /**
     * One LZMA chunk: a fresh range decoder over src[in, in+packed) producing dst[out, outEnd); the
     * dictionary is dst from base on, at most dictSize bytes back. Returns false for a match that
     * runs on into the next chunk, which this decoder leaves to xz-java.
     */
    private boolean decodeChunk(byte[] src, int in, int packed, byte[] dst, int base, int out, int outEnd,
                                long dictSize) throws CorruptBlockException {
        int inEnd = in + packed;
        if (packed < 5 || src[in] != 0) {
            throw new CorruptBlockException("xz: LZMA chunk does not start a range coder");
        }
        int code = (src[in + 1] & 0xFF) << 24 | (src[in + 2] & 0xFF) << 16 | (src[in + 3] & 0xFF) << 8
                | (src[in + 4] & 0xFF);
        int range = 0xFFFFFFFF;
        in += 5;
        rcSrc = src;
        rcEnd = inEnd;
        int st = state;
        int r0 = rep0;
        int r1 = rep1;
        int r2 = rep2;
        int r3 = rep3;
        final int posMask = (1 << pb) - 1;
        final int lpMask = (1 << lp) - 1;
        final int lcBits = lc;
        final short[] lit = literals;
        final short[] isMatchP = isMatch;

        while (out < outEnd) {
            int posState = (out - base) & posMask;
            int i = (st << 4) + posState;
            int prob = isMatchP[i];
            int bound = (range >>> 11) * prob;
            if ((code ^ Integer.MIN_VALUE) < (bound ^ Integer.MIN_VALUE)) {
                range = bound;
                isMatchP[i] = (short) (prob + ((2048 - prob) >>> 5));
                if ((range >>> 24) == 0) {
                    if (in >= inEnd) {
                        throw truncated();
                    }
                    range <<= 8;
                    code = code << 8 | (src[in++] & 0xFF);
                }
                // a literal, plain or (after a match) relative to the byte at rep0
                int prev = out > base ? dst[out - 1] & 0xFF : 0;
                int litBase = LITERAL_CODER_SIZE * ((((out - base) & lpMask) << lcBits) + (prev >>> (8 - lcBits)));
                int symbol = 1;
                if (st < 7) {
                    do {
                        // without a branch on the bit: literal bits are the least predictable ones
                        int pi = litBase + symbol;
                        prob = lit[pi];
                        bound = (range >>> 11) * prob;
                        int zero = zeroBit(code, bound);
                        range = (bound & zero) | ((range - bound) & ~zero);
                        code -= bound & ~zero;
                        lit[pi] = adapted(prob, zero);
                        symbol = (symbol << 1) | (zero + 1);
                        if ((range >>> 24) == 0) {
                            if (in >= inEnd) {
                                throw truncated();
                            }
                            range <<= 8;
                            code = code << 8 | (src[in++] & 0xFF);
                        }
                    } while (symbol < 0x100);
                } else {
                    int matchByte = dst[out - r0 - 1] & 0xFF; // r0 was checked when its match was copied
                    int offset = 0x100;
                    do {
                        matchByte <<= 1;
                        int matchBit = matchByte & offset;
                        int pi = litBase + offset + matchBit + symbol;
                        prob = lit[pi];
                        bound = (range >>> 11) * prob;
                        int zero = zeroBit(code, bound);
                        range = (bound & zero) | ((range - bound) & ~zero);
                        code -= bound & ~zero;
                        lit[pi] = adapted(prob, zero);
                        symbol = (symbol << 1) | (zero + 1);
                        offset &= (~matchBit & zero) | (matchBit & ~zero);
                        if ((range >>> 24) == 0) {
                            if (in >= inEnd) {
                                throw truncated();
                            }
                            range <<= 8;
                            code = code << 8 | (src[in++] & 0xFF);
                        }
                    } while (symbol < 0x100);
                }
                dst[out++] = (byte) symbol;
                st = st < 4 ? 0 : st < 10 ? st - 3 : st - 6;
                continue;
            }
            range -= bound;
            code -= bound;
            isMatchP[i] = (short) (prob - (prob >>> 5));
            if ((range >>> 24) == 0) {
                if (in >= inEnd) {
                    throw truncated();
                }
                range <<= 8;
                code = code << 8 | (src[in++] & 0xFF);
            }
            // a new match or a repeated one: one bit, in locals
            prob = isRep[st];
            bound = (range >>> 11) * prob;
            boolean newMatch = (code ^ Integer.MIN_VALUE) < (bound ^ Integer.MIN_VALUE);
            if (newMatch) {
                range = bound;
                isRep[st] = (short) (prob + ((2048 - prob) >>> 5));
            } else {
                range -= bound;
                code -= bound;
                isRep[st] = (short) (prob - (prob >>> 5));
            }
            if ((range >>> 24) == 0) {
                if (in >= inEnd) {
                    throw truncated();
                }
                range <<= 8;
                code = code << 8 | (src[in++] & 0xFF);
            }
            short[] lenProbs;
            if (newMatch) {
                st = st < 7 ? 7 : 10;
                r3 = r2;
                r2 = r1;
                r1 = r0;
                lenProbs = matchLen;
            } else {
                // which repeated distance: a few bits, decoded by a helper that keeps the coder in fields
                rcRange = range;
                rcCode = code;
                rcIn = in;
                if (out == base) {
                    throw new CorruptBlockException("xz: repeated match at the start of the block");
                }
                if (bit(isRep0, st) == 0) {
                    if (bit(isRep0Long, (st << 4) + posState) == 0) {
                        // a short rep: the one byte at rep0
                        range = rcRange;
                        code = rcCode;
                        in = rcIn;
                        st = st < 7 ? 9 : 11;
                        dst[out] = dst[out - r0 - 1];
                        out++;
                        continue;
                    }
                } else {
                    int dist;
                    if (bit(isRep1, st) == 0) {
                        dist = r1;
                    } else {
                        if (bit(isRep2, st) == 0) {
                            dist = r2;
                        } else {
                            dist = r3;
                            r3 = r2;
                        }
                        r2 = r1;
                    }
                    r1 = r0;
                    r0 = dist;
                }
                st = st < 7 ? 8 : 11;
                lenProbs = repLen;
                range = rcRange;
                code = rcCode;
                in = rcIn;
            }

            // the length, written out here with the coder in locals (every match has one): a choice
            // bit or two, then a bit tree of 3 bits (low, mid) or 8 bits (high)
            int lenBase = MATCH_LEN_MIN;
            int treeBase = LengthCoder.LOW + posState * 8 - 1;
            int treeBits = 3;
            prob = lenProbs[LengthCoder.CHOICE];
            bound = (range >>> 11) * prob;
            if ((code ^ Integer.MIN_VALUE) < (bound ^ Integer.MIN_VALUE)) {
                range = bound;
                lenProbs[LengthCoder.CHOICE] = (short) (prob + ((2048 - prob) >>> 5));
            } else {
                range -= bound;
                code -= bound;
                lenProbs[LengthCoder.CHOICE] = (short) (prob - (prob >>> 5));
                if ((range >>> 24) == 0) {
                    if (in >= inEnd) {
                        throw truncated();
                    }
                    range <<= 8;
                    code = code << 8 | (src[in++] & 0xFF);
                }
                prob = lenProbs[LengthCoder.CHOICE2];
                bound = (range >>> 11) * prob;
                if ((code ^ Integer.MIN_VALUE) < (bound ^ Integer.MIN_VALUE)) {
                    range = bound;
                    lenProbs[LengthCoder.CHOICE2] = (short) (prob + ((2048 - prob) >>> 5));
                    lenBase = MATCH_LEN_MIN + 8;
                    treeBase = LengthCoder.MID + posState * 8 - 1;
                } else {
                    range -= bound;
                    code -= bound;
                    lenProbs[LengthCoder.CHOICE2] = (short) (prob - (prob >>> 5));
                    lenBase = MATCH_LEN_MIN + 16;
                    treeBase = LengthCoder.HIGH - 1;
                    treeBits = 8;
                }
            }
            if ((range >>> 24) == 0) {
                if (in >= inEnd) {
                    throw truncated();
                }
                range <<= 8;
                code = code << 8 | (src[in++] & 0xFF);
            }
            int symbol = 1;
            for (int k = 0; k < treeBits; k++) {
                int pi = treeBase + symbol;
                prob = lenProbs[pi];
                bound = (range >>> 11) * prob;
                int zero = zeroBit(code, bound);
                range = (bound & zero) | ((range - bound) & ~zero);
                code -= bound & ~zero;
                lenProbs[pi] = adapted(prob, zero);
                symbol = (symbol << 1) | (zero + 1);
                if ((range >>> 24) == 0) {
                    if (in >= inEnd) {
                        throw truncated();
                    }
                    range <<= 8;
                    code = code << 8 | (src[in++] & 0xFF);
                }
            }
            int len = lenBase + symbol - (1 << treeBits);

            if (newMatch) {
                // the distance: a 6-bit slot, here in locals too, then for far matches extra bits
                int slotBase = (len < DIST_STATES + MATCH_LEN_MIN - 1 ? len - MATCH_LEN_MIN : DIST_STATES - 1)
                        * DIST_SLOTS;
                symbol = 1;
                do {
                    int pi = slotBase + symbol;
                    prob = distSlots[pi];
                    bound = (range >>> 11) * prob;
                    int zero = zeroBit(code, bound);
                    range = (bound & zero) | ((range - bound) & ~zero);
                    code -= bound & ~zero;
                    distSlots[pi] = adapted(prob, zero);
                    symbol = (symbol << 1) | (zero + 1);
                    if ((range >>> 24) == 0) {
                        if (in >= inEnd) {
                            throw truncated();
                        }
                        range <<= 8;
                        code = code << 8 | (src[in++] & 0xFF);
                    }
                } while (symbol < DIST_SLOTS);
                int slot = symbol - DIST_SLOTS;
                if (slot < DIST_MODEL_START) {
                    r0 = slot;
                } else {
                    // the low bits of a far distance, also in locals: a reverse bit tree of (slot/2 - 1)
                    // bits, or that many direct bits but the last four, which are a reverse bit tree
                    int limit = (slot >>> 1) - 1;
                    r0 = (2 | (slot & 1)) << limit;
                    short[] treeProbs = distSpecial;
                    int reverseBase = r0 - slot;
                    int reverseBits = limit;
                    if (slot >= DIST_MODEL_END) {
                        int direct = 0;
                        for (int k = limit - ALIGN_BITS; k > 0; k--) {
                            range >>>= 1;
                            code -= range;
                            int t = 0 - (code >>> 31);
                            code += range & t;
                            direct = (direct << 1) + (t + 1);
                            if ((range >>> 24) == 0) {
                                if (in >= inEnd) {
                                    throw truncated();
                                }
                                range <<= 8;
                                code = code << 8 | (src[in++] & 0xFF);
                            }
                        }
                        r0 += direct << ALIGN_BITS;
                        treeProbs = distAlign;
                        reverseBase = 0;
                        reverseBits = ALIGN_BITS;
                    }
                    symbol = 1;
                    int low = 0;
                    for (int k = 0; k < reverseBits; k++) {
                        int pi = reverseBase + symbol;
                        prob = treeProbs[pi];
                        bound = (range >>> 11) * prob;
                        int zero = zeroBit(code, bound);
                        range = (bound & zero) | ((range - bound) & ~zero);
                        code -= bound & ~zero;
                        treeProbs[pi] = adapted(prob, zero);
                        int b = zero + 1;
                        symbol = (symbol << 1) | b;
                        low |= b << k;
                        if ((range >>> 24) == 0) {
                            if (in >= inEnd) {
                                throw truncated();
                            }
                            range <<= 8;
                            code = code << 8 | (src[in++] & 0xFF);
                        }
                    }
                    r0 += low;
                    if (r0 == -1) {
                        throw new CorruptBlockException("xz: end marker inside an LZMA2 chunk");
                    }
                }
            }
            if ((r0 ^ Integer.MIN_VALUE) >= ((out - base) ^ Integer.MIN_VALUE) || (r0 & 0xFFFFFFFFL) >= dictSize) {
                throw new CorruptBlockException("xz: match distance " + (Integer.toUnsignedLong(r0) + 1)
                        + " reaches before the block or past the dictionary");
            }
            if (len > outEnd - out) {
                return false;
            }
            int from = out - r0 - 1;
            if (r0 + 1 >= len) {
                System.arraycopy(dst, from, dst, out, len);
                out += len;
            } else {
                for (int k = 0; k < len; k++) {
                    dst[out++] = dst[from + k];
                }
            }
        }
        if (in != inEnd || code != 0) {
            throw new CorruptBlockException("xz: LZMA chunk does not end where its header says");
        }
        state = st;
        rep0 = r0;
        rep1 = r1;
        rep2 = r2;
        rep3 = r3;
        return true;
    }

    /** One bit with probs[i], coder state in the rc fields. */
    private int bit(short[] probs, int i) throws CorruptBlockException {
        int range = rcRange;
        int code = rcCode;
        int prob = probs[i];
        int bound = (range >>> 11) * prob;
        int zero = zeroBit(code, bound);
        range = (bound & zero) | ((range - bound) & ~zero);
        code -= bound & ~zero;
        probs[i] = adapted(prob, zero);
        int b = zero + 1;
        if ((range >>> 24) == 0) {
            if (rcIn >= rcEnd) {
                throw truncated();
            }
            range <<= 8;
            code = code << 8 | (rcSrc[rcIn++] & 0xFF);
        }
        rcRange = range;
        rcCode = code;
        return b;
    }

    /** -1 when the range coder's next bit (code below bound) is 0, else 0: no branch on the bit. */
    private static int zeroBit(int code, int bound) {
        return (int) (((code & 0xFFFFFFFFL) - (bound & 0xFFFFFFFFL)) >> 63);
    }

    /**
     * A probability moved a 32nd of the way towards the bit just decoded (zero: see zeroBit): up by
     * (2048 - prob) >> 5 after a 0, down by prob >> 5 after a 1. Both in one shift: (31 - prob) >> 5 is
     * -(prob >> 5) for any prob. Four operations fewer per bit than selecting between the two
     * (3.5-5% less decoding time, alternating rounds in one JVM).
     */
    static short adapted(int prob, int zero) {
        return (short) (prob + (((zero & 2017) + 31 - prob) >> 5));
    }

    private static CorruptBlockException truncated() {
        return new CorruptBlockException("xz: LZMA chunk ends inside its range-coded data");
    }

    private int crc32(byte[] b, int off, int len) {
        crc.reset();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A multibyte integer (7 bits per byte, at most 9 bytes) from b[p, end); returns the next position. */
    private static int varint(byte[] b, int p, int end, long[] value) throws CorruptBlockException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (p >= end || shift > 56) {
                throw new CorruptBlockException("xz: malformed size or filter field");
            }
            int x = b[p++] & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                if (x == 0 && shift > 0) {
                    throw new CorruptBlockException("xz: malformed size or filter field");
                }
                value[0] = v;
                return p;
            }
        }
    }
}
