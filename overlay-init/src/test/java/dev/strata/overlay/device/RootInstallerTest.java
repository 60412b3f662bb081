package dev.strata.overlay.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.overlay.config.ConfigFile;
import dev.strata.overlay.config.DataFilesystem;
import dev.strata.overlay.config.DataVolume;
import dev.strata.overlay.config.OverlayConfig;
import dev.strata.overlay.config.OverlayMode;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RootInstallerTest {
    static FileTree minimalRoot() {
        FileTree tree = new FileTree();
        tree.root().setMtime(1234);
        tree.put("/bin/busybox", new FileNode(FileContent.of(new byte[] {1}), 0755));
        tree.put("/bin/sh", new SymlinkNode("busybox"));
        tree.put("/sbin/init", new SymlinkNode("/bin/busybox"));
        tree.put("/sbin/mke2fs", new SymlinkNode("/bin/busybox"));
        return tree;
    }

    static String text(FileTree tree, String path) throws Exception {
        try (InputStream in = ((FileNode) tree.find(path)).content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void installsScriptsConfigMountPointsAndConsoleWithTheRootsMtime() throws Exception {
        FileTree tree = minimalRoot();
        OverlayConfig config = OverlayConfig.builder().filesystem(DataFilesystem.EXT2).build();
        RootInstaller.install(tree, config);
        FileNode init = (FileNode) tree.find("/sbin/strata-init");
        assertEquals(0755, init.permissions());
        assertEquals(1234, init.mtime());
        assertTrue(text(tree, "/sbin/strata-init").startsWith("#!/bin/sh\n"));
        assertEquals(ConfigFile.render(config), text(tree, "/etc/strata/overlay.conf"));
        for (String dir : RootInstaller.MOUNT_POINTS) {
            assertInstanceOf(DirectoryNode.class, tree.find(dir), dir);
        }
        DeviceNode console = (DeviceNode) tree.find("/dev/console");
        assertEquals(5, console.major());
        assertEquals(1, console.minor());
        assertTrue(tree.find("/lib/strata/strata-lib.sh") instanceof FileNode);
        assertTrue(tree.find("/sbin/strata-reset") instanceof FileNode);
        assertEquals(null, tree.find("/init"), "the initramfs /init stays out of the lower image");
    }

    @Test
    void ext4WithOnlyBusyboxMke2fsIsABuildError() {
        FileTree tree = minimalRoot();
        var e = assertThrows(OverlayInstallException.class, () -> RootInstaller.install(tree, OverlayConfig.defaults()));
        assertTrue(e.getMessage().contains("formatted as ext4 at first boot, but the lower image has none of"
                + " [mkfs.ext4, mke2fs]"), e.getMessage());
        assertTrue(e.getMessage().contains("busybox mke2fs only makes ext2"), e.getMessage());
        tree.put("/sbin/mkfs.ext4", new FileNode(FileContent.of(new byte[] {2}), 0755));
        RootInstaller.install(tree, OverlayConfig.defaults());
    }

    @Test
    void volatileModeNeedsNoMkfsButAShellAndTheRealInit() {
        FileTree tree = minimalRoot();
        OverlayConfig volatileMode = OverlayConfig.builder().mode(OverlayMode.VOLATILE).data(DataVolume.TMPFS).build();
        RootInstaller.install(tree, volatileMode);
        FileTree noShell = new FileTree();
        var e = assertThrows(OverlayInstallException.class, () -> RootInstaller.install(noShell, volatileMode));
        assertTrue(e.getMessage().contains("need /bin/sh"), e.getMessage());
        FileTree noInit = minimalRoot();
        var e2 = assertThrows(OverlayInstallException.class, () -> RootInstaller.install(noInit,
                volatileMode.toBuilder().realInit("/lib/systemd/systemd").build()));
        assertTrue(e2.getMessage().contains("the real init /lib/systemd/systemd is not in the lower image"),
                e2.getMessage());
    }

    @Test
    void aFileWhereAMountPointMustBeIsRefused() {
        FileTree tree = minimalRoot();
        tree.put("/rom", new FileNode(FileContent.of(new byte[0])));
        var e = assertThrows(OverlayInstallException.class, () -> RootInstaller.install(tree,
                OverlayConfig.builder().mode(OverlayMode.VOLATILE).data(DataVolume.TMPFS).build()));
        assertEquals("/rom must be a directory (the init mounts onto it), but the lower image has a file there",
                e.getMessage());
    }
}
