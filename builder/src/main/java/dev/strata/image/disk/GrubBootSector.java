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
    private static final byte NOP = (byte) 0x90;

    private GrubBootSector() {
    }

    /** Whether bootCode (the MBR's first 440 bytes) is GRUB's boot.img. */
    public static boolean isGrub(byte[] bootCode) {
        return bootCode.length > DRIVE_CHECK + 1 && bootCode[0] == START[0] && bootCode[1] == START[1];
    }

    /** Points GRUB's boot code at core.img's first sector and enables its drive check, as grub-bios-setup does. */
    public static void installFor(byte[] bootCode, long coreSector) {
        if (!isGrub(bootCode)) {
            throw new IllegalArgumentException("not GRUB's boot.img");
        }
        for (int i = 0; i < Long.BYTES; i++) {
            bootCode[KERNEL_SECTOR + i] = (byte) (coreSector >>> (8 * i));
        }
        if (bootCode[DRIVE_CHECK] == JMP_SHORT) {
            bootCode[DRIVE_CHECK] = NOP;
            bootCode[DRIVE_CHECK + 1] = NOP;
        }
    }
}
