package dev.strata.sources.archive;

import dev.strata.squashfs.tree.FileContent;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds the bytes of archive members until the image is written: archives are streams that can be
 * read once, while the writer opens each file when it gets to it. One temporary file, appended to
 * while sources are read, read back at positions (safely from several threads), deleted on close.
 */
public final class ContentSpool implements Closeable {
    private static final int COPY_BUFFER = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private long end;

    private ContentSpool(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** A spool in directory (use one on the same disk as the output, not a small tmpfs). */
    public static ContentSpool create(Path directory) throws IOException {
        Path file = Files.createTempFile(directory, ".strata-spool-", ".tmp");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        return new ContentSpool(file, channel);
    }

    /**
     * Copies exactly size bytes of in into the spool.
     *
     * @throws EOFException when in ends before size bytes
     */
    public synchronized FileContent store(InputStream in, long size, String origin) throws IOException {
        long start = end;
        byte[] buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, size))];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("ends after " + (size - left) + " of " + size + " bytes");
            }
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
            long pos = end;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            end = pos;
            left -= n;
        }
        return region(start, size, origin);
    }

    /** Stores bytes already in memory. */
    public FileContent store(byte[] bytes, String origin) throws IOException {
        return store(new java.io.ByteArrayInputStream(bytes), bytes.length, origin);
    }

    /** The bytes at [start, start + size) as file content. */
    public FileContent region(long start, long size, String origin) {
        return FileContent.of(size, origin, () -> new RegionStream(start, size));
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    private final class RegionStream extends InputStream {
        private long position;
        private final long limit;

        RegionStream(long start, long size) {
            this.position = start;
            this.limit = start + size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= limit) {
                return -1;
            }
            int want = (int) Math.min(len, limit - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new EOFException("spool file truncated");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, limit - position));
            position += s;
            return s;
        }
    }
}
