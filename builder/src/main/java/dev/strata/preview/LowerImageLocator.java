package dev.strata.preview;

import dev.strata.squashfs.read.SquashfsImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds the squashfs in a lower-layer input: a squashfs image itself, or a flashable image (MBR/GPT
 * disk image, kernel + rootfs flash image) holding one at a sector-aligned offset.
 */
public final class LowerImageLocator {
    private static final int MAGIC = 0x73717368; // "hsqs" little-endian
    private static final int SECTOR = 512;
    private static final int CHUNK = 1 << 20;

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
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            String firstProblem = null;
            for (long base = 0; base < size; base += CHUNK) {
                buf.clear();
                int n = 0;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, base + buf.position());
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                for (int at = 0; at + 4 <= n; at += SECTOR) {
                    if (buf.getInt(at) != MAGIC) {
                        continue;
                    }
                    try {
                        return SquashfsImage.open(file, base + at);
                    } catch (IOException | RuntimeException e) {
                        if (firstProblem == null) {
                            firstProblem = "squashfs magic at byte " + (base + at) + " but " + e.getMessage();
                        }
                    }
                }
            }
            throw new PreviewException(file + ": not a squashfs image, and no squashfs found inside it"
                    + (firstProblem == null ? "" : " (" + firstProblem + ")"));
        }
    }
}
