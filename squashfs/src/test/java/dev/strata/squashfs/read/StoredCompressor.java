package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.CorruptBlockException;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip "compressor" that never compresses, so every block the writer makes is stored as is: images
 * whose tables can be found and patched byte by byte. It decompresses real zlib blocks, so it also
 * reads images with some compressed blocks in them.
 */
final class StoredCompressor implements Compressor {
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
        return null;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen)
            throws CorruptBlockException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(src, off, len);
            int n = inflater.inflate(dst, dstOff, maxLen);
            if (!inflater.finished()) {
                throw new CorruptBlockException("zlib stream does not end within " + maxLen + " bytes");
            }
            return n;
        } catch (DataFormatException e) {
            throw new CorruptBlockException("bad zlib stream: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    @Override
    public String describe() {
        return "gzip (stored)";
    }
}
