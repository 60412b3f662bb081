package dev.strata.squashfs.compress;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Inflates zlib streams with libdeflate, the system's shared library (Debian and Ubuntu: libdeflate0),
 * called through JNA: on squashfs blocks it inflates in 0.4 of zlib's time (docs/BENCHMARKS.md), and
 * gzip images are read mostly inflating. Reading only: what a block inflates to is fixed by the
 * format, so which library ran never shows in what is read; the writer keeps zlib, whose compressed
 * bytes are mksquashfs's.
 *
 * <p>It is bound in the background ({@link BackgroundBinding}); until then, where it is missing, or
 * with {@code -Dstrata.libdeflate=false}, callers inflate with java.util.zip. libdeflate only ever
 * answers for blocks it inflates whole without complaint; for any other the caller asks zlib, whose
 * verdict (and error message) stands.
 */
final class LibDeflate {
    /** The soname first: it needs no development symlink (libdeflate.so); then JNA's own search. */
    private static final String[] LIBRARY_NAMES = {"libdeflate.so.0", "deflate"};
    private static final int LIBDEFLATE_SUCCESS = 0;
    /** The library once bound (BINDING.ifReady(), null until then); -Dstrata.libdeflate=false: zlib inflates everything. */
    static final BackgroundBinding<LibDeflate> BINDING =
            new BackgroundBinding<>("libdeflate", "strata.libdeflate", LibDeflate::load);

    /** Decompressors with their buffers, one per thread inflating at a time. */
    private final NativeBlockBuffers.Pool<Session> sessions = new NativeBlockBuffers.Pool<>(Session::new);

    private LibDeflate() {
    }

    private static LibDeflate load() {
        BackgroundBinding.register(Binding.class, LIBRARY_NAMES);
        LibDeflate library = new LibDeflate();
        library.sessions.primed();
        return library;
    }

    /**
     * Inflates one zlib stream of src into dst; the inflated length, or -1 when libdeflate does not
     * inflate it whole within maxLen with nothing left over (the caller then asks zlib, which says why).
     */
    int inflate(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) {
        return sessions.with(session -> session.buffers.decode(src, off, len, dst, dstOff, maxLen, session::inflate));
    }

    /** As {@link #inflate(byte[], int, int, byte[], int, int)}, from src[0, len) into dst[0, maxLen), direct buffers. */
    int inflate(ByteBuffer src, int len, ByteBuffer dst, int maxLen) {
        NativeBlockBuffers.checkDirect(src, len, dst, maxLen);
        return sessions.with(session -> session.inflate(src, len, dst, maxLen));
    }

    /** A libdeflate decompressor (not thread-safe; never freed: pooled for the process's life) and its buffers. */
    private static final class Session {
        private final Pointer decompressor = Binding.libdeflate_alloc_decompressor();
        /** Two size_t results: the bytes of input used, then the bytes inflated. */
        private final ByteBuffer sizes = ByteBuffer.allocateDirect(2 * Long.BYTES).order(ByteOrder.nativeOrder());
        private final ByteBuffer inflatedSize = sizes.slice(Long.BYTES, Long.BYTES);
        private final NativeBlockBuffers buffers = new NativeBlockBuffers();

        Session() {
            if (decompressor == null) {
                throw new OutOfMemoryError("libdeflate_alloc_decompressor failed");
            }
        }

        /** Inflates in[0, len) into out[0, maxLen); the inflated length, or -1. */
        int inflate(ByteBuffer in, int len, ByteBuffer out, int maxLen) {
            int result = Binding.libdeflate_zlib_decompress_ex(decompressor, in, len, out, maxLen, sizes, inflatedSize);
            long inflated = sizes.getLong(Long.BYTES);
            if (result != LIBDEFLATE_SUCCESS || sizes.getLong(0) != len || inflated < 0 || inflated > maxLen) {
                return -1;
            }
            return (int) inflated;
        }
    }

    /** libdeflate.h's functions, bound directly (JNA direct mapping: no per-call reflection). */
    static final class Binding {
        private Binding() {
        }

        static native Pointer libdeflate_alloc_decompressor();

        /** in, out and the two size_t* results as direct buffers; the size_t arguments as longs. */
        static native int libdeflate_zlib_decompress_ex(Pointer decompressor, ByteBuffer in, long inBytes,
                                                        ByteBuffer out, long outBytesAvailable,
                                                        ByteBuffer actualInBytes, ByteBuffer actualOutBytes);
    }
}
