package dev.strata.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import dev.strata.image.partition.MbrTable;
import dev.strata.overlay.testsupport.DebianBootKit;
import dev.strata.overlay.testsupport.HostTools;
import dev.strata.overlay.testsupport.Qemu;
import dev.strata.overlay.testsupport.WorkDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Raspberry Pi 2 SD card images boot on QEMU's emulated board ({@code -M raspi2b}) with Debian's
 * armhf armmp kernel, its bcm2836-rpi-2-b.dtb, and the initramfs {@code strata build} generates
 * from busybox-static:armhf and the kernel's modules. The lower image's real init is the boot
 * tests' test-init, which prints "TEST key=value" lines; the board cannot power off, so each boot
 * ends when the console shows "TEST done=" and QEMU is stopped. Each nested class is one SD card
 * carrying state from boot to boot. Console logs stay under target/raspi2b-boot/.
 */
class RaspberryPi2BootTest {
    static final int BOOT_TIMEOUT_SECONDS = 300;
    static final Path WORK = Path.of("target", "raspi2b-boot").toAbsolutePath();
    /** Lines that end a boot; a kernel oops ("Internal error") ends it too, instead of the time limit. */
    static final List<String> END_MARKERS = List.of("TEST done=", "strata: FATAL", "Kernel panic", "Internal error:");
    /**
     * The SD host of QEMU's raspi2b is bcm2835 (sdhost); a real Pi 2 may use sdhci-iproc. ext4 (which
     * mounts ext2 too) cannot mount anything without crc32c, its softdep, a module in this kernel.
     */
    static final String MODULES = "[sdhci-iproc, bcm2835, squashfs, loop, overlay, crc32c_generic, ext4, vfat, nls_cp437,"
            + " nls_ascii]";
    static final String DTB = "bcm2836-rpi-2-b.dtb";
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String FLAG = "strata-reset";

    static DebianBootKit kitOrSkip() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "QEMU boot tests need Linux");
        List<String> missing = HostTools.missing("qemu-system-arm", "mcopy", "mdir", "busybox");
        assumeTrue(missing.isEmpty(), "Raspberry Pi 2 boot tests skipped: missing " + missing
                + " (apt-get install qemu-system-arm mtools busybox-static)");
        DebianBootKit kit = DebianBootKit.armhf();
        assumeTrue(kit != null, "Raspberry Pi 2 boot tests skipped: no Debian armhf kernel/busybox: "
                + DebianBootKit.whyArmhfUnavailable());
        return kit;
    }

    /**
     * The lower image's source: the armhf busybox with a link for each applet (the list comes from
     * the host's busybox of the same Debian package, which cannot run the armhf one) and test-init.
     */
    static Path stageRoot(DebianBootKit kit, Path dir) throws IOException, InterruptedException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(kit.busybox, root.resolve("bin/busybox"));
        String applets = HostTools.run(null, 30, HostTools.which("busybox").toString(), "--list-full")
                .orFail("busybox --list-full").output();
        for (String line : applets.split("\n")) {
            String rel = line.strip();
            if (!rel.isEmpty() && !rel.equals("bin/busybox")) {
                Path link = root.resolve(rel);
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, Path.of("/bin/busybox"));
            }
        }
        Files.createDirectories(root.resolve("sbin"));
        try (InputStream in = RaspberryPi2BootTest.class.getResourceAsStream("/dev/strata/overlay/boot/test-init")) {
            Files.copy(in, root.resolve("sbin/test-init"));
        }
        root.resolve("sbin/test-init").toFile().setExecutable(true, false);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/layer"), "base\n");
        Files.createDirectories(root.resolve("tmp"));
        return root;
    }

    /**
     * strata build of a spec with the profile, the Debian kernel and its DTB as image inputs (the
     * firmware blobs are the examples' stand-ins: QEMU loads the kernel itself), the staged root,
     * and the test's overlay and initramfs settings. Returns the raw SD card image.
     */
    static Path build(DebianBootKit kit, Path dir, String profile, String imageOptions) throws Exception {
        Path dtbs = Files.createDirectories(dir.resolve("dtbs"));
        Files.copy(kit.dtb(DTB), dtbs.resolve(DTB));
        Path spec = dir.resolve("strata.yaml");
        Files.writeString(spec, "name: " + profile + "\nversion: \"1\"\nsource-date-epoch: 1700000000\n"
                + "profile: " + profile + "\nimage:\n  kernel: " + kit.vmlinuz + "\n  dtbs: dtbs\n"
                + "  firmware: " + EXAMPLES.resolve("stand-ins/rpi-firmware") + "\n" + imageOptions
                + "sources:\n  - dir: root\nownership:\n  host-modes: normalize\n"
                + "  overrides:\n    - {path: /tmp, mode: 01777}\n"
                + "overlay:\n  filesystem: ext2\n  init: /sbin/test-init\n  device-timeout: 30\n"
                + "initramfs:\n  busybox: " + kit.busybox + "\n  module-dir: " + kit.modules + "\n  modules: "
                + MODULES + "\n");
        CliRun build = CliRun.run("build", spec.toString(), "-o", dir.resolve("out").toString(), "-q");
        assertEquals(0, build.status, build.toString());
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".img")).findFirst()
                    .orElseThrow(() -> new AssertionError("strata build wrote no .img: " + build));
        }
    }

    /** Where partition 1, the FAT boot partition, starts: mtools reads it as IMAGE@@OFFSET. */
    static String bootPartition(Path sd) throws IOException {
        byte[] sector = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(sd.toFile(), "r")) {
            f.readFully(sector);
        }
        try {
            return sd + "@@" + MbrTable.decode(sector).partition(1).firstLba() * 512;
        } catch (dev.strata.image.partition.PartitionTableException e) {
            throw new AssertionError(sd + " has no MBR: " + e.getMessage(), e);
        }
    }

    /** A file of the FAT boot partition read back with mtools (an independent FAT implementation). */
    static Path fromBootPartition(Path dir, Path sd, String name) throws Exception {
        Path out = dir.resolve("from-fat-" + name);
        Files.deleteIfExists(out);
        HostTools.run(dir, 120, "mcopy", "-n", "-i", bootPartition(sd), "::" + name, out.toString())
                .orFail("mcopy ::" + name);
        return out;
    }

    static void copyResetFlag(Path dir, Path sd) throws Exception {
        Path flag = dir.resolve("flag");
        Files.writeString(flag, "");
        HostTools.run(dir, 60, "mcopy", "-i", bootPartition(sd), flag.toString(), "::" + FLAG).orFail("mcopy flag");
    }

    static void assertFlagConsumed(Path dir, Path sd) throws Exception {
        String listing = HostTools.run(dir, 60, "mdir", "-b", "-i", bootPartition(sd), "::").orFail("mdir").output();
        assertFalse(listing.toLowerCase(Locale.ROOT).contains(FLAG), "the flag file is still there:\n" + listing);
    }

    static Path fresh(String name) throws IOException {
        return WorkDirs.fresh(WORK.resolve(name));
    }

    /**
     * One SD card built by strata build for a profile, booted in turn: QEMU gets the kernel, the DTB
     * and the command line from the card's FAT partition, read back with mtools.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class SdCard {
        DebianBootKit kit;
        Path dir;
        Path sd;
        Path kernel;
        Path dtb;
        Path initrd;
        String cmdline;

        abstract String profile();

        /** image: keys besides the inputs (sizes kept small; the disk a power of two for QEMU). */
        abstract String imageOptions();

        /** The kernel's name on the FAT partition. */
        abstract String kernelFile();

        /** The initramfs QEMU loads, given the build's output directory. */
        abstract Path initramfs(Path out) throws Exception;

        @BeforeAll
        void build() throws Exception {
            kit = kitOrSkip();
            dir = fresh(profile());
            stageRoot(kit, dir);
            sd = RaspberryPi2BootTest.build(kit, dir, profile(), imageOptions());
            kernel = fromBootPartition(dir, sd, kernelFile());
            dtb = fromBootPartition(dir, sd, DTB);
            cmdline = Files.readString(fromBootPartition(dir, sd, "cmdline.txt")).strip();
            initrd = initramfs(dir.resolve("out"));
        }

        Qemu.Boot boot(String name, String step) throws Exception {
            Qemu.Boot b = Qemu.raspi2b(dir.resolve(name + ".log"), kernel, dtb, initrd, cmdline + " test.step=" + step,
                    sd, END_MARKERS, BOOT_TIMEOUT_SECONDS);
            b.report("raspi2b " + profile() + " " + name);
            assertNotNull(b.value("done"), "the test init did not finish; console log " + b.log() + ":\n"
                    + Qemu.tail(b.console()));
            return b;
        }

        @Test
        @Order(1)
        void firstBootFormatsTheDataVolumeAndBootsIntoTheOverlay() throws Exception {
            Qemu.Boot b = boot("1-first", "write");
            assertEquals("ok", b.value("s.state"), b.console());
            assertEquals("yes", b.value("s.formatted"));
            assertEquals("data", b.value("s.upper"));
            assertEquals("overlay", b.value("rootfs"));
            assertEquals("squashfs", b.value("rom"));
            assertEquals("ext4", b.value("overlaydir"), "ext2 made by busybox mke2fs, mounted by the ext4 driver");
            assertEquals("base", b.value("file/etc/layer"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            firstBootDetails(b);
        }

        abstract void firstBootDetails(Qemu.Boot b) throws Exception;

        @Test
        @Order(2)
        void fileWrittenOnBootOneIsThereOnBootTwo() throws Exception {
            Qemu.Boot b = boot("2-persist", "none");
            assertEquals("ok", b.value("s.state"));
            assertEquals(null, b.value("s.formatted"));
            assertEquals("1", b.value("file/etc/hello"));
        }

        @Test
        @Order(3)
        void resetFlagCopiedOntoTheFatPartitionWithMcopyBringsFactoryStateAndIsConsumed() throws Exception {
            copyResetFlag(dir, sd);
            Qemu.Boot b = boot("3-flag-reset", "write");
            assertEquals("done", b.value("s.reset"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertFlagConsumed(dir, sd);
        }

        @Test
        @Order(4)
        void strataResetOnTheImageFileBetweenBootsBringsFactoryState() throws Exception {
            CliRun reset = CliRun.run("reset", sd.toString());
            assertEquals(0, reset.status, reset.toString());
            Qemu.Boot b = boot("4-strata-reset", "none");
            assertEquals("ok", b.value("s.state"));
            assertEquals("yes", b.value("s.formatted"), "strata reset marks the data volume for a fresh format");
            assertEquals("MISSING", b.value("file/etc/hello"), "written by the boot before the reset");
            assertEquals("base", b.value("file/etc/layer"));
        }
    }

    /**
     * openelec-rpi2: the initramfs (INITRD on the FAT partition) loop-mounts SYSTEM from the FAT
     * partition, so the kernel's vfat driver reads our FAT writer's output, and keeps the upper on
     * the storage partition, formatted at first boot.
     */
    @Nested
    class OpenElec extends SdCard {
        @Override
        String profile() {
            return "openelec-rpi2";
        }

        @Override
        String imageOptions() {
            return "  system-size: 64M\n  storage-size: 32M\n  disk-size: 128M\n";
        }

        @Override
        String kernelFile() {
            return "KERNEL";
        }

        @Override
        Path initramfs(Path out) throws Exception {
            return fromBootPartition(dir, sd, "INITRD");
        }

        @Override
        void firstBootDetails(Qemu.Boot b) {
            assertEquals("/dev/mmcblk0p2", b.value("s.data"));
            assertEquals("boot:/SYSTEM", b.value("s.lowers").strip());
        }
    }

    /**
     * openwrt-bcm2709-rpi-2: the squashfs root partition with the overlay after it. Debian's kernel
     * has squashfs and the SD host as modules, so the generated initramfs (given to QEMU with
     * -initrd; the profile's FAT partition has none) loads them, mounts root= and hands over to
     * /sbin/strata-init, as a kernel with them built in does without an initramfs.
     */
    @Nested
    class OpenWrt extends SdCard {
        @Override
        String profile() {
            return "openwrt-bcm2709-rpi-2";
        }

        @Override
        String imageOptions() {
            return "  boot-size: 32M\n  root-size: 64M\n  disk-size: 128M\n";
        }

        @Override
        String kernelFile() {
            return "kernel.img";
        }

        @Override
        Path initramfs(Path out) {
            return out.resolve("initramfs.cpio.gz");
        }

        @Override
        void firstBootDetails(Qemu.Boot b) {
            assertTrue(b.console().contains("mounted read-only; handing over to /sbin/strata-init"), b.console());
            assertTrue(cmdline.contains(" rootfstype=squashfs rootwait init=/sbin/strata-init"), cmdline);
            assertEquals("/", b.value("s.lowers"));
            assertEquals("/dev/loop0", b.value("s.data"), "the rootdisk after the squashfs");
        }
    }
}
