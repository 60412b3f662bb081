package dev.strata.image;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * TEMPORARY: stands in for dev.strata.squashfs.compress.Compressors until that class lands. Calls it
 * when it is on the class path; otherwise offers plain gzip only. Delete this class and call
 * Compressors.create directly once it exists.
 */
final class CompressorsShim {
    private CompressorsShim() {
    }

    static Compressor create(CompressorId id, List<String> xOptions, int blockSize) {
        try {
            Class<?> real = Class.forName("dev.strata.squashfs.compress.Compressors");
            Method create = real.getMethod("create", CompressorId.class, List.class, int.class);
            return (Compressor) create.invoke(null, id, xOptions, blockSize);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            if (id != CompressorId.GZIP || !xOptions.isEmpty()) {
                throw new IllegalArgumentException("compressor " + id.mksquashfsName()
                        + (xOptions.isEmpty() ? "" : " with " + String.join(" ", xOptions))
                        + " is not available in this build yet; use -comp gzip without -X options");
            }
            return new PlainGzip();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static final class PlainGzip implements Compressor {
        @Override
        public CompressorId id() {
            return CompressorId.GZIP;
        }

        @Override
        public Optional<byte[]> optionsBlock() {
            return Optional.empty();
        }

        @Override
        public byte[] compress(byte[] src, int off, int len) {
            Deflater d = new Deflater(9);
            try {
                d.setInput(src, off, len);
                d.finish();
                byte[] out = new byte[len];
                int n = 0;
                while (!d.finished() && n < len) {
                    n += d.deflate(out, n, len - n);
                }
                return d.finished() && n < len ? java.util.Arrays.copyOf(out, n) : null;
            } finally {
                d.end();
            }
        }

        @Override
        public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) {
            throw new UnsupportedOperationException("decompression is not part of the stand-in gzip");
        }

        @Override
        public String describe() {
            return "gzip (level 9)";
        }
    }
}
