package dev.strata.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import dev.strata.image.HostTool;
import dev.strata.overlay.testsupport.DebianBootKit;
import dev.strata.overlay.testsupport.Qemu;
import dev.strata.overlay.testsupport.WorkDirs;
import dev.strata.overlay.testsupport.TestImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The openwrt-x86-64 disk image boots under QEMU as `strata build` wrote it: Debian's cloud kernel
 * as the profile's kernel (its squashfs is a module, so the spec adds Strata's in-root initramfs),
 * the image as an NVMe disk, the kernel command line from images.json. The overlay's data volume is
 * the rootdisk after the squashfs; `strata reset` on the image file between boots brings factory
 * state back, and `strata reset --keep` leaves a flag file on the FAT boot partition that the
 * device's init (through the kernel's vfat driver) honours and deletes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class X86ImageBootTest {
    static final Path WORK = Path.of("target", "x86-image-boot").toAbsolutePath();
    static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1");

    DebianBootKit kit;
    Path image;
    Path initrd;
    String cmdline;

    @BeforeAll
    void build() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "QEMU boot tests need Linux");
        HostTool.assume("qemu-system-x86", "qemu-system-x86_64");
        HostTool.assume("e2fsprogs", "mke2fs");
        kit = DebianBootKit.get();
        assumeTrue(kit != null, "skipped: no Debian kernel/busybox: " + DebianBootKit.whyUnavailable());
        WorkDirs.fresh(WORK);
        Path root = Files.createDirectories(WORK.resolve("root"));
        populateRoot(root);
        Path spec = WORK.resolve("strata.yaml");
        Files.writeString(spec, spec(""));
        CliRun r = CliRun.run("build", spec.toString(), "-o" + WORK.resolve("out"));
        assertEquals(0, r.status, r.toString());
        try (Stream<Path> s = Files.list(WORK.resolve("out"))) {
            image = s.filter(p -> p.toString().endsWith("-combined.img")).findFirst().orElseThrow();
        }
        initrd = WORK.resolve("out/initramfs.cpio.gz");
        Matcher m = Pattern.compile("\"kernel-command-line\": \"([^\"]*)\"")
                .matcher(Files.readString(WORK.resolve("out/images.json")));
        assertTrue(m.find());
        cmdline = m.group(1);
        assertTrue(cmdline.startsWith("root=PARTUUID=") && cmdline.contains(" init=/sbin/strata-init "), cmdline);
    }

    /** The spec of these boots, with more image: lines (inputs and options). */
    String spec(String moreImageLines) {
        return """
                name: x86-boot
                version: "1"
                source-date-epoch: 1700000000
                profile: openwrt-x86-64
                image:
                  kernel: %s
                  root-size: 64M
                %s
                sources:
                  - dir: root
                squashfs:
                  compression: gzip
                overlay:
                  init: /sbin/test-init
                  device-timeout: 10
                  keep: [/etc/keep.conf]
                initramfs:
                  busybox: %s
                  module-dir: %s
                  modules: [squashfs, overlay, loop, vfat, nls_cp437, nls_ascii, nls_utf8]
                """.formatted(kit.vmlinuz, moreImageLines.indent(2).stripTrailing(), kit.busybox, kit.modules);
    }

    /** busybox with its applets, the test's real init, and mkfs.ext4 with its libraries. */
    void populateRoot(Path root) throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.copy(kit.busybox, root.resolve("bin/busybox"));
        String list = HostTool.run(kit.busybox.toString(), "--list-full").ok().output();
        for (String line : list.split("\n")) {
            String path = line.strip();
            if (!path.isEmpty() && !path.equals("bin/busybox")) {
                Path link = root.resolve(path);
                Files.createDirectories(link.getParent());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("/bin/busybox"));
                }
            }
        }
        for (String d : List.of("etc", "tmp", "dev", "proc", "sys", "run", "overlay", "rom")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("etc/layer"), "base\n");
        try (InputStream in = DebianBootKit.class.getResourceAsStream("/dev/strata/overlay/boot/test-init")) {
            Files.write(root.resolve("sbin/test-init"), in.readAllBytes());
        }
        root.resolve("sbin/test-init").toFile().setExecutable(true, false);
        Path mke2fs = Path.of(HostTool.run("sh", "-c", "command -v mke2fs").ok().output().strip());
        Files.copy(mke2fs, root.resolve("sbin/mkfs.ext4"));
        for (Map.Entry<String, Path> lib : TestImages.libraries(mke2fs).entrySet()) {
            Path to = root.resolve(lib.getKey().substring(1));
            Files.createDirectories(to.getParent());
            if (!Files.exists(to)) {
                Files.copy(lib.getValue(), to);
            }
        }
    }

    Qemu.Boot boot(String name, String step) throws Exception {
        Qemu.Boot b = Qemu.boot(WORK.resolve(name + ".log"), kit.vmlinuz, initrd, cmdline + " test.step=" + step,
                List.of(image), 150);
        return b.report("x86-64 image " + name).assertFinished(step);
    }

    @Test
    @Order(1)
    void firstBootFormatsTheRootdiskAfterTheSquashfsAndWritesAFile() throws Exception {
        Qemu.Boot b = boot("1-first", "write");
        assertEquals("ok", b.value("s.state"), b.console());
        assertEquals("yes", b.value("s.formatted"));
        assertEquals("data", b.value("s.upper"));
        assertEquals("overlay", b.value("rootfs"));
        assertEquals("squashfs", b.value("rom"));
        assertEquals("ext4", b.value("overlaydir"));
        assertTrue(b.console().contains("data volume: rootdisk /dev/nvme0n1p2 at offset "), b.console());
        assertEquals("MISSING", b.value("file/etc/hello"));
    }

    @Test
    @Order(2)
    void theFileSurvivesAReboot() throws Exception {
        Qemu.Boot b = boot("2-persist", "none");
        assertEquals(null, b.value("s.formatted"));
        assertEquals("1", b.value("file/etc/hello"));
        assertEquals("k", b.value("file/etc/keep.conf"));
    }

    @Test
    @Order(3)
    void resetKeepLeavesAFlagFileTheInitHonoursThroughTheKernelsVfat() throws Exception {
        CliRun r = CliRun.run("reset", "--keep", "/etc/keep.conf", image.toString());
        assertEquals(0, r.status, r.toString());
        Qemu.Boot b = boot("3-flag-reset", "none");
        assertTrue(b.console().contains("reset requested by /strata-reset on the boot partition"), b.console());
        assertEquals("done", b.value("s.reset"));
        assertEquals("MISSING", b.value("file/etc/hello"));
        assertEquals("k", b.value("file/etc/keep.conf"));
        if (HostTool.available("mdir", "mtools")) {
            long offset = ExampleImagesTest.table(image).partition(1).offset();
            String dir = HostTool.run(MTOOLS, "mdir", "-b", "-i", image + "@@" + offset, "::/").ok().output();
            assertFalse(dir.contains("strata-reset"), "the init did not delete the flag file:\n" + dir);
        }
    }

    @Test
    @Order(4)
    void strataResetOnTheImageFileBringsFactoryStateBack() throws Exception {
        boot("4-write-again", "write");
        CliRun r = CliRun.run("reset", image.toString());
        assertEquals(0, r.status, r.toString());
        Qemu.Boot b = boot("5-after-reset", "none");
        assertEquals("yes", b.value("s.formatted"), "the data volume was not formatted again");
        assertEquals("MISSING", b.value("file/etc/hello"));
        assertEquals("MISSING", b.value("file/etc/keep.conf"));
        assertEquals("base", b.value("file/etc/layer"));
    }

    /**
     * With GRUB's own BIOS files as inputs (boot.img, and a core.img made by grub-mkimage) the image
     * boots from the disk alone, as a PC boots it: SeaBIOS runs boot.img from the MBR, which loads
     * core.img from the gap before p1; GRUB reads grub.cfg on the FAT boot partition and starts the
     * kernel with the spec's initramfs (/boot/initrd.img) and the image's command line.
     */
    @Test
    @Order(10)
    void withGrubsFilesTheImageBootsFromTheDiskAlone() throws Exception {
        Qemu.Boot b = bootThroughGrub("mbr", "msdos", "part_msdos", "");
        assertEquals("overlay", b.value("rootfs"), b.console());
    }

    /**
     * The same on a GPT disk: as OpenWrt's ptgen lays it out, a BIOS boot partition (number 128) fills
     * the sectors between the partition entries and p1 and holds core.img, which then reads the rest of
     * itself from there.
     */
    @Test
    @Order(11)
    void withGrubsFilesAGptImageBootsFromTheDiskAlone() throws Exception {
        Qemu.Boot b = bootThroughGrub("gpt", "gpt", "part_gpt", "partition-table: gpt\n");
        assertEquals("overlay", b.value("rootfs"), b.console());
        Path disk = grubDisk("gpt");
        String table = HostTool.run("sgdisk", "-p", disk.toString()).ok().output();
        assertTrue(table.matches("(?s).*\\n\\s*128\\s+34\\s+511\\s.*EF02\\s+BIOS boot.*"), table);
    }

    /**
     * UEFI: with GRUB's EFI image as input (grub-efi) the GPT image boots under OVMF, which finds
     * /EFI/BOOT/BOOTX64.EFI on p1, the EFI system partition; GRUB reads the same grub.cfg.
     */
    @Test
    @Order(12)
    void withGrubsEfiImageTheGptImageBootsUnderUefi() throws Exception {
        Path ovmf = Path.of("/usr/share/ovmf/OVMF.fd");
        HostTool.assume("grub-common", "grub-mkimage");
        assumeTrue(Files.isRegularFile(ovmf), "skipped: no " + ovmf + " (Debian package ovmf)");
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/grub/x86_64-efi")),
                "skipped: no /usr/lib/grub/x86_64-efi (Debian package grub-efi-amd64-bin)");
        Path dir = Files.createDirectories(WORK.resolve("grub-efi"));
        Path efi = dir.resolve("bootx64.efi");
        HostTool.run("grub-mkimage", "-O", "x86_64-efi", "-p", "(hd0,gpt1)/boot/grub", "-o", efi.toString(),
                "part_gpt", "fat", "normal", "linux", "serial", "terminal", "configfile", "efi_gop").ok();
        buildWithGrub("efi", "grub-efi: %s\npartition-table: gpt\n".formatted(efi));
        Qemu.Boot b = assertGrubBooted(Qemu.bootFromDisk(dir.resolve("boot.log"), ovmf, List.of(grubDisk("efi")), 200)
                .report("x86-64 image (gpt) through GRUB under UEFI"));
        assertEquals("overlay", b.value("rootfs"));
    }

    /** Builds the image with these image: lines (GRUB's files) and GRUB's menu at once, the test step on the command line. */
    CliRun buildWithGrub(String name, String grubImageLines) throws Exception {
        Path spec = WORK.resolve("strata-grub-" + name + ".yaml");
        Files.writeString(spec, spec(grubImageLines + """
                grub-timeout: "0"
                cmdline-extra: "panic=-1 test.step=write"
                """));
        CliRun r = CliRun.run("build", spec.toString(), "-o" + WORK.resolve("grub-" + name).resolve("out"));
        assertEquals(0, r.status, r.toString());
        return r;
    }

    /** GRUB started the kernel, and the test init's write step ran on the overlay. */
    static Qemu.Boot assertGrubBooted(Qemu.Boot b) {
        b.assertFinished("write");
        assertTrue(b.console().contains("BOOT_IMAGE=/boot/vmlinuz"), "GRUB started the kernel:\n" + b.console());
        assertEquals("ok", b.value("s.state"), b.console());
        return b;
    }

    Path grubDisk(String name) throws Exception {
        try (Stream<Path> s = Files.list(WORK.resolve("grub-" + name).resolve("out"))) {
            return s.filter(p -> p.toString().endsWith("-combined.img")).findFirst().orElseThrow();
        }
    }

    Qemu.Boot bootThroughGrub(String name, String grubTable, String partModule, String moreImageLines)
            throws Exception {
        Path bootImg = Path.of("/usr/lib/grub/i386-pc/boot.img");
        HostTool.assume("grub-common", "grub-mkimage");
        assumeTrue(Files.isRegularFile(bootImg), "skipped: no " + bootImg + " (Debian package grub-pc-bin)");
        Path dir = Files.createDirectories(WORK.resolve("grub-" + name));
        Path core = dir.resolve("core.img");
        HostTool.run("grub-mkimage", "-O", "i386-pc", "-p", "(hd0," + grubTable + "1)/boot/grub", "-o",
                core.toString(), "biosdisk", partModule, "fat", "normal", "linux", "serial", "terminal", "configfile")
                .ok();
        CliRun r = buildWithGrub(name, "mbr-boot-code: %s\ngrub-core: %s\n%s".formatted(bootImg, core, moreImageLines));
        assertTrue(Files.readString(dir.resolve("out/images.json")).contains("\"bios-boot\": \"grub-i386-pc\""));
        assertTrue(r.out.contains(", GRUB: boot.img in the MBR, core.img ("), r.out);
        Qemu.Boot b = assertGrubBooted(Qemu.bootFromDisk(dir.resolve("boot.log"), List.of(grubDisk(name)), 150)
                .report("x86-64 image (" + name + ") through GRUB"));
        assertTrue(b.console().contains("GRUB loading"), "boot.img ran and loaded core.img:\n" + b.console());
        return b;
    }
}
