package dev.strata.squashfs.compress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Adler32;

/**
 * Writes the lzop file format around LZO1X blocks, so the real liblzo (through the lzop tool)
 * can check what our encoder makes: magic, header with an Adler-32, then per block the
 * uncompressed and compressed sizes, the Adler-32 of the uncompressed bytes and the data.
 */
final class LzopFile {
    private static final byte[] MAGIC = {(byte) 0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'};
    /** lzop stores 256 KiB per block. */
    static final int BLOCK_SIZE = 256 * 1024;
    private static final int METHOD_LZO1X_999 = 3;
    private static final int F_ADLER32_D = 1;

    private LzopFile() {
    }

    /** One block: the original bytes and their LZO1X encoding (or null to store them). */
    record Block(byte[] data, byte[] compressed) {
    }

    static byte[] write(String name, List<Block> blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        put16(h, 0x1040); // lzop version
        put16(h, 0x20a0); // liblzo version
        put16(h, 0x0940); // version needed to extract
        h.write(METHOD_LZO1X_999);
        h.write(9); // level
        put32(h, F_ADLER32_D);
        put32(h, 0100644); // mode
        put32(h, 0); // mtime low
        put32(h, 0); // mtime high
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        h.write(n.length);
        h.writeBytes(n);
        byte[] header = h.toByteArray();
        out.writeBytes(header);
        put32(out, adler(header));
        for (Block b : blocks) {
            byte[] payload = b.compressed() != null && b.compressed().length < b.data().length ? b.compressed() : b.data();
            put32(out, b.data().length);
            put32(out, payload.length);
            put32(out, adler(b.data()));
            out.writeBytes(payload);
        }
        put32(out, 0);
        return out.toByteArray();
    }

    private static int adler(byte[] b) {
        Adler32 a = new Adler32();
        a.update(b);
        return (int) a.getValue();
    }

    private static void put16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    private static void put32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
