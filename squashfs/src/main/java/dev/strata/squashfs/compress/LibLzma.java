package dev.strata.squashfs.compress;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes xz streams with liblzma, the system's shared library (Debian and Ubuntu: liblzma5, which
 * xz-utils and dpkg need, so every such system has it), called through JNA: the library unsquashfs
 * decodes with, faster than Strata's own decoder run by the JVM's quick compiler
 * (docs/BENCHMARKS.md). Reading only: what a block decodes to is fixed by the format, so which decoder
 * ran never shows in what is read; the writer keeps xz-java, whose output does not depend on the
 * host's liblzma version.
 *
 * <p>It is bound in the background ({@link BackgroundBinding}); until then, where it is missing, or
 * with {@code -Dstrata.liblzma=false}, callers decode with Java code. liblzma only ever answers for
 * blocks it decodes whole, within the caller's memory limit and with nothing left over; for any other
 * the Java decoders' verdict (and error message) stands.
 */
final class LibLzma {
    private static final String[] LIBRARY_NAMES = {"liblzma.so.5", "lzma"};
    private static final int LZMA_OK = 0;
    /** The library once bound (BINDING.ifReady(), null until then); -Dstrata.liblzma=false: Java decodes everything. */
    static final BackgroundBinding<LibLzma> BINDING =
            new BackgroundBinding<>("liblzma", "strata.liblzma", LibLzma::load);

    /** Buffers for one thread decoding at a time. */
    private final NativeBlockBuffers.Pool<Session> sessions = new NativeBlockBuffers.Pool<>(Session::new);

    private LibLzma() {
    }

    private static LibLzma load() {
        BackgroundBinding.register(Binding.class, LIBRARY_NAMES);
        LibLzma library = new LibLzma();
        library.sessions.primed();
        return library;
    }

    /**
     * Decodes the one .xz stream that is src into dst; the decoded length, or -1 when liblzma does not
     * decode it whole within maxLen and memoryLimit bytes with nothing left over (the caller then asks
     * its Java decoder, which says why).
     */
    int decode(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen, long memoryLimit) {
        return sessions.with(session -> session.buffers.decode(src, off, len, dst, dstOff, maxLen,
                (in, inLength, out, outLength) -> session.decode(in, inLength, out, outLength, memoryLimit)));
    }

    /** As {@link #decode(byte[], int, int, byte[], int, int, long)}, from src[0, len) into dst[0, maxLen), direct buffers. */
    int decode(ByteBuffer src, int len, ByteBuffer dst, int maxLen, long memoryLimit) {
        NativeBlockBuffers.checkDirect(src, len, dst, maxLen);
        return sessions.with(session -> session.decode(src, len, dst, maxLen, memoryLimit));
    }

    /** Direct buffers the native code reads and writes. */
    private static final class Session {
        /** lzma_stream_buffer_decode's uint64_t memlimit and its two size_t positions, in and out. */
        private final ByteBuffer words = ByteBuffer.allocateDirect(3 * Long.BYTES).order(ByteOrder.nativeOrder());
        private final ByteBuffer inPosition = words.slice(Long.BYTES, Long.BYTES);
        private final ByteBuffer outPosition = words.slice(2 * Long.BYTES, Long.BYTES);
        private final NativeBlockBuffers buffers = new NativeBlockBuffers();

        /** Decodes in[0, len) into out[0, maxLen); the decoded length, or -1. */
        int decode(ByteBuffer in, int len, ByteBuffer out, int maxLen, long memoryLimit) {
            words.putLong(0, memoryLimit).putLong(Long.BYTES, 0).putLong(2 * Long.BYTES, 0);
            int result = Binding.lzma_stream_buffer_decode(words, 0, null, in, inPosition, len, out, outPosition, maxLen);
            long decoded = words.getLong(2 * Long.BYTES);
            if (result != LZMA_OK || words.getLong(Long.BYTES) != len || decoded < 0 || decoded > maxLen) {
                return -1;
            }
            return (int) decoded;
        }
    }

    /** lzma/container.h's function, bound directly. */
    static final class Binding {
        private Binding() {
        }

        /** memlimit, in_pos and out_pos as direct buffers of one word each; the size_t sizes as longs. */
        static native int lzma_stream_buffer_decode(ByteBuffer memlimit, int flags, Pointer allocator, ByteBuffer in,
                                                    ByteBuffer inPosition, long inSize, ByteBuffer out,
                                                    ByteBuffer outPosition, long outSize);
    }
}
