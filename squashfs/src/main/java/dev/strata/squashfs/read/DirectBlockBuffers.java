package dev.strata.squashfs.read;

import java.nio.ByteBuffer;

/**
 * One thread's buffers for streaming data blocks out of an image ({@link BlockReader#streamedData}):
 * direct buffers for a block's stored and decoded bytes, which the image channel reads into, native
 * decoders work on and an output channel writes from without copying, and arrays for decoders that
 * work on arrays. Grown to the largest block size asked for; each buffer is returned cleared.
 */
final class DirectBlockBuffers {
    private static final ThreadLocal<DirectBlockBuffers> OF_THREAD = ThreadLocal.withInitial(DirectBlockBuffers::new);

    private ByteBuffer raw = ByteBuffer.allocateDirect(0);
    private ByteBuffer out = ByteBuffer.allocateDirect(0);
    /** Made when first needed: with a native decoder, never. */
    private byte[] heapRaw = new byte[0];
    private byte[] heapOut = new byte[0];

    private DirectBlockBuffers() {
    }

    /** This thread's buffers, each of at least blockSize bytes. */
    static DirectBlockBuffers ofThisThread(int blockSize) {
        DirectBlockBuffers buffers = OF_THREAD.get();
        if (buffers.out.capacity() < blockSize) {
            buffers.raw = ByteBuffer.allocateDirect(blockSize);
            buffers.out = ByteBuffer.allocateDirect(blockSize);
        }
        return buffers;
    }

    ByteBuffer raw() {
        return raw.clear();
    }

    ByteBuffer out() {
        return out.clear();
    }

    byte[] heapRaw() {
        if (heapRaw.length < raw.capacity()) {
            heapRaw = new byte[raw.capacity()];
        }
        return heapRaw;
    }

    byte[] heapOut() {
        if (heapOut.length < out.capacity()) {
            heapOut = new byte[out.capacity()];
        }
        return heapOut;
    }
}
