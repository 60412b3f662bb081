package dev.strata.squashfs.compress;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The direct buffers a native decoder reads one block from and writes one block into, grown to the
 * largest block seen (at most the block size: the reader's limit), and a pool of them with whatever
 * else one thread's decoding needs: one taken per call, so threads never share one.
 */
final class NativeBlockBuffers {
    private ByteBuffer in = ByteBuffer.allocateDirect(0);
    private ByteBuffer out = ByteBuffer.allocateDirect(0);

    /** src's bytes at the start of a direct buffer, positioned there (JNA passes a direct buffer as its position's address). */
    ByteBuffer input(byte[] src, int off, int len) {
        if (in.capacity() < len) {
            in = ByteBuffer.allocateDirect(len);
        }
        in.clear();
        in.put(src, off, len).flip();
        return in;
    }

    /** A cleared direct buffer of at least maxLen bytes for the decoded block. */
    ByteBuffer output(int maxLen) {
        if (out.capacity() < maxLen) {
            out = ByteBuffer.allocateDirect(maxLen);
        }
        return out.clear();
    }

    /** A native decoder working on direct buffers: in[0, len) into out[0, maxLen); the decoded length, or -1. */
    interface DirectDecoder {
        int decode(ByteBuffer in, int len, ByteBuffer out, int maxLen);
    }

    /** Runs decoder on src's bytes copied into this object's input buffer, and copies what it decodes to dst. */
    int decode(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen, DirectDecoder decoder) {
        int n = decoder.decode(input(src, off, len), len, output(maxLen), maxLen);
        return n < 0 ? n : copyOut(dst, dstOff, n);
    }

    /**
     * Checks what a native decoder is given instead of this class's buffers: direct buffers at
     * position 0 (JNA passes a direct buffer as its position's address) holding len and maxLen bytes.
     */
    static void checkDirect(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        if (!src.isDirect() || !dst.isDirect() || src.position() != 0 || dst.position() != 0
                || len < 0 || maxLen < 0 || src.capacity() < len || dst.capacity() < maxLen) {
            throw new IllegalArgumentException("direct buffers at position 0 of at least " + len + " and " + maxLen
                    + " bytes wanted");
        }
    }

    /** Copies the first n decoded bytes to dst; returns n. */
    int copyOut(byte[] dst, int dstOff, int n) {
        out.get(0, dst, dstOff, n);
        return n;
    }

    /** Sessions (buffers and decoder state) lent to one call at a time; kept for the life of the process. */
    static final class Pool<S> {
        private final ConcurrentLinkedQueue<S> idle = new ConcurrentLinkedQueue<>();
        private final Supplier<S> factory;

        Pool(Supplier<S> factory) {
            this.factory = factory;
        }

        /** Makes the first session now, so that a failure to make one shows when the library is bound. */
        Pool<S> primed() {
            idle.offer(factory.get());
            return this;
        }

        int with(ToIntFunction<S> work) {
            S session = idle.poll();
            if (session == null) {
                session = factory.get();
            }
            try {
                return work.applyAsInt(session);
            } finally {
                idle.offer(session);
            }
        }
    }
}
