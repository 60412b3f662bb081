package dev.strata.image.partition;

/**
 * One of the four primary entries of an MBR partition table (16 bytes at 446 + 16 * (number - 1)).
 *
 * @param number   1 to 4
 * @param bootable the active flag (0x80), which some firmware (BIOS boot code, OpenELEC) looks for
 * @param type     the partition type byte (0x0c FAT32 LBA, 0x83 Linux, 0xee GPT protective, ...)
 * @param firstLba first sector (512 bytes)
 * @param sectors  length in sectors
 */
public record MbrPartition(int number, boolean bootable, int type, long firstLba, long sectors) {
    public static final int ENTRY_SIZE = 16;
    static final int FIRST_ENTRY = 446;

    public MbrPartition {
        if (number < 1 || number > 4) {
            throw new IllegalArgumentException("MBR partition number " + number + " is not 1 to 4");
        }
        if (type < 1 || type > 0xff) {
            throw new IllegalArgumentException("MBR partition type " + type + " is not 0x01 to 0xff");
        }
        if (firstLba < 1 || firstLba > 0xffff_ffffL || sectors < 1 || sectors > 0xffff_ffffL
                || firstLba + sectors - 1 > 0xffff_ffffL) {
            throw new IllegalArgumentException("MBR partition " + number + " (sectors " + firstLba + " + " + sectors
                    + ") does not fit the MBR's 32-bit sector numbers (2 TiB): use GPT");
        }
    }

    public long lastLba() {
        return firstLba + sectors - 1;
    }

    void write(byte[] sector) {
        int off = FIRST_ENTRY + (number - 1) * ENTRY_SIZE;
        sector[off] = (byte) (bootable ? 0x80 : 0);
        chs(sector, off + 1, firstLba);
        sector[off + 4] = (byte) type;
        chs(sector, off + 5, lastLba());
        LittleEndian.put32(sector, off + 8, firstLba);
        LittleEndian.put32(sector, off + 12, sectors);
    }

    /** The entry at slot number of sector, or null when the slot is unused (type 0). */
    static MbrPartition read(byte[] sector, int number) throws PartitionTableException {
        int off = FIRST_ENTRY + (number - 1) * ENTRY_SIZE;
        int status = sector[off] & 0xff;
        int type = sector[off + 4] & 0xff;
        if (type == 0) {
            return null;
        }
        if (status != 0 && status != 0x80) {
            throw new PartitionTableException("MBR entry " + number + " has status byte 0x"
                    + Integer.toHexString(status) + " (only 0x00 and 0x80 are valid)");
        }
        long first = LittleEndian.u32(sector, off + 8);
        long count = LittleEndian.u32(sector, off + 12);
        if (first == 0 || count == 0) {
            throw new PartitionTableException("MBR entry " + number + " has type 0x" + Integer.toHexString(type)
                    + " but starts at sector " + first + " with " + count + " sectors");
        }
        return new MbrPartition(number, status == 0x80, type, first, Math.min(count, 0xffff_ffffL - first + 1));
    }

    /**
     * Cylinder/head/sector address in the usual 255-head, 63-sector geometry; sectors beyond what
     * CHS can address get the 1023/254/63 maximum, as fdisk and parted write them.
     */
    static void chs(byte[] b, int off, long lba) {
        long c = lba / (255 * 63);
        long h = (lba / 63) % 255;
        long s = lba % 63 + 1;
        if (c > 1023) {
            c = 1023;
            h = 254;
            s = 63;
        }
        b[off] = (byte) h;
        b[off + 1] = (byte) (s | ((c >> 2) & 0xc0));
        b[off + 2] = (byte) c;
    }
}
