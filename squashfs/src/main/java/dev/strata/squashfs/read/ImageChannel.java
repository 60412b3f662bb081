package dev.strata.squashfs.read;

import dev.strata.squashfs.format.CorruptImageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads of an image that starts at some offset of a file (a partition inside a disk image).
 * Positions are image-relative; nothing is read past the limit, and a short file is reported as a
 * truncated image rather than returning fewer bytes. Positional reads keep this thread-safe.
 */
final class ImageChannel {
    private final FileChannel channel;
    private final long base;
    private final long limit;

    /**
     * @param base  file offset of the image's first byte
     * @param limit image-relative end of what may be read (bytes_used once it is known)
     */
    ImageChannel(FileChannel channel, long base, long limit) {
        this.channel = channel;
        this.base = base;
        this.limit = limit;
    }

    ImageChannel withLimit(long newLimit) {
        return new ImageChannel(channel, base, newLimit);
    }

    long limit() {
        return limit;
    }

    /** Reads exactly len bytes at image position pos, or fails naming what was being read. */
    void readFully(long pos, byte[] dst, int off, int len, String what) throws IOException {
        readFully(pos, ByteBuffer.wrap(dst, off, len), what);
    }

    /** Reads exactly dst.remaining() bytes at image position pos into dst, or fails naming what was being read. */
    void readFully(long pos, ByteBuffer dst, String what) throws IOException {
        int len = dst.remaining();
        int start = dst.position();
        if (pos < 0 || pos > limit - len) {
            throw new CorruptImageException(pos, what + " of " + len + " bytes lies outside the image's "
                    + limit + " bytes");
        }
        while (dst.hasRemaining()) {
            int n = channel.read(dst, base + pos + (dst.position() - start));
            if (n < 0) {
                throw new CorruptImageException(pos, "image is truncated: " + what + " needs bytes up to "
                        + (pos + len) + " but the file ends after " + (pos + (dst.position() - start)));
            }
        }
    }

    byte[] read(long pos, int len, String what) throws IOException {
        byte[] b = new byte[len];
        readFully(pos, b, 0, len, what);
        return b;
    }
}
