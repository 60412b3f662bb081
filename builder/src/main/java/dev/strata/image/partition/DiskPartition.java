package dev.strata.image.partition;

/**
 * A partition as found on a disk, whatever the table.
 *
 * @param number   Linux's partition number
 * @param offset   first byte on the disk
 * @param size     length in bytes
 * @param type     "0x83" for MBR, the type GUID for GPT
 * @param partuuid what Linux shows as PARTUUID
 * @param name     the GPT name (PARTLABEL), empty for MBR
 * @param bootable MBR active flag or GPT legacy-BIOS-bootable attribute
 */
public record DiskPartition(int number, long offset, long size, String type, String partuuid, String name,
                            boolean bootable) {
    public long end() {
        return offset + size;
    }
}
