package dev.strata.preview;

import dev.strata.squashfs.read.SquashfsImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds the squashfs in a lower-layer input: a squashfs image itself, or a flashable or vendor firmware
 * image holding one (MBR/GPT disk image, kernel + rootfs flash image, a TRX behind a Netgear .chk
 * header). The first offset, in file order, whose "hsqs" magic opens as an image wins: in the first 64
 * MiB any byte, since firmware headers put the squashfs anywhere (a Netgear .chk's 58-byte header shifts
 * the TRX's squashfs, which OpenWrt aligns to 1 KiB, off every sector boundary); beyond, sector
 * boundaries, where a disk image's partitions start. A magic that appears by chance in other data fails
 * the superblock's checks.
 */
public final class LowerImageLocator {
    private static final byte[] MAGIC = {'h', 's', 'q', 's'};
    private static final int SECTOR = 512;
    private static final int CHUNK = 1 << 20;
    /** Firmware files are tens of MiB at most; beyond, only sector boundaries are looked at. */
    static final long ANY_OFFSET_LIMIT = 64L << 20;
    /**
     * Horspool's skip: how far the magic can move on, given the byte under its last letter ('s': 2,
     * 'q': 1, 'h': 3, any other: 4). About one byte in four is looked at (64 MiB without a squashfs:
     * 0.12 s).
     */
    private static final int[] SKIP = new int[256];

    static {
        java.util.Arrays.fill(SKIP, MAGIC.length);
        for (int i = 0; i < MAGIC.length - 1; i++) {
            SKIP[MAGIC[i] & 0xFF] = MAGIC.length - 1 - i;
        }
    }

    private LowerImageLocator() {
    }

    /** Whether file is, or holds, a squashfs image this reader opens. */
    public static boolean holdsSquashfs(Path file) {
        try (SquashfsImage image = open(file)) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Opens the squashfs in file; the caller closes it. */
    public static SquashfsImage open(Path file) throws IOException {
        SquashfsImage.requireNotDirectory(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(size, MAGIC.length))];
            // why the first candidates failed: one on a sector boundary says more than one met by chance
            String alignedProblem = null;
            String otherProblem = null;
            long base = 0;
            while (base < size) {
                int n = readFully(ch, base, buf);
                for (int at = next(base, -1, buf); at + MAGIC.length <= n; at = next(base, at, buf)) {
                    if (buf[at + 3] != MAGIC[3] || buf[at] != MAGIC[0] || buf[at + 1] != MAGIC[1]
                            || buf[at + 2] != MAGIC[2]) {
                        continue;
                    }
                    long offset = base + at;
                    try {
                        return SquashfsImage.open(file, offset);
                    } catch (IOException | RuntimeException e) {
                        String problem = "squashfs magic at byte " + offset + " but " + e.getMessage();
                        if (offset % SECTOR == 0 && alignedProblem == null) {
                            alignedProblem = problem;
                        } else if (otherProblem == null) {
                            otherProblem = problem;
                        }
                    }
                }
                if (n < buf.length) {
                    break;
                }
                base += n - (MAGIC.length - 1); // a magic across the chunk boundary is found in the next
            }
            String problem = alignedProblem != null ? alignedProblem : otherProblem;
            throw new PreviewException(file + ": not a squashfs image, and no squashfs found inside it"
                    + (problem == null ? "" : " (" + problem + ")"));
        }
    }

    /**
     * The next place in buf (read from base) where the magic may be, after at (-1: the first): any byte in
     * the first {@link #ANY_OFFSET_LIMIT} bytes, sector boundaries beyond (a disk image's partitions).
     */
    private static int next(long base, int at, byte[] buf) {
        long from = base + at;
        if (from + 1 < ANY_OFFSET_LIMIT) {
            return at < 0 ? 0 : at + SKIP[buf[at + 3] & 0xFF];
        }
        long aligned = (from + SECTOR) / SECTOR * SECTOR;
        return (int) Math.min(aligned - base, Integer.MAX_VALUE);
    }

    private static int readFully(FileChannel ch, long position, byte[] into) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        return buf.position();
    }
}
