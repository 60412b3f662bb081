package dev.strata.overlay.merge.nio;

import dev.strata.squashfs.read.ReadOnlyChannel;
import dev.strata.squashfs.tree.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** Reads a merged file from its layer's content stream; seeking backwards reopens the stream. */
final class MergedByteChannel extends ReadOnlyChannel {
    private final FileContent content;
    private InputStream in;
    private long streamPosition;

    MergedByteChannel(FileContent content) throws IOException {
        this.content = content;
        this.in = content.open();
    }

    @Override
    protected long contentSize() {
        return content.size();
    }

    @Override
    protected int readAt(long position, ByteBuffer dst) throws IOException {
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
        return n;
    }

    @Override
    protected void release() throws IOException {
        in.close();
    }
}
