package dev.strata.image.reset;

import dev.strata.image.fat.FatVolume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.List;

/**
 * {@code strata reset}: puts the overlay of a flashable image (a file, or the SD card itself) back
 * to factory state without booting it. {@link #inspect} finds the data volume as the device's init
 * would and decides what to write; {@link #apply} writes only that region. An image file is
 * changed in a sparse copy that replaces it by one rename, so an interrupted reset leaves the image
 * as it was; a block device is written in place (the marker first: from then on the device
 * formats the volume whatever else was written).
 */
public final class OfflineReset {
    public static final long DEFAULT_ERASE_BLOCK = 64 * 1024;
    private static final int CHUNK = 1 << 20;

    private OfflineReset() {
    }

    /**
     * What a reset of target would do.
     *
     * @param keep       paths to keep besides the configured keep list: a soft reset through the
     *                   reset flag file
     * @param soft       a soft reset even when keep is empty (only the configured list is kept)
     * @param eraseBlock the erase block of a raw flash image
     * @throws UnrecognizedImageException when target is not a flashable image it knows
     */
    public static ResetPlan inspect(Path target, List<String> keep, boolean soft, long eraseBlock) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
            long size = ResetTarget.size(target, ch);
            return new ImageInspector(ch, size, target.toString()).inspect(keep, soft, eraseBlock);
        }
    }

    /** Carries out plan on target; mtime stamps a flag file. */
    public static void apply(Path target, ResetPlan plan, long mtime) throws IOException {
        if (plan.action() instanceof ResetPlan.Nothing) {
            return;
        }
        if (ResetTarget.isBlockDevice(target)) {
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                write(ch, plan, mtime);
                ch.force(true);
            }
            return;
        }
        Path abs = target.toAbsolutePath();
        Path temp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".reset");
        try {
            sparseCopy(abs, temp);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                write(ch, plan, mtime);
                ch.force(true);
            }
            Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void write(FileChannel ch, ResetPlan plan, long mtime) throws IOException {
        if (plan.action() instanceof ResetPlan.Wipe w) {
            ResetTarget.write(ch, w.offset(), w.marker());
            byte[] fill = new byte[(int) (w.length() - w.marker().length)];
            if (w.fill() != 0) {
                Arrays.fill(fill, w.fill());
            }
            ResetTarget.write(ch, w.offset() + w.marker().length, fill);
        } else if (plan.action() instanceof ResetPlan.FlagFile f) {
            FatVolume v = FatVolume.open(ch, f.partitionOffset(), f.partitionSize());
            StringBuilder sb = new StringBuilder();
            for (String k : f.keep()) {
                sb.append(k).append('\n');
            }
            v.putRootFile(f.path().substring(1), sb.toString().getBytes(StandardCharsets.UTF_8), mtime);
        }
    }

    /** Copies a file, leaving all-zero megabytes as holes, and keeps its permissions. */
    static void sparseCopy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            byte[] zero = new byte[CHUNK];
            for (long pos = 0; pos < size; pos += CHUNK) {
                buf.clear();
                int want = (int) Math.min(CHUNK, size - pos);
                buf.limit(want);
                while (buf.hasRemaining() && in.read(buf, pos + buf.position()) > 0) {
                    // keep reading
                }
                if (Arrays.equals(buf.array(), 0, want, zero, 0, want)) {
                    continue;
                }
                buf.flip();
                long at = pos;
                while (buf.hasRemaining()) {
                    at += out.write(buf, at);
                }
            }
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view != null) {
            Files.setPosixFilePermissions(to, view.readAttributes().permissions());
        }
    }
}
