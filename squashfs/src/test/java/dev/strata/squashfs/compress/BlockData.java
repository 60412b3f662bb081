package dev.strata.squashfs.compress;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test blocks of the kinds a root filesystem holds. */
enum BlockData {
    /** Incompressible bytes. */
    RANDOM,
    /** Literal stretches, runs and copies from near and far back (up to 64 KiB), short and long. */
    REPETITIVE,
    /** Words and lines from a small vocabulary. */
    TEXT,
    /** Mostly zeros with a few bytes set, like sparse tables. */
    SPARSE,
    /** ARM64 code: nops and BL calls to a few functions (what the arm64 BCJ filter is for). */
    ARM64_CODE,
    /** RISC-V code: nops and JAL calls to a few functions (what the riscv BCJ filter is for). */
    RISCV_CODE;

    private static final String[] WORDS = ("the of and to in is that for it as with was on be by this are or from"
            + " squashfs kernel block inode directory fragment table lzo zstd xz gzip lz4 mount overlay root"
            + " /usr/lib /etc/init.d libc.so.6 0x0000 ERROR warning: # define struct { } ( ) ; = == != ->").split(" ");

    /**
     * A compressed block damaged as the decoder tests damage them: lengthChange bytes cut off or zeros
     * added (at least one byte is left), then flips single bits flipped, all chosen from seed.
     */
    static byte[] damaged(byte[] packed, long seed, int flips, int lengthChange) {
        Random r = new Random(seed);
        byte[] damaged = java.util.Arrays.copyOf(packed, Math.max(1, packed.length + lengthChange));
        for (int i = 0; i < flips; i++) {
            damaged[r.nextInt(damaged.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return damaged;
    }

    byte[] generate(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        switch (this) {
            case RANDOM -> r.nextBytes(b);
            case TEXT -> {
                int i = 0;
                while (i < size) {
                    byte[] w = (WORDS[r.nextInt(WORDS.length)] + (r.nextInt(12) == 0 ? "\n" : " "))
                            .getBytes(StandardCharsets.US_ASCII);
                    int n = Math.min(w.length, size - i);
                    System.arraycopy(w, 0, b, i, n);
                    i += n;
                }
            }
            case SPARSE -> {
                for (int k = size / 200; k > 0; k--) {
                    b[r.nextInt(size)] = (byte) r.nextInt(256);
                }
            }
            case ARM64_CODE, RISCV_CODE -> {
                int[] functions = new int[40];
                for (int k = 0; k < functions.length; k++) {
                    functions[k] = r.nextInt(1 << 18) * 4;
                }
                for (int i = 0; i + 4 <= size; i += 4) {
                    int insn = this == ARM64_CODE ? 0xD503201F : 0x00000013;
                    if (r.nextInt(3) == 0) {
                        int off = functions[r.nextInt(functions.length)] - i;
                        insn = this == ARM64_CODE
                                ? 0x94000000 | ((off >> 2) & 0x03FFFFFF)
                                : ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3FF) << 21 | ((off >> 11) & 1) << 20
                                        | ((off >> 12) & 0xFF) << 12 | 1 << 7 | 0x6F;
                    }
                    b[i] = (byte) insn;
                    b[i + 1] = (byte) (insn >> 8);
                    b[i + 2] = (byte) (insn >> 16);
                    b[i + 3] = (byte) (insn >>> 24);
                }
            }
            case REPETITIVE -> {
                int i = 0;
                int alphabet = 2 + r.nextInt(255);
                while (i < size) {
                    int op = r.nextInt(10);
                    int n;
                    if (op < 3 || i < 4) {
                        n = Math.min(1 + r.nextInt(r.nextBoolean() ? 8 : 400), size - i);
                        for (int k = 0; k < n; k++) {
                            b[i + k] = (byte) r.nextInt(alphabet);
                        }
                    } else if (op < 4) {
                        n = Math.min(1 + r.nextInt(r.nextBoolean() ? 20 : 3000), size - i);
                        java.util.Arrays.fill(b, i, i + n, (byte) r.nextInt(256));
                    } else {
                        int maxBack = Math.min(i, r.nextBoolean() ? 2048 : 65536);
                        int dist = 1 + r.nextInt(maxBack);
                        n = Math.min(2 + r.nextInt(r.nextInt(4) == 0 ? 2000 : 40), size - i);
                        for (int k = 0; k < n; k++) {
                            b[i + k] = b[i + k - dist];
                        }
                    }
                    i += n;
                }
            }
        }
        return b;
    }
}
