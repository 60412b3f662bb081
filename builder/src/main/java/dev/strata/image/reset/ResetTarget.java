package dev.strata.image.reset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code strata reset} works on: a disk or flash image file, or a block device (an SD card in
 * a reader). Java reports a block device's size as 0, so it is read from sysfs.
 */
final class ResetTarget {
    private ResetTarget() {
    }

    static boolean isBlockDevice(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return false;
        }
        Object mode;
        try {
            mode = Files.getAttribute(p, "unix:mode");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
        return mode instanceof Integer m && (m & 0170000) == 0060000;
    }

    /** The size in bytes of a file or block device. */
    static long size(Path p, FileChannel ch) throws IOException {
        if (!isBlockDevice(p)) {
            return ch.size();
        }
        Path real = p.toRealPath();
        Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (Files.isReadable(sys)) {
            return Long.parseLong(Files.readString(sys).strip()) * 512;
        }
        throw new IOException(p + ": cannot tell the size of this block device (no " + sys + ")");
    }

    static byte[] read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) {
                break;
            }
        }
        return b.array();
    }

    static void write(FileChannel ch, long position, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            position += ch.write(b, position);
        }
    }
}
