package dev.strata.image.fat;

import dev.strata.image.partition.LittleEndian;
import java.nio.charset.StandardCharsets;

/**
 * Sector 0 of a FAT volume: the BIOS parameter block and the extended boot record, for FAT16 and
 * FAT32, read and written from one declaration.
 *
 * @param geometry      sizes and positions
 * @param hiddenSectors sectors before the volume on its disk (the partition's first LBA)
 * @param volumeId      the serial number ({@code UUID=XXXX-XXXX} in blkid)
 * @param label         11 characters, space padded ("NO NAME    " when there is none)
 */
public record FatBootSector(FatGeometry geometry, long hiddenSectors, int volumeId, String label) {
    /** What Microsoft's specification advises for compatibility with old drivers; nothing checks it today. */
    static final String OEM_NAME = "MSWIN4.1";
    static final int MEDIA_FIXED = 0xf8;
    static final int FSINFO_SECTOR = 1;
    static final int BACKUP_BOOT_SECTOR = 6;
    static final String NO_NAME = "NO NAME    ";

    public byte[] encode() {
        FatGeometry g = geometry;
        boolean fat32 = g.type() == FatType.FAT32;
        byte[] s = new byte[FatGeometry.SECTOR];
        s[0] = (byte) 0xeb;
        s[1] = (byte) (fat32 ? 0x58 : 0x3c);
        s[2] = (byte) 0x90;
        ascii(s, 3, OEM_NAME, 8);
        LittleEndian.put16(s, 11, FatGeometry.SECTOR);
        s[13] = (byte) g.sectorsPerCluster();
        LittleEndian.put16(s, 14, g.reservedSectors());
        s[16] = FatGeometry.FATS;
        LittleEndian.put16(s, 17, g.rootEntries());
        LittleEndian.put16(s, 19, !fat32 && g.totalSectors() < 0x10000 ? (int) g.totalSectors() : 0);
        s[21] = (byte) MEDIA_FIXED;
        LittleEndian.put16(s, 22, fat32 ? 0 : (int) g.fatSectors());
        LittleEndian.put16(s, 24, 63);
        LittleEndian.put16(s, 26, 255);
        LittleEndian.put32(s, 28, hiddenSectors);
        LittleEndian.put32(s, 32, !fat32 && g.totalSectors() < 0x10000 ? 0 : g.totalSectors());
        int ext;
        if (fat32) {
            LittleEndian.put32(s, 36, g.fatSectors());
            LittleEndian.put16(s, 40, 0); // both FATs mirrored
            LittleEndian.put16(s, 42, 0); // version 0.0
            LittleEndian.put32(s, 44, FatWriter.FAT32_ROOT_CLUSTER);
            LittleEndian.put16(s, 48, FSINFO_SECTOR);
            LittleEndian.put16(s, 50, BACKUP_BOOT_SECTOR);
            ext = 64;
        } else {
            ext = 36;
        }
        s[ext] = (byte) 0x80; // drive number: first hard disk
        s[ext + 2] = 0x29; // extended boot signature: the next three fields are valid
        LittleEndian.put32(s, ext + 3, Integer.toUnsignedLong(volumeId));
        ascii(s, ext + 7, label == null ? NO_NAME : label, 11);
        ascii(s, ext + 18, g.type().bootSectorLabel(), 8);
        // boot code: "int 0x18" (no bootable system here, try the next device) at the jump target
        int code = ext + 26;
        s[code] = (byte) 0xcd;
        s[code + 1] = 0x18;
        s[510] = 0x55;
        s[511] = (byte) 0xaa;
        return s;
    }

    private static void ascii(byte[] b, int off, String text, int width) {
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < width; i++) {
            b[off + i] = i < t.length ? t[i] : (byte) ' ';
        }
    }

    /**
     * Reads a boot sector, checking every field a reader depends on, and derives the geometry the
     * way Linux does (the type from the cluster count).
     */
    public static FatBootSector decode(byte[] s, long volumeBytes) throws FatException {
        if (s.length < FatGeometry.SECTOR || (s[510] & 0xff) != 0x55 || (s[511] & 0xff) != 0xaa) {
            throw new FatException("no FAT boot sector (no 0x55aa signature)");
        }
        int bytesPerSector = LittleEndian.u16(s, 11);
        if (bytesPerSector != FatGeometry.SECTOR) {
            throw new FatException("FAT volume with " + bytesPerSector + "-byte sectors; only 512 is read");
        }
        int spc = LittleEndian.u8(s, 13);
        if (spc == 0 || Integer.bitCount(spc) != 1) {
            throw new FatException("FAT sectors per cluster " + spc + " is not a power of two");
        }
        int reserved = LittleEndian.u16(s, 14);
        int fats = LittleEndian.u8(s, 16);
        int rootEntries = LittleEndian.u16(s, 17);
        long total = LittleEndian.u16(s, 19);
        if (total == 0) {
            total = LittleEndian.u32(s, 32);
        }
        long fatSectors = LittleEndian.u16(s, 22);
        boolean fat32Layout = fatSectors == 0;
        if (fat32Layout) {
            fatSectors = LittleEndian.u32(s, 36);
        }
        if (reserved == 0 || fats != FatGeometry.FATS || fatSectors == 0 || total == 0) {
            throw new FatException("FAT boot sector: reserved " + reserved + ", FATs " + fats + ", FAT sectors "
                    + fatSectors + ", total sectors " + total + " is not a volume this reader knows");
        }
        if (total * FatGeometry.SECTOR > volumeBytes) {
            throw new FatException("FAT volume claims " + total + " sectors but its partition holds only "
                    + volumeBytes / FatGeometry.SECTOR);
        }
        long rootSectors = ((long) rootEntries * 32 + FatGeometry.SECTOR - 1) / FatGeometry.SECTOR;
        long firstData = reserved + fats * fatSectors + rootSectors;
        if (firstData >= total) {
            throw new FatException("FAT volume has no data region (first data sector " + firstData + " of " + total + ")");
        }
        long clusters = (total - firstData) / spc;
        FatType type = clusters >= FatType.FAT32.minClusters() ? FatType.FAT32 : FatType.FAT16;
        if (clusters < FatType.FAT16.minClusters()) {
            throw new FatException("FAT12 volume (" + clusters + " clusters); only FAT16 and FAT32 are read");
        }
        if (type == FatType.FAT32 != fat32Layout) {
            throw new FatException("FAT volume with " + clusters + " clusters has a "
                    + (fat32Layout ? "FAT32" : "FAT16") + " boot sector");
        }
        if (fatSectors * FatGeometry.SECTOR < (clusters + 2) * type.entryBytes()) {
            throw new FatException("FAT of " + fatSectors + " sectors is too small for " + clusters + " clusters");
        }
        int ext = type == FatType.FAT32 ? 64 : 36;
        String label = new String(s, ext + 7, 11, StandardCharsets.ISO_8859_1);
        FatGeometry g = new FatGeometry(type, total, spc, reserved, fatSectors, rootEntries, clusters);
        return new FatBootSector(g, LittleEndian.u32(s, 28), (int) LittleEndian.u32(s, ext + 3), label);
    }

    /** FAT32: the first cluster of the root directory. */
    public static long rootCluster(byte[] s) {
        return LittleEndian.u32(s, 44);
    }
}
