package dev.strata.squashfs.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Reads an lzop file as lzop writes it: for each block the stored uncompressed length and
     * the payload (LZO1X data when shorter than the uncompressed length, else stored bytes).
     */
    record StoredBlock(int uncompressedLength, byte[] payload) {
        boolean compressed() {
            return payload.length < uncompressedLength;
        }
    }

    static List<StoredBlock> read(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an lzop file");
        }
        int version = b.getShort() & 0xFFFF;
        b.getShort(); // library version
        if (version >= 0x0940) {
            b.getShort(); // version needed to extract
        }
        b.get(); // method
        if (version >= 0x0940) {
            b.get(); // level
        }
        int flags = b.getInt();
        if ((flags & 0x800) != 0) {
            b.getInt(); // filter
        }
        b.getInt(); // mode
        b.getInt(); // mtime
        if (version >= 0x0940) {
            b.getInt();
        }
        int nameLength = b.get() & 0xFF;
        b.position(b.position() + nameLength + 4);
        if ((flags & 0x40) != 0) {
            int extra = b.getInt();
            b.position(b.position() + extra + 4);
        }
        List<StoredBlock> blocks = new ArrayList<>();
        for (;;) {
            int dstLen = b.getInt();
            if (dstLen == 0) {
                return blocks;
            }
            int srcLen = b.getInt();
            int skip = ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x100) != 0 ? 4 : 0);
            if (srcLen < dstLen) {
                skip += ((flags & 0x2) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0);
            }
            b.position(b.position() + skip);
            byte[] payload = new byte[srcLen];
            b.get(payload);
            blocks.add(new StoredBlock(dstLen, payload));
        }
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
