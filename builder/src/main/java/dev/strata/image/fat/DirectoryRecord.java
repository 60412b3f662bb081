package dev.strata.image.fat;

import dev.strata.image.partition.LittleEndian;

/**
 * A 32-byte short directory entry.
 *
 * @param name         the 8.3 name
 * @param attributes   {@link #ATTR_DIRECTORY}, {@link #ATTR_ARCHIVE}, {@link #ATTR_VOLUME_ID}, ...
 * @param caseFlags    Windows NT / Linux lower-case flags for base (0x08) and extension (0x10)
 * @param created      creation date and time
 * @param accessDate   last access date
 * @param modified     last write date and time
 * @param firstCluster first cluster of the content, 0 for none
 * @param size         file size in bytes (0 for directories)
 */
public record DirectoryRecord(ShortName name, int attributes, int caseFlags, FatTimestamp created, int accessDate,
                              FatTimestamp modified, long firstCluster, long size) {
    public static final int SIZE = 32;
    public static final int ATTR_READ_ONLY = 0x01;
    public static final int ATTR_HIDDEN = 0x02;
    public static final int ATTR_SYSTEM = 0x04;
    public static final int ATTR_VOLUME_ID = 0x08;
    public static final int ATTR_DIRECTORY = 0x10;
    public static final int ATTR_ARCHIVE = 0x20;
    public static final int ATTR_LONG_NAME = 0x0f;
    static final int DELETED = 0xe5;

    public boolean isDirectory() {
        return (attributes & ATTR_DIRECTORY) != 0;
    }

    public boolean isVolumeLabel() {
        return (attributes & (ATTR_VOLUME_ID | ATTR_DIRECTORY)) == ATTR_VOLUME_ID;
    }

    public void write(byte[] b, int off) {
        System.arraycopy(name.bytes(), 0, b, off, 11);
        b[off + 11] = (byte) attributes;
        b[off + 12] = (byte) caseFlags;
        b[off + 13] = 0; // creation time, tenths of a second
        LittleEndian.put16(b, off + 14, created.time());
        LittleEndian.put16(b, off + 16, created.date());
        LittleEndian.put16(b, off + 18, accessDate);
        LittleEndian.put16(b, off + 20, (int) (firstCluster >>> 16));
        LittleEndian.put16(b, off + 22, modified.time());
        LittleEndian.put16(b, off + 24, modified.date());
        LittleEndian.put16(b, off + 26, (int) (firstCluster & 0xffff));
        LittleEndian.put32(b, off + 28, size);
    }

    public static DirectoryRecord read(byte[] b, int off, FatType type) {
        byte[] n = new byte[11];
        System.arraycopy(b, off, n, 0, 11);
        long cluster = LittleEndian.u16(b, off + 26);
        if (type == FatType.FAT32) {
            cluster |= (long) LittleEndian.u16(b, off + 20) << 16;
        }
        return new DirectoryRecord(new ShortName(n), b[off + 11] & 0xff, b[off + 12] & 0xff,
                new FatTimestamp(LittleEndian.u16(b, off + 16), LittleEndian.u16(b, off + 14)),
                LittleEndian.u16(b, off + 18),
                new FatTimestamp(LittleEndian.u16(b, off + 24), LittleEndian.u16(b, off + 22)), cluster,
                LittleEndian.u32(b, off + 28));
    }
}
