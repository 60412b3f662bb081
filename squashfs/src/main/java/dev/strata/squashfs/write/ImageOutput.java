package dev.strata.squashfs.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sequential writes to the image file with a position that can be wound back (for duplicates).
 * Positions are the image's own; the image itself may start some bytes into the file (mksquashfs
 * -offset).
 */
final class ImageOutput {
    private final FileChannel channel;
    private final long base;
    private long position;

    ImageOutput(FileChannel channel, long start, long base) {
        this.channel = channel;
        this.position = start;
        this.base = base;
    }

    long position() {
        return position;
    }

    void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            position += channel.write(buf, base + position);
        }
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Later writes overwrite from here; the file is truncated at the end of the build. */
    void rewind(long to) {
        position = to;
    }

    void writeAt(long at, ByteBuffer buf) throws IOException {
        long p = base + at;
        while (buf.hasRemaining()) {
            p += channel.write(buf, p);
        }
    }

    void truncateToPosition() throws IOException {
        channel.truncate(base + position);
    }
}
