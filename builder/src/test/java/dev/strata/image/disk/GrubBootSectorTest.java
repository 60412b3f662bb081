package dev.strata.image.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * boot.img and core.img patched as grub-bios-setup patches them for a hard disk: boot.img's pointer to
 * the core and its drive check, core.img's pointer to its own rest; nothing else.
 */
class GrubBootSectorTest {
    static final Path BOOT_IMG = Path.of("/usr/lib/grub/i386-pc/boot.img");

    @Test
    void debiansBootImgGetsTheCoreSectorAndTheDriveCheckAndNothingElse() throws IOException {
        assumeTrue(Files.isRegularFile(BOOT_IMG), "skipped: no " + BOOT_IMG + " (Debian package grub-pc-bin)");
        byte[] original = Arrays.copyOf(Files.readAllBytes(BOOT_IMG), 440);
        assertTrue(GrubBootSector.isGrub(original));
        byte[] patched = original.clone();
        byte[] core = new byte[1024];
        core[GrubBootSector.CORE_REST_START] = 2; // what grub-mkimage writes: the sector after 1
        GrubBootSector.install(patched, core, 0x0102030405L);
        assertArrayEquals(new byte[] {5, 4, 3, 2, 1, 0, 0, 0},
                Arrays.copyOfRange(patched, GrubBootSector.KERNEL_SECTOR, GrubBootSector.KERNEL_SECTOR + 8));
        assertArrayEquals(new byte[] {6, 4, 3, 2, 1, 0, 0, 0},
                Arrays.copyOfRange(core, GrubBootSector.CORE_REST_START, GrubBootSector.CORE_REST_START + 8),
                "core.img's rest starts in the sector after its first");
        assertEquals((byte) 0xEB, original[GrubBootSector.DRIVE_CHECK], "the template jumps over the check");
        assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0x90},
                Arrays.copyOfRange(patched, GrubBootSector.DRIVE_CHECK, GrubBootSector.DRIVE_CHECK + 2));
        for (int i = 0; i < patched.length; i++) {
            boolean field = i >= GrubBootSector.KERNEL_SECTOR && i < GrubBootSector.KERNEL_SECTOR + 8
                    || i >= GrubBootSector.DRIVE_CHECK && i < GrubBootSector.DRIVE_CHECK + 2;
            if (!field) {
                assertEquals(original[i], patched[i], "byte " + i + " is boot.img's own");
            }
        }
    }

    @Test
    void otherBootCodeIsNotTakenForGrubs() {
        byte[] syslinuxLike = new byte[440];
        syslinuxLike[0] = 0x33; // xor ax, ax: how SYSLINUX's mbr.bin starts
        assertFalse(GrubBootSector.isGrub(syslinuxLike));
        assertThrows(IllegalArgumentException.class, () -> GrubBootSector.install(syslinuxLike, new byte[512], 1));
    }
}
