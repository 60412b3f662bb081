package dev.strata.overlay.merge.nio;

import dev.strata.squashfs.tree.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** Reads a merged file; seeking backwards reopens the layer's content stream. */
final class MergedByteChannel implements SeekableByteChannel {
    private final FileContent content;
    private InputStream in;
    private long streamPosition;
    private long position;
    private boolean open = true;

    MergedByteChannel(FileContent content) throws IOException {
        this.content = content;
        this.in = content.open();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= content.size()) {
            return -1;
        }
        if (position < streamPosition) {
            in.close();
            in = content.open();
            streamPosition = 0;
        }
        while (streamPosition < position) {
            long skipped = in.skip(position - streamPosition);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return -1;
                }
                skipped = 1;
            }
            streamPosition += skipped;
        }
        byte[] buf = new byte[Math.min(dst.remaining(), 1 << 16)];
        int n = in.read(buf);
        if (n <= 0) {
            return -1;
        }
        dst.put(buf, 0, n);
        streamPosition += n;
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
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
        return content.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            in.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
