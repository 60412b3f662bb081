package dev.strata.squashfs.read;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Damages a valid image the ways that find reader bugs: bit flips anywhere, "interesting" values
 * (0, -1, sizes near the image's, powers of two) written over superblock fields and over words of the
 * metadata tables, truncation, and chunks of metadata copied over other metadata. Most mutations aim
 * at the tables after the data, where one changed byte changes the meaning of everything after it.
 */
final class ImageMutator {
    private final byte[] original;
    private final long tablesStart;
    private final long bytesUsed;

    ImageMutator(byte[] original) {
        this.original = original;
        ByteBuffer sb = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN);
        this.bytesUsed = Math.min(original.length, sb.getLong(40));
        this.tablesStart = Math.min(bytesUsed, Math.max(96, sb.getLong(64)));
    }

    /** One mutated copy and what was done, for the failure message. */
    record Mutation(byte[] image, String description) {
    }

    Mutation mutate(SplittableRandom r) {
        byte[] b = original.clone();
        int kind = r.nextInt(100);
        if (kind < 20) {
            int flips = 1 + r.nextInt(8);
            StringBuilder d = new StringBuilder("flip bits at");
            for (int i = 0; i < flips; i++) {
                int at = r.nextInt((int) bytesUsed);
                b[at] ^= (byte) (1 << r.nextInt(8));
                d.append(' ').append(at);
            }
            return new Mutation(b, d.toString());
        }
        if (kind < 35) {
            int[] fields = {4, 8, 12, 16, 20, 22, 24, 26, 28, 30, 32, 40, 48, 56, 64, 72, 80, 88};
            int at = fields[r.nextInt(fields.length)];
            int width = at < 20 ? 4 : at < 32 ? 2 : 8;
            long v = interesting(r);
            put(b, at, width, v);
            return new Mutation(b, "superblock field at " + at + " := " + v);
        }
        if (kind < 70) {
            int count = 1 + r.nextInt(3);
            StringBuilder d = new StringBuilder("table words:");
            for (int i = 0; i < count; i++) {
                int width = new int[] {1, 2, 4, 8}[r.nextInt(4)];
                int at = (int) (tablesStart + r.nextLong(Math.max(1, bytesUsed - tablesStart - width)));
                long v = interesting(r);
                put(b, at, width, v);
                d.append(' ').append(at).append('/').append(width).append(":=").append(v);
            }
            return new Mutation(b, d.toString());
        }
        if (kind < 80) {
            int at = (int) (tablesStart + r.nextLong(Math.max(1, bytesUsed - tablesStart)));
            b[at] = (byte) r.nextInt(256);
            return new Mutation(b, "table byte " + at + " := random");
        }
        if (kind < 88) {
            int len = r.nextInt((int) bytesUsed);
            return new Mutation(Arrays.copyOf(b, len), "truncated to " + len + " bytes");
        }
        int span = (int) (bytesUsed - tablesStart);
        if (span < 4) {
            return new Mutation(b, "unchanged (no tables to copy)");
        }
        int len = 1 + r.nextInt(Math.min(64, span / 2));
        int from = (int) tablesStart + r.nextInt(span - len);
        int to = (int) tablesStart + r.nextInt(span - len);
        System.arraycopy(original, from, b, to, len);
        return new Mutation(b, "copied " + len + " table bytes from " + from + " to " + to);
    }

    private long interesting(SplittableRandom r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> 1;
            case 3 -> bytesUsed;
            case 4 -> bytesUsed + 1;
            case 5 -> bytesUsed - 1;
            case 6 -> 0x7FFF_FFFFL;
            case 7 -> 0x8000_0000L;
            case 8 -> 1L << r.nextInt(63);
            case 9 -> 0xFFFFL;
            case 10 -> r.nextLong(Math.max(1, bytesUsed));
            default -> r.nextLong();
        };
    }

    private static void put(byte[] b, int at, int width, long v) {
        for (int i = 0; i < width && at + i < b.length; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
