package dev.strata.squashfs.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** A regular file of an image as a stream. Not thread-safe, like most streams. */
final class FileDataInputStream extends InputStream {
    private final FileData data;
    private final byte[] one = new byte[1];
    private long position;
    private long mark;
    private boolean closed;

    FileDataInputStream(FileData data) {
        this.data = data;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        int total = 0;
        while (total < len) {
            int n = data.read(position, b, off + total, len - total);
            if (n < 0) {
                break;
            }
            position += n;
            total += n;
        }
        return total == 0 ? -1 : total;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0) {
            return 0;
        }
        long skipped = Math.min(n, Math.max(0, data.size() - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, data.size() - position));
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readlimit) {
        mark = position;
    }

    @Override
    public synchronized void reset() throws IOException {
        ensureOpen();
        position = mark;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
