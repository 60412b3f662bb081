package dev.strata.overlay.testsupport;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.Deflater;

/** Minimal zlib compressor so these tests do not depend on the compressor package. */
public final class TestGzip implements Compressor {
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
        Deflater d = new Deflater(6);
        d.setInput(src, off, len);
        d.finish();
        byte[] out = new byte[len];
        int n = 0;
        while (!d.finished() && n < len) {
            n += d.deflate(out, n, len - n);
        }
        boolean ok = d.finished() && n < len;
        d.end();
        return ok ? Arrays.copyOf(out, n) : null;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
        return "gzip";
    }
}
