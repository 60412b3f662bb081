package dev.strata.squashfs.read;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A regular file of an image as a read-only seekable channel: random access by block. */
final class FileDataChannel extends ReadOnlyChannel {
    private final FileData data;

    FileDataChannel(FileData data) {
        this.data = data;
    }

    @Override
    protected long contentSize() {
        return data.size();
    }

    @Override
    protected int readAt(long position, ByteBuffer dst) throws IOException {
        int total = 0;
        byte[] scratch = dst.hasArray() ? null : new byte[Math.min(dst.remaining(), 1 << 16)];
        while (dst.hasRemaining()) {
            int n;
            if (scratch == null) {
                n = data.read(position + total, dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
            } else {
                n = data.read(position + total, scratch, 0, Math.min(scratch.length, dst.remaining()));
                if (n > 0) {
                    dst.put(scratch, 0, n);
                }
            }
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total == 0 ? -1 : total;
    }
}
