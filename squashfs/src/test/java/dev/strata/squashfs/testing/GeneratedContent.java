package dev.strata.squashfs.testing;

import dev.strata.squashfs.tree.FileContent;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * File content computed from a seed instead of stored: any size (a 5 GiB file costs no memory or
 * disk), the same bytes on every open, and a short description for failure messages.
 *
 * @param style       what the bytes look like
 * @param seed        varies the bytes; equal style, seed, size and granularity give equal content
 * @param size        file length
 * @param granularity for HOLES and FEW_DATA_BLOCKS, the run length (the image block size) that is
 *                    either all zero or data, so that the writer sees whole sparse blocks
 */
public record GeneratedContent(Style style, long seed, long size, int granularity) implements FileContent {
    private static final int CHUNK = 4096;
    private static final byte[] TEXT = "the quick brown fox jumps over a lazy dog; squashfs\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII);

    public enum Style {
        /** Incompressible: data blocks end up stored uncompressed. */
        RANDOM,
        /** Compressible text-like bytes. */
        TEXT,
        /** All zero: every full block is sparse. */
        ZEROS,
        /** Runs of granularity bytes, each either all zero or random: sparse blocks between data. */
        HOLES,
        /** All zero except the first, the last and about one in 4096 runs: a huge sparse file. */
        FEW_DATA_BLOCKS
    }

    public GeneratedContent {
        if (size < 0 || granularity < CHUNK || granularity % CHUNK != 0) {
            throw new IllegalArgumentException("size " + size + ", granularity " + granularity);
        }
    }

    public static GeneratedContent of(Style style, long seed, long size) {
        return new GeneratedContent(style, seed, size, CHUNK);
    }

    @Override
    public InputStream open() {
        return new Stream();
    }

    @Override
    public String origin() {
        return "generated " + style + " seed " + seed + " size " + size
                + (granularity != CHUNK ? " runs of " + granularity : "");
    }

    /** The bytes of chunk (CHUNK bytes from index * CHUNK), written into dst. */
    private void fillChunk(long index, byte[] dst) {
        long run = index * CHUNK / granularity;
        boolean zero = switch (style) {
            case ZEROS -> true;
            case HOLES -> (mix(seed, run) & 1) == 0;
            case FEW_DATA_BLOCKS -> run != 0 && run != (size - 1) / granularity && (mix(seed, run) & 0xFFF) != 0;
            case RANDOM, TEXT -> false;
        };
        if (zero) {
            Arrays.fill(dst, (byte) 0);
            return;
        }
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        if (style == Style.TEXT) {
            for (int i = 0; i < dst.length; i++) {
                dst[i] = TEXT[r.nextInt(TEXT.length)];
            }
        } else {
            r.nextBytes(dst);
            dst[0] |= 1; // a data run never happens to be all zero
        }
    }

    private static long mix(long seed, long x) {
        long z = seed * 0x9E3779B97F4A7C15L + x * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private final class Stream extends InputStream {
        private final byte[] chunk = new byte[CHUNK];
        private long position;
        private long chunkIndex = -1;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int total = 0;
            while (len > 0 && position < size) {
                long index = position / CHUNK;
                if (index != chunkIndex) {
                    fillChunk(index, chunk);
                    chunkIndex = index;
                }
                int at = (int) (position % CHUNK);
                int n = (int) Math.min(Math.min(len, CHUNK - at), size - position);
                System.arraycopy(chunk, at, b, off, n);
                off += n;
                len -= n;
                total += n;
                position += n;
            }
            return total;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, size - position));
            position += skipped;
            return skipped;
        }
    }
}
