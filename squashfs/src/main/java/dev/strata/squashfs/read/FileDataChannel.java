package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A regular file of an image as a read-only seekable channel. Thread-safe. */
final class FileDataChannel implements SeekableByteChannel {
    private final FileData data;
    private long position;
    private boolean open = true;

    FileDataChannel(FileData data) {
        this.data = data;
    }

    @Override
    public synchronized int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= data.size()) {
            return -1;
        }
        int total = 0;
        byte[] scratch = dst.hasArray() ? null : new byte[Math.min(dst.remaining(), 1 << 16)];
        while (dst.hasRemaining()) {
            int n;
            if (scratch == null) {
                n = data.read(position, dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                n = data.read(position, scratch, 0, Math.min(scratch.length, dst.remaining()));
                if (n > 0) {
                    dst.put(scratch, 0, n);
                }
            }
            if (n < 0) {
                break;
            }
            position += n;
            total += n;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return data.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() {
        open = false;
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
