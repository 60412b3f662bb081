package dev.strata.image.partition;

/** Little-endian fields in on-disk structures (partition tables, FAT, squashfs superblocks). */
public final class LittleEndian {
    private LittleEndian() {
    }

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    public static long u32(byte[] b, int off) {
        return ((long) (b[off] & 0xff)) | (long) (b[off + 1] & 0xff) << 8 | (long) (b[off + 2] & 0xff) << 16
                | (long) (b[off + 3] & 0xff) << 24;
    }

    public static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static void put64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
