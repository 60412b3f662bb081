package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only seekable channel over content of a known size: keeps the position and the open state
 * and refuses writes; a subclass only reads at a position. Thread-safe (one read at a time).
 */
public abstract class ReadOnlyChannel implements SeekableByteChannel {
    private long position;
    private boolean open = true;

    /** The content's length in bytes. */
    protected abstract long contentSize();

    /**
     * Reads at position (below contentSize()) into dst, which has room; returns how many bytes,
     * at least 1 unless the content ends early (then -1).
     */
    protected abstract int readAt(long position, ByteBuffer dst) throws IOException;

    /** Releases what the subclass holds; called once, by the first close(). */
    protected void release() throws IOException {
    }

    @Override
    public final synchronized int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (position >= contentSize()) {
            return -1;
        }
        int n = readAt(position, dst);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public final int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public final synchronized long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public final synchronized SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public final long size() throws IOException {
        ensureOpen();
        return contentSize();
    }

    @Override
    public final SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public final synchronized boolean isOpen() {
        return open;
    }

    @Override
    public final synchronized void close() throws IOException {
        if (open) {
            open = false;
            release();
        }
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
