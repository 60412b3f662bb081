package dev.strata.overlay.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.LowerSource;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.device.RootInstaller;
import dev.strata.overlay.initramfs.InitramfsBuilder;
import dev.strata.overlay.initramfs.InitramfsCompression;
import dev.strata.overlay.initramfs.KernelModules;
import dev.strata.overlay.initramfs.NewcWriter;
import dev.strata.overlay.testsupport.DebianBootKit;
import dev.strata.overlay.testsupport.HostTools;
import dev.strata.overlay.testsupport.Qemu;
import dev.strata.overlay.testsupport.TestImages;
import dev.strata.overlay.testsupport.WorkDirs;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.WriteResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Boots both styles under QEMU with Debian's cloud kernel and busybox-static: lower images from
 * Strata's squashfs writer, NVMe disks, the serial console read for "TEST key=value" lines printed
 * by the test's real init. Each nested class is one device whose disks carry state from one boot to
 * the next, so the methods run in order. Console logs stay under target/qemu-boot/.
 */
class QemuBootTest {
    static final int BOOT_TIMEOUT_SECONDS = 120;
    static final Path WORK = Path.of("target", "qemu-boot").toAbsolutePath();

    static DebianBootKit kitOrSkip() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "QEMU boot tests need Linux");
        List<String> missing = HostTools.missing("qemu-system-x86_64", "mke2fs", "ldd");
        assumeTrue(missing.isEmpty(), "QEMU boot tests skipped: missing " + missing
                + " (apt-get install qemu-system-x86 e2fsprogs)");
        DebianBootKit kit = DebianBootKit.get();
        assumeTrue(kit != null, "QEMU boot tests skipped: no Debian kernel/busybox: " + DebianBootKit.whyUnavailable());
        return kit;
    }

    static FileTree lowerTree(DebianBootKit kit) throws IOException, InterruptedException {
        FileTree tree = TestImages.busyboxTree(kit.busybox);
        tree.put("/sbin/test-init", new FileNode(resource("test-init"), 0755));
        TestImages.putText(tree, "/etc/layer", "base\n", 0644);
        TestImages.putText(tree, "/etc/base-only", "yes\n", 0644);
        return tree;
    }

    static FileContent resource(String name) throws IOException {
        try (InputStream in = QemuBootTest.class.getResourceAsStream(name)) {
            return FileContent.of(in.readAllBytes());
        }
    }

    static Path mke2fs() {
        return HostTools.which("mke2fs");
    }

    /** OpenWrt style: the kernel mounts the squashfs root, /sbin/strata-init builds the overlay. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class InRoot {
        DebianBootKit kit;
        Path dir;
        Path disk;
        Path initrd;

        @BeforeAll
        void build() throws Exception {
            kit = kitOrSkip();
            dir = WorkDirs.fresh(WORK.resolve("in-root"));
            OverlayConfig config = OverlayConfig.builder().style(BootStyle.IN_ROOT)
                    .data(DataVolume.ROOTDISK_OF_ROOT).realInit("/sbin/test-init").deviceTimeoutSeconds(10).build();
            FileTree tree = lowerTree(kit);
            TestImages.addWithLibraries(tree, mke2fs(), "/sbin/mkfs.ext4");
            RootInstaller.install(tree, config);
            disk = dir.resolve("root.img");
            WriteResult written = TestImages.writeSquashfs(tree, disk);
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            System.out.println("in-root lower: " + written.bytesUsed() + " bytes used; rootdisk from "
                    + ((written.bytesUsed() + 65535) / 65536 * 65536));
            initrd = dir.resolve("shim.cpio.zst");
            writeShim(kit, initrd);
        }

        Qemu.Boot boot(String name, String append) throws Exception {
            Qemu.Boot b = Qemu.boot(dir.resolve(name + ".log"), kit.vmlinuz, initrd,
                    "root=/dev/nvme0n1 rootfstype=squashfs init=/sbin/strata-init " + append, List.of(disk),
                    BOOT_TIMEOUT_SECONDS);
            b.report("in-root " + name);
            return b;
        }

        @Test
        @Order(1)
        void firstBootFormatsTheSpaceAfterTheSquashfsAndPivotsIntoTheOverlay() throws Exception {
            Qemu.Boot b = boot("1-first", "test.step=write");
            b.assertFinished("write");
            assertEquals("ok", b.value("s.state"));
            assertEquals("yes", b.value("s.formatted"));
            assertEquals("data", b.value("s.upper"));
            assertEquals("overlay", b.value("rootfs"));
            assertEquals("squashfs", b.value("rom"));
            assertEquals("ext4", b.value("overlaydir"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertEquals("base", b.value("file/etc/layer"));
        }

        @Test
        @Order(2)
        void fileWrittenOnBootOneIsThereOnBootTwoAndStrataResetSchedulesAWipe() throws Exception {
            Qemu.Boot b = boot("2-persist", "test.step=reset-cmd");
            b.assertFinished("reset-cmd");
            assertEquals(null, b.value("s.formatted"));
            assertEquals("1", b.value("file/etc/hello"));
            assertEquals("k", b.value("file/etc/keep.conf"));
            assertTrue(b.console().contains("factory reset scheduled for the next boot, keeping: /etc/keep.conf"),
                    b.console());
        }

        @Test
        @Order(3)
        void strataResetGivesFactoryStateWithTheKeptPath() throws Exception {
            Qemu.Boot b = boot("3-after-reset", "test.step=write");
            b.assertFinished("write");
            assertEquals("done", b.value("s.reset"));
            assertEquals("/etc/keep.conf", b.value("s.kept"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertEquals("k", b.value("file/etc/keep.conf"));
        }

        @Test
        @Order(4)
        void powerLossInTheMiddleOfAResetThenABootGivesFactoryState() throws Exception {
            Qemu.Boot crash = boot("4-crash", "strata.reset=hard strata.crash_at=reset-committed");
            assertTrue(crash.console().contains("simulating power loss at reset-committed"), crash.console());
            assertEquals(null, crash.value("done"));
            Qemu.Boot b = boot("5-after-crash", "test.step=none");
            b.assertFinished("none");
            assertEquals("done", b.value("s.reset"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertEquals("MISSING", b.value("file/etc/keep.conf"));
            assertEquals("base", b.value("file/etc/layer"));
        }

        @Test
        @Order(5)
        void readOnlyModeHasNoUpper() throws Exception {
            Qemu.Boot b = boot("6-read-only", "strata.mode=read-only test.step=touch");
            b.assertFinished("touch");
            assertEquals("none", b.value("s.upper"));
            assertEquals("no", b.value("writable"));
            assertEquals("overlay", b.value("rootfs"));
        }
    }

    /** OpenELEC style: the generated initramfs finds boot and data partitions and switch_roots. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class Initramfs {
        static final String DATA_PARTUUID = "6a1f2c3d-0b4e-4f5a-9c8d-7e6f5a4b3c2d";
        static final long DATA_OFFSET = 1L << 20;
        DebianBootKit kit;
        Path dir;
        Path bootImg;
        Path dataImg;
        Path initrd;

        @BeforeAll
        void build() throws Exception {
            kit = kitOrSkip();
            List<String> missing = HostTools.missing("mkfs.vfat", "mcopy", "mdir", "sfdisk");
            assumeTrue(missing.isEmpty(), "initramfs boot tests skipped: missing " + missing
                    + " (apt-get install dosfstools mtools fdisk)");
            dir = WorkDirs.fresh(WORK.resolve("initramfs"));
            OverlayConfig config = OverlayConfig.builder().style(BootStyle.INITRAMFS).bootDevice("LABEL=BOOT")
                    .addLower(LowerSource.bootFile("/SYSTEM")).addLower(LowerSource.bootFile("/ADDON"))
                    .data(DataVolume.partition("PARTUUID=" + DATA_PARTUUID.toUpperCase(java.util.Locale.ROOT)))
                    .addKeep("/etc/keep.conf").realInit("/sbin/test-init").build();
            FileTree base = lowerTree(kit);
            RootInstaller.install(base, config);
            TestImages.writeSquashfs(base, dir.resolve("system.sqfs"));
            FileTree addon = new FileTree();
            TestImages.putText(addon, "/etc/layer", "addon\n", 0644);
            TestImages.putText(addon, "/etc/addon-only", "yes\n", 0644);
            TestImages.writeSquashfs(addon, dir.resolve("addon.sqfs"));

            bootImg = dir.resolve("boot.img");
            HostTools.run(dir, 60, "mkfs.vfat", "-n", "BOOT", "-C", bootImg.toString(), "32768").orFail("mkfs.vfat");
            HostTools.run(dir, 60, "mcopy", "-i", bootImg.toString(), "system.sqfs", "::SYSTEM").orFail("mcopy");
            HostTools.run(dir, 60, "mcopy", "-i", bootImg.toString(), "addon.sqfs", "::ADDON").orFail("mcopy");

            dataImg = dir.resolve("data.img");
            try (RandomAccessFile f = new RandomAccessFile(dataImg.toFile(), "rw")) {
                f.setLength(80L << 20);
            }
            Path script = dir.resolve("data.sfdisk");
            Files.writeString(script, "label: gpt\nstart=2048, size=131072, uuid=" + DATA_PARTUUID
                    + ", name=strata-data\n");
            HostTools.run(dir, 60, List.of("sh", "-c", "sfdisk -q " + dataImg + " < " + script)).orFail("sfdisk");

            initrd = dir.resolve("initrd.cpio.xz");
            InitramfsBuilder b = new InitramfsBuilder(config).busybox(kit.busybox)
                    .kernelModules(kit.modules, List.of("squashfs", "overlay", "loop", "vfat", "nls_cp437",
                            "nls_ascii", "nls_utf8"))
                    .compression(InitramfsCompression.XZ).addFile("/sbin/mkfs.ext4", mke2fs(), 0755);
            for (Map.Entry<String, Path> lib : TestImages.libraries(mke2fs()).entrySet()) {
                b.addFile(lib.getKey(), lib.getValue(), 0755);
            }
            b.writeTo(initrd);
        }

        Qemu.Boot boot(String name, String append) throws Exception {
            Qemu.Boot b = Qemu.boot(dir.resolve(name + ".log"), kit.vmlinuz, initrd, append,
                    List.of(bootImg, dataImg), BOOT_TIMEOUT_SECONDS);
            b.report("initramfs " + name);
            return b;
        }

        @Test
        @Order(1)
        void firstBootFindsPartitionsMergesTwoLowersInOrderAndFormatsTheDataPartition() throws Exception {
            Qemu.Boot b = boot("1-first", "test.step=write");
            b.assertFinished("write");
            assertEquals("ok", b.value("s.state"));
            assertEquals("yes", b.value("s.formatted"));
            assertEquals("data", b.value("s.upper"));
            assertEquals("/dev/nvme1n1p1", b.value("s.data"));
            assertEquals("addon", b.value("file/etc/layer"), "the later lower must win");
            assertEquals("yes", b.value("file/etc/base-only"));
            assertEquals("yes", b.value("file/etc/addon-only"));
            assertEquals("overlay", b.value("rootfs"));
            assertEquals("squashfs", b.value("rom"));
            assertEquals("ext4", b.value("overlaydir"));
        }

        @Test
        @Order(2)
        void fileWrittenOnBootOneIsThereOnBootTwoAndStrataExportTarsTheUpper() throws Exception {
            Qemu.Boot b = boot("2-persist", "test.step=export");
            b.assertFinished("export");
            assertEquals("1", b.value("file/etc/hello"));
            assertEquals("k", b.value("file/etc/keep.conf"));
            assertEquals("1", b.value("exported"), "strata-export's tar holds the upper's etc/hello");
        }

        @Test
        @Order(3)
        void flagFileOnTheBootPartitionResetsKeepingTheConfiguredPathsAndIsRemoved() throws Exception {
            Path flag = dir.resolve("flag");
            Files.writeString(flag, "");
            HostTools.run(dir, 60, "mcopy", "-i", bootImg.toString(), flag.toString(), "::strata-reset")
                    .orFail("mcopy flag");
            Qemu.Boot b = boot("3-flag-reset", "test.step=write");
            b.assertFinished("write");
            assertEquals("done", b.value("s.reset"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertEquals("k", b.value("file/etc/keep.conf"));
            HostTools.Result dirList = HostTools.run(dir, 60, "mdir", "-b", "-i", bootImg.toString(), "::");
            assertFalse(dirList.output().toUpperCase(java.util.Locale.ROOT).contains("STRATA-RESET"),
                    "flag file not removed:\n" + dirList.output());
        }

        @Test
        @Order(4)
        void kernelCommandLineResetTrigger() throws Exception {
            Qemu.Boot b = boot("4-cmdline-reset", "strata.reset=1 test.step=write");
            b.assertFinished("write");
            assertEquals("done", b.value("s.reset"));
            assertEquals("MISSING", b.value("file/etc/hello"));
            assertEquals("k", b.value("file/etc/keep.conf"));
        }

        @Test
        @Order(5)
        void volatileModeStartsFromFactoryStateAndForgetsItsWrites() throws Exception {
            Qemu.Boot v = boot("5-volatile", "strata.mode=volatile test.step=volatile-write");
            v.assertFinished("volatile-write");
            assertEquals("tmpfs", v.value("s.upper"));
            assertEquals("MISSING", v.value("file/etc/hello"));
            Qemu.Boot p = boot("6-persistent-again", "test.step=none");
            p.assertFinished("none");
            assertEquals("MISSING", p.value("file/etc/volatile"));
            assertEquals("1", p.value("file/etc/hello"), "the persistent upper is untouched by a volatile boot");
        }

        @Test
        @Order(6)
        void missingDataVolumeBootsOnTmpfsAndSaysWhy() throws Exception {
            Qemu.Boot b = boot("7-missing", "strata.data=PARTLABEL=nothing strata.timeout=2 test.step=none");
            b.assertFinished("none");
            assertEquals("fallback", b.value("s.state"));
            assertEquals("tmpfs", b.value("s.upper"));
            assertEquals("data volume PARTLABEL=nothing not found within 2s", b.value("s.reason"));
            assertTrue(b.console().contains("strata: FALLBACK to a tmpfs upper"), b.console());
        }

        @Test
        @Order(7)
        void garbageDataVolumeBootsOnTmpfsAndIsNotFormatted() throws Exception {
            byte[] garbage = new byte[1 << 20];
            new Random(5).nextBytes(garbage);
            try (RandomAccessFile f = new RandomAccessFile(dataImg.toFile(), "rw")) {
                f.seek(DATA_OFFSET);
                f.write(garbage);
            }
            Qemu.Boot b = boot("8-garbage", "test.step=none");
            b.assertFinished("none");
            assertEquals("fallback", b.value("s.state"));
            assertEquals("data volume /dev/nvme1n1p1 holds unknown data; not formatting over it", b.value("s.reason"));
            byte[] after = new byte[garbage.length];
            try (RandomAccessFile f = new RandomAccessFile(dataImg.toFile(), "r")) {
                f.seek(DATA_OFFSET);
                f.readFully(after);
            }
            assertTrue(java.util.Arrays.equals(garbage, after), "the garbage volume was written to");
        }
    }

    /** The in-root test's stand-in for a kernel with squashfs built in (Debian's has it as a module). */
    static void writeShim(DebianBootKit kit, Path out) throws IOException {
        FileTree tree = new FileTree();
        tree.mkdirs("/dev");
        tree.put("/dev/console", new DeviceNode(NodeType.CHAR_DEVICE, 5, 1, 0600));
        tree.put("/bin/busybox", new FileNode(FileContent.of(kit.busybox), 0755));
        tree.put("/bin/sh", new SymlinkNode("busybox"));
        tree.put("/init", new FileNode(resource("shim-init"), 0755));
        KernelModules km = KernelModules.scan(kit.modules);
        StringBuilder list = new StringBuilder();
        for (String rel : km.resolve(List.of("squashfs", "overlay", "loop"))) {
            tree.put("/lib/modules/" + rel, new FileNode(FileContent.of(km.directory().resolve(rel)), 0644));
            list.append("/lib/modules/").append(rel).append('\n');
        }
        tree.put("/etc/strata/modules", new FileNode(FileContent.of(list.toString().getBytes()), 0644));
        try (OutputStream o = InitramfsCompression.ZSTD.wrap(Files.newOutputStream(out))) {
            NewcWriter.write(tree, o);
        }
    }
}
