package dev.strata.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to a profile build: one clear line each, and nothing left in the output directory. */
class DeviceImageErrorsTest {
    @TempDir
    Path dir;

    static final Path EXAMPLES = ProfilesTest.repository().resolve("examples");

    /** A spec in dir from an example, its relative paths made absolute, then each {from, to} replaced. */
    Path spec(String example, String... replacements) throws IOException {
        String text = Files.readString(EXAMPLES.resolve(example).resolve("strata.yaml")).replace("../", EXAMPLES + "/");
        for (int i = 0; i < replacements.length; i += 2) {
            assertTrue(text.contains(replacements[i]), replacements[i]);
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, text);
        return spec;
    }

    CliRun build(Path spec) {
        return CliRun.run("build", spec.toString(), "-o" + dir.resolve("out"), "-q");
    }

    String error(Path spec) throws IOException {
        CliRun r = build(spec);
        assertEquals(1, r.status, r.toString());
        assertEquals(1, r.err.lines().count(), r.err);
        assertNothingLeft();
        return r.err.strip().replace(dir + "/", "");
    }

    void assertNothingLeft() throws IOException {
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(List.of(), s.toList(), "a failed build left files behind");
            }
        }
    }

    @Test
    void aRootPartitionTooSmallSaysByHowMuchAndWhatIsLargest() throws Exception {
        String e = error(spec("openwrt-x86-64", "root-size: 32M", "root-size: 1M"));
        assertTrue(e.matches("strata: error: partition 2 \\(rootfs\\) is too small by 65,536 bytes: it holds 1,048,576"
                + " bytes \\(1.0 MiB\\) and needs 1,114,112 \\(1.1 MiB\\); largest: /lib/strata .*; it holds the squashfs"
                + " and at least 1 MiB for the overlay after it; raise image option root-size or leave something out"), e);
    }

    @Test
    void aKernelLargerThanTheBootPartitionNamesItAndTheOption() throws Exception {
        Path kernel = dir.resolve("bzImage");
        Files.write(kernel, new byte[5 << 20]);
        String e = error(spec("openwrt-x86-64", EXAMPLES + "/stand-ins/bzImage", kernel.toString(),
                "root-size: 32M", "root-size: 32M\n  boot-size: 4M"));
        assertTrue(e.startsWith("strata: error: partition 1 (boot) (FAT16, 512-byte clusters) is too small by 1,100,288"
                + " bytes: it holds 4,144,640 bytes (4.0 MiB) and needs 5,244,928 (5.0 MiB); largest: /boot/vmlinuz 5.0"
                + " MiB, /boot/grub/grub.cfg "), e);
        assertTrue(e.endsWith(" B; raise image option boot-size"), e);
    }

    @Test
    void firmwareLargerThanTheFlashSaysByHowMuch() throws Exception {
        Path kernel = dir.resolve("uImage");
        Files.write(kernel, new byte[(4 << 20) - 300_000]);
        String e = error(spec("openwrt-nor-generic", EXAMPLES + "/stand-ins/uImage", kernel.toString(),
                "flash-size: 16M", "flash-size: 4M"));
        assertTrue(e.startsWith("strata: error: the firmware partition (image options flash-size, bootloader-size,"
                + " art-size) is too small by "), e);
        assertTrue(e.contains("; largest: kernel 3.7 MiB, "), e);
        assertTrue(e.endsWith("each padded to the 64 KiB erase block, and at least 5 erase blocks of rootfs_data for"
                + " the overlay"), e);
    }

    @Test
    void aFlashSizeThatIsNotAMultipleOfTheEraseBlockIsRefused() throws Exception {
        assertEquals("strata: error: image options flash-size, bootloader-size, art-size (16066560 bytes) is not a"
                + " multiple of the image option erase-block (65536 bytes)",
                error(spec("openwrt-nor-generic", "flash-size: 16M", "flash-size: 16010K")));
        assertEquals("strata: error: spec.yaml:16:16: image: option erase-block: '48KB?' is not a size (a number with"
                + " an optional K, M or G)", error(spec("openwrt-nor-generic", "erase-block: 64K", "erase-block: 48KB?")));
    }

    @Test
    void missingInputsAreNamed() throws Exception {
        assertEquals("strata: error: spec.yaml:12:11: image input kernel: nope/bzImage does not exist (looked for"
                + " nope/bzImage)",
                error(spec("openwrt-x86-64", EXAMPLES + "/stand-ins/bzImage", "nope/bzImage")));
        Path firmware = Files.createDirectories(dir.resolve("firmware"));
        Files.writeString(firmware.resolve("start.elf"), "x");
        String e = error(spec("openwrt-bcm2709-rpi-2", EXAMPLES + "/stand-ins/rpi-firmware", firmware.toString()));
        assertEquals("strata: error: image input firmware: " + firmware.resolve("bootcode.bin").toString()
                .replace(dir + "/", "") + " does not exist (the boot partition needs /bootcode.bin)", e);
        assertEquals("strata: error: spec.yaml:11:1: profile openwrt-x86-64 needs image input kernel (the kernel (bzImage)"
                + " with squashfs, overlay and the disk driver built in; written to /boot/vmlinuz): add it under image:",
                error(spec("openwrt-x86-64", "  kernel: " + EXAMPLES + "/stand-ins/bzImage\n", "")));
    }

    @Test
    void unknownProfilesKeysAndValuesSuggestWhatExists() throws Exception {
        assertEquals("strata: error: spec.yaml:10:10: unknown profile 'openwrt-x86'; did you mean 'openwrt-x86-64'?"
                + " (known: openelec-rpi2, openwrt-bcm2709-rpi-2, openwrt-nor-generic, openwrt-x86-64; or give a"
                + " profile file, e.g. ./board.yaml)",
                error(spec("openwrt-x86-64", "profile: openwrt-x86-64", "profile: openwrt-x86")));
        String e = error(spec("openwrt-x86-64", "root-size: 32M", "root-sise: 32M"));
        assertTrue(e.startsWith("strata: error: spec.yaml:13:3: image: profile openwrt-x86-64 has no input or option"
                + " 'root-sise'; did you mean 'root-size'? (inputs: kernel, mbr-boot-code, grub-efi, grub-core; options: boot-size,"), e);
        assertEquals("strata: error: spec.yaml:13:14: image: option root-size: '32 megs' is not a size (a number with an"
                + " optional K, M or G)", error(spec("openwrt-x86-64", "root-size: 32M", "root-size: 32 megs")));
        assertEquals("strata: error: spec.yaml:14:20: image: option partition-table is 'dos'; choose one of mbr, gpt",
                error(spec("openwrt-x86-64", "  # partition-table: gpt ", "  partition-table: dos #")));
    }

    /** GRUB's core image goes before p1: it needs GRUB's boot.img in the MBR, and room. */
    @Test
    void grubsCoreImageIsCheckedBeforeAnythingIsWritten() throws Exception {
        Path core = Files.write(dir.resolve("core.img"), new byte[4096]);
        byte[] grubStart = new byte[512];
        grubStart[0] = (byte) 0xEB;
        grubStart[1] = 0x63;
        Path boot = Files.write(dir.resolve("boot.img"), grubStart);
        Path syslinux = Files.write(dir.resolve("mbr.bin"), new byte[440]);
        String kernel = "  kernel: " + EXAMPLES + "/stand-ins/bzImage\n";
        assertEquals("strata: error: image input grub-core is loaded by the MBR's boot code: give image input"
                + " mbr-boot-code too (GRUB's boot.img)",
                error(spec("openwrt-x86-64", kernel, kernel + "  grub-core: " + core + "\n")));
        assertEquals("strata: error: image input mbr-boot-code is not GRUB's boot.img (it does not start with GRUB's"
                + " jump, EB 63), and only that loads image input grub-core",
                error(spec("openwrt-x86-64", kernel, kernel + "  grub-core: " + core + "\n  mbr-boot-code: " + syslinux
                        + "\n")));
        Path big = Files.write(dir.resolve("big-core.img"), new byte[250 * 1024]);
        assertEquals("strata: error: image input grub-core (big-core.img) is 256000 bytes; between the GPT entries and"
                + " the first partition there is room for 512 to 244736 bytes",
                error(spec("openwrt-x86-64", kernel, kernel + "  grub-core: " + big + "\n  mbr-boot-code: " + boot
                        + "\n", "  # partition-table: gpt ", "  partition-table: gpt #")));
        Path bigger = Files.write(dir.resolve("bigger-core.img"), new byte[256 * 1024]);
        assertEquals("strata: error: image input grub-core (bigger-core.img) is 262144 bytes; between the MBR and the"
                + " first partition there is room for 512 to 261632 bytes",
                error(spec("openwrt-x86-64", kernel, kernel + "  grub-core: " + bigger + "\n  mbr-boot-code: " + boot
                        + "\n")));
    }

    @Test
    void anOverlayTheDeviceCannotHoldIsRefused() throws Exception {
        String e = error(spec("openwrt-x86-64", "data: rootdisk ", "data: mtd:rootfs_data ", "filesystem: ext2 ",
                "filesystem: jffs2 "));
        assertTrue(e.contains("data volume mtd:rootfs_data (mtd) is not possible on profile openwrt-x86-64, whose"
                + " storage offers: partition, rootdisk, tmpfs"), e);
    }
}
