package dev.strata.squashfs.compress;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import org.tukaani.xz.LZMAInputStream;

/**
 * lzma (id 2), read only: mainline kernels never supported it, so Strata does not write it. Each
 * block is a .lzma ("LZMA alone") stream: 5 property bytes, the uncompressed size as u64 LE, then
 * the LZMA data, as squashfs-tools writes it.
 */
public final class LzmaDecoder implements Compressor {
    static final String NOT_FOR_WRITING =
            "lzma (id 2) is not supported by mainline Linux kernels and cannot be written; use xz";
    private static final int HEADER_SIZE = 13;

    private final int memoryLimitKiB;

    public LzmaDecoder(int blockSize) {
        Compressors.checkBlockSize(blockSize);
        // mksquashfs uses the block size as dictionary; allow for lc/lp probability tables on top.
        this.memoryLimitKiB = Math.max(blockSize, 8192) / 1024 + 4096;
    }

    @Override
    public CompressorId id() {
        return CompressorId.LZMA;
    }

    @Override
    public Optional<byte[]> optionsBlock() {
        return Optional.empty();
    }

    /** @throws UnsupportedOperationException always */
    @Override
    public byte[] compress(byte[] src, int off, int len) {
        throw new UnsupportedOperationException(NOT_FOR_WRITING);
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxLen) throws CorruptBlockException {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        java.util.Objects.checkFromIndexSize(dstOff, maxLen, dst.length);
        if (len < HEADER_SIZE) {
            throw new CorruptBlockException("lzma: block of " + len + " bytes is shorter than the 13-byte header");
        }
        long size = 0;
        for (int i = 7; i >= 0; i--) {
            size = (size << 8) | (src[off + 5 + i] & 0xFF);
        }
        if (size < 0 || size > maxLen) {
            throw new CorruptBlockException("lzma: header declares " + Long.toUnsignedString(size)
                    + " bytes, more than the " + maxLen + " allowed");
        }
        int want = (int) size;
        int n = 0;
        try (LZMAInputStream in = new LZMAInputStream(new ByteArrayInputStream(src, off, len), memoryLimitKiB)) {
            while (n < want) {
                int k = in.read(dst, dstOff + n, want - n);
                if (k < 0) {
                    break;
                }
                n += k;
            }
        } catch (EOFException e) {
            throw new CorruptBlockException("lzma: block of " + len + " bytes ends inside its LZMA data", e);
        } catch (IOException | RuntimeException e) {
            throw new CorruptBlockException("lzma: " + e.getMessage(), e);
        }
        if (n != want) {
            throw new CorruptBlockException("lzma: decoded " + n + " bytes, header declares " + want);
        }
        return n;
    }

    @Override
    public String describe() {
        return "lzma (read only)";
    }
}
