package dev.strata.image.disk;

import dev.strata.image.partition.LittleEndian;

/**
 * GRUB's i386-pc boot.img (grub-core/boot/i386/pc/boot.S), the MBR code that loads core.img, and the
 * fields of it and of core.img that grub-bios-setup sets when it installs GRUB on a hard disk with
 * core.img before the first partition (after the MBR, or in a GPT disk's BIOS boot partition).
 */
public final class GrubBootSector {
    /** boot.img starts with a short jump over the BIOS parameter block to 0x65. */
    private static final byte[] START = {(byte) 0xEB, 0x63};
    /** Where boot.img keeps the disk sector of core.img's first sector (u64, little-endian). */
    static final int KERNEL_SECTOR = 0x5c;
    /**
     * A short jump over the code that mends a boot drive number some BIOSes pass wrong; grub-bios-setup
     * replaces it by two NOPs on a hard disk, so the mending runs.
     */
    static final int DRIVE_CHECK = 0x66;
    private static final byte JMP_SHORT = (byte) 0xEB;
    /**
     * core.img's first sector (diskboot.img) ends in a list of where the rest of core.img lies: the
     * first entry's start sector (u64) is here; grub-mkimage writes 2, the sector after 1.
     */
    static final int CORE_REST_START = 0x200 - 12;
    private static final byte NOP = (byte) 0x90;

    private GrubBootSector() {
    }

    /** Whether bootCode (the MBR's first 440 bytes) is GRUB's boot.img. */
    public static boolean isGrub(byte[] bootCode) {
        return bootCode.length > DRIVE_CHECK + 1 && bootCode[0] == START[0] && bootCode[1] == START[1];
    }

    /**
     * Installs GRUB for core.img at coreSector, as grub-bios-setup does: boot.img pointed at core.img's
     * first sector, its drive check enabled, and core.img's first sector pointed at the rest.
     */
    public static void install(byte[] bootCode, byte[] core, long coreSector) {
        if (!isGrub(bootCode)) {
            throw new IllegalArgumentException("not GRUB's boot.img");
        }
        if (core.length < 0x200) {
            throw new IllegalArgumentException("a GRUB core image is at least one sector");
        }
        LittleEndian.put64(bootCode, KERNEL_SECTOR, coreSector);
        LittleEndian.put64(core, CORE_REST_START, coreSector + 1);
        if (bootCode[DRIVE_CHECK] == JMP_SHORT) {
            bootCode[DRIVE_CHECK] = NOP;
            bootCode[DRIVE_CHECK + 1] = NOP;
        }
    }
}
