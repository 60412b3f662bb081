package dev.strata.image.disk;

/**
 * GRUB's i386-pc boot.img (grub-core/boot/i386/pc/boot.S), the MBR code that loads core.img, and the
 * fields grub-bios-setup sets when it installs GRUB on a hard disk's MBR with core.img in the gap
 * before the first partition.
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
        putU64(bootCode, KERNEL_SECTOR, coreSector);
        putU64(core, CORE_REST_START, coreSector + 1);
        if (bootCode[DRIVE_CHECK] == JMP_SHORT) {
            bootCode[DRIVE_CHECK] = NOP;
            bootCode[DRIVE_CHECK + 1] = NOP;
        }
    }

    private static void putU64(byte[] b, int at, long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
