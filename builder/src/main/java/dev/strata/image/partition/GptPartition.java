package dev.strata.image.partition;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One GPT partition entry (128 bytes).
 *
 * @param number     1-based slot in the entry array (Linux's partition number)
 * @param type       partition type GUID
 * @param unique     unique partition GUID (Linux's PARTUUID)
 * @param firstLba   first sector
 * @param lastLba    last sector, inclusive
 * @param attributes attribute bits (bit 0 required, bit 2 legacy BIOS bootable, ...)
 * @param name       partition name, at most 36 UTF-16 code units (Linux's PARTLABEL)
 */
public record GptPartition(int number, UUID type, UUID unique, long firstLba, long lastLba, long attributes,
                           String name) {
    public static final int ENTRY_SIZE = 128;
    public static final int NAME_UNITS = 36;
    /** EFI System Partition. */
    public static final UUID TYPE_EFI_SYSTEM = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
    /** Linux filesystem data. */
    public static final UUID TYPE_LINUX = UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4");
    /** Microsoft basic data (FAT partitions other than the ESP). */
    public static final UUID TYPE_BASIC_DATA = UUID.fromString("ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
    /** BIOS boot partition (GRUB's core image on a GPT disk). */
    public static final UUID TYPE_BIOS_BOOT = UUID.fromString("21686148-6449-6e6f-744e-656564454649");
    /** Legacy BIOS bootable attribute. */
    public static final long ATTR_LEGACY_BIOS_BOOTABLE = 1L << 2;

    public GptPartition {
        if (number < 1) {
            throw new IllegalArgumentException("GPT partition number " + number + " is below 1");
        }
        if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("GPT partition " + number + " has the all-zero type GUID (an unused slot)");
        }
        if (firstLba < 1 || lastLba < firstLba) {
            throw new IllegalArgumentException("GPT partition " + number + " spans sectors " + firstLba + " to " + lastLba);
        }
        name = name == null ? "" : name;
        if (name.length() > NAME_UNITS) {
            throw new IllegalArgumentException("GPT partition name '" + name + "' is longer than " + NAME_UNITS
                    + " UTF-16 code units");
        }
    }

    public long sectors() {
        return lastLba - firstLba + 1;
    }

    void write(byte[] b, int off) {
        System.arraycopy(Guids.toGpt(type), 0, b, off, 16);
        System.arraycopy(Guids.toGpt(unique), 0, b, off + 16, 16);
        LittleEndian.put64(b, off + 32, firstLba);
        LittleEndian.put64(b, off + 40, lastLba);
        LittleEndian.put64(b, off + 48, attributes);
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(n, 0, b, off + 56, n.length);
    }

    /** The entry in slot number, or null for an unused slot. */
    static GptPartition read(byte[] b, int off, int number) throws PartitionTableException {
        UUID type = Guids.fromGpt(b, off);
        if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
            return null;
        }
        long first = LittleEndian.u64(b, off + 32);
        long last = LittleEndian.u64(b, off + 40);
        int units = 0;
        while (units < NAME_UNITS && LittleEndian.u16(b, off + 56 + 2 * units) != 0) {
            units++;
        }
        String name = new String(b, off + 56, 2 * units, StandardCharsets.UTF_16LE);
        try {
            return new GptPartition(number, type, Guids.fromGpt(b, off + 16), first, last, LittleEndian.u64(b, off + 48),
                    name);
        } catch (IllegalArgumentException e) {
            throw new PartitionTableException("GPT entry " + number + ": " + e.getMessage());
        }
    }
}
