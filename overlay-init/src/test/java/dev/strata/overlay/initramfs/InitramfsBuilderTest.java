package dev.strata.overlay.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.overlay.config.BootStyle;
import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.LowerSource;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.device.OverlayInstallException;
import dev.strata.overlay.testsupport.DebianBootKit;
import dev.strata.overlay.testsupport.HostTools;
import dev.strata.squashfs.tree.FileNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsBuilderTest {
    static final OverlayConfig CONFIG = OverlayConfig.builder().style(BootStyle.INITRAMFS).bootDevice("LABEL=BOOT")
            .addLower(LowerSource.bootFile("/SYSTEM")).data(DataVolume.partition("LABEL=DATA"))
            .filesystem(DataFilesystem.EXT2).build();

    @TempDir
    Path tmp;

    static DebianBootKit kit() {
        DebianBootKit kit = DebianBootKit.get();
        assumeTrue(kit != null, "no Debian busybox-static/kernel: " + DebianBootKit.whyUnavailable());
        return kit;
    }

    @Test
    void archiveIsReproducibleAndReadableByCpioInEveryCompression() throws Exception {
        DebianBootKit kit = kit();
        assumeTrue(HostTools.missing("cpio", "sh").isEmpty(), "cpio not installed");
        for (InitramfsCompression c : InitramfsCompression.values()) {
            InitramfsBuilder b = new InitramfsBuilder(CONFIG).busybox(kit.busybox).compression(c).mtime(1_700_000_000L)
                    .kernelModules(kit.modules, List.of("vfat", "squashfs"));
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            ByteArrayOutputStream two = new ByteArrayOutputStream();
            b.writeTo(one);
            b.writeTo(two);
            assertArrayEquals(one.toByteArray(), two.toByteArray(), c + " output differs between runs");
            String decompress = switch (c) {
                case NONE -> "cat";
                case GZIP -> "gzip -dc";
                case XZ -> "xz -dc --single-stream";
                case ZSTD -> "zstd -dcq";
            };
            assumeTrue(HostTools.which(decompress.split(" ")[0]) != null, decompress + " not installed");
            Path file = tmp.resolve("initrd." + c.key());
            Files.write(file, one.toByteArray());
            String list = HostTools.run(tmp, 60, "sh", "-c", decompress + " < " + file + " | cpio -it --quiet")
                    .orFail("cpio -it").output();
            String version = kit.modules.getFileName().toString();
            for (String entry : List.of("init", "bin/busybox", "bin/sh", "dev/console", "etc/strata/overlay.conf",
                    "etc/strata/modules", "lib/strata/strata-lib.sh", "lib/modules/" + version + "/kernel/fs/fat/vfat.ko")) {
                assertTrue(list.lines().anyMatch(entry::equals), c + ": " + entry + " missing from\n" + list);
            }
        }
    }

    @Test
    void moduleListLoadsDependenciesFirst() throws Exception {
        DebianBootKit kit = kit();
        var tree = new InitramfsBuilder(CONFIG).busybox(kit.busybox).kernelModules(kit.modules, List.of("vfat")).tree();
        String v = kit.modules.getFileName().toString();
        try (InputStream in = ((FileNode) tree.find(InitramfsBuilder.MODULE_LIST)).content().open()) {
            assertEquals("/lib/modules/" + v + "/kernel/fs/fat/fat.ko\n/lib/modules/" + v + "/kernel/fs/fat/vfat.ko\n",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void missingOrDynamicBusyboxIsABuildError() throws Exception {
        var none = assertThrows(InitramfsException.class, () -> new InitramfsBuilder(CONFIG).tree());
        assertTrue(none.getMessage().contains("needs a static busybox"), none.getMessage());
        Path dynamic = Path.of("/bin/ls").toRealPath();
        var dyn = assertThrows(InitramfsException.class, () -> new InitramfsBuilder(CONFIG).busybox(dynamic).tree());
        assertTrue(dyn.getMessage().contains("is dynamically linked"), dyn.getMessage());
    }

    @Test
    void ext4WithoutAMkfsToolAndUnknownModulesAreBuildErrors() throws Exception {
        DebianBootKit kit = kit();
        OverlayConfig ext4 = CONFIG.toBuilder().filesystem(DataFilesystem.EXT4).build();
        var mkfs = assertThrows(OverlayInstallException.class,
                () -> new InitramfsBuilder(ext4).busybox(kit.busybox).tree());
        assertTrue(mkfs.getMessage().contains("but the initramfs has none of [mkfs.ext4, mke2fs]"), mkfs.getMessage());
        var module = assertThrows(InitramfsException.class, () -> new InitramfsBuilder(CONFIG).busybox(kit.busybox)
                .kernelModules(kit.modules, List.of("no_such_module")).tree());
        assertTrue(module.getMessage().startsWith("kernel module 'no_such_module' not found under"), module.getMessage());
    }

    @Test
    void inRootStyleGetsAModuleLoadingInitramfsThatNeedsNoMkfsTool() throws Exception {
        DebianBootKit kit = kit();
        var tree = new InitramfsBuilder(OverlayConfig.defaults()).busybox(kit.busybox)
                .kernelModules(kit.modules, List.of("squashfs")).tree();
        try (InputStream in = ((FileNode) tree.find("/etc/strata/overlay.conf")).content().open()) {
            assertTrue(new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("style=in-root\n"));
        }
        assertTrue(tree.find("/sbin/mkfs.ext4") == null, "the in-root init formats with the lower image's tools");
    }
}
