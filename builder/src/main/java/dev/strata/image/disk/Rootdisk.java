package dev.strata.image.disk;

import dev.strata.image.partition.LittleEndian;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * OpenWrt's "rootdisk": the overlay's data volume is the space after the squashfs in the root
 * partition, from {@code bytes_used} rounded up to 64 KiB. The device's init (overlay-init's
 * st_rootdisk_offset and st_probe, OpenWrt's fstools) formats it at first boot when it starts with
 * {@link #MARKER} or is empty; it needs at least {@link #MIN_DATA_BYTES} there to use it at all.
 */
public final class Rootdisk {
    public static final long ALIGNMENT = 64 * 1024;
    /** Less than this after the squashfs and the init treats the device as having no data volume. */
    public static final long MIN_DATA_BYTES = 1 << 20;
    /** OpenWrt's "format me" marker (jffs2's end-of-filesystem marker), big-endian on disk. */
    public static final byte[] MARKER = {(byte) 0xde, (byte) 0xad, (byte) 0xc0, (byte) 0xde};
    /** The init probes the first 64 KiB; clearing 1 MiB also removes every ext4 and f2fs superblock copy near the start. */
    public static final int CLEARED_BYTES = 1 << 20;
    static final int SQUASHFS_MAGIC = 0x73717368;

    private Rootdisk() {
    }

    /** Where the data volume starts, relative to the start of the squashfs. */
    public static long dataOffset(long bytesUsed) {
        return (bytesUsed + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** The squashfs superblock's bytes_used, or -1 when there is no squashfs at position. */
    public static long bytesUsed(FileChannel ch, long position) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(96);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                return -1;
            }
        }
        byte[] s = b.array();
        if (LittleEndian.u32(s, 0) != SQUASHFS_MAGIC || LittleEndian.u16(s, 28) != 4) {
            return -1;
        }
        long used = LittleEndian.u64(s, 40);
        return used < 96 ? -1 : used;
    }

    /**
     * Marks [position, position + length) as a data volume to format: the marker, then zeros up to
     * {@link #CLEARED_BYTES} (or the end of the region), so no old filesystem is recognised there.
     */
    public static void mark(FileChannel ch, long position, long length) throws IOException {
        int clear = (int) Math.min(CLEARED_BYTES, length);
        byte[] b = new byte[clear];
        System.arraycopy(MARKER, 0, b, 0, Math.min(MARKER.length, clear));
        ByteBuffer buf = ByteBuffer.wrap(b);
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }
}
