package dev.strata.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata build with an initramfs section: the archive beside the image, read back with xz and cpio;
 * the spec's bad inputs fail with one line naming the spec. The module directory is a stand-in with
 * a modules.dep (module files are only copied, never parsed, when modules.dep names them).
 */
class InitramfsStepTest {
    static final Path BUSYBOX = Path.of("/bin/busybox");

    @TempDir
    Path dir;
    BuildFixture f;

    static final String ROOT = "sources:\n"
            + "  - file: /bin/busybox\n    content: \"x\"\n    mode: \"0755\"\n"
            + "  - symlink: /bin/sh\n    target: busybox\n"
            + "  - symlink: /sbin/init\n    target: /bin/busybox\n";
    static final String OVERLAY = "overlay:\n  style: initramfs\n  boot-device: LABEL=BOOT\n  lowers: boot:/SYSTEM\n"
            + "  data: LABEL=STORAGE\n  filesystem: ext2\n";

    @BeforeEach
    void setUp() throws IOException {
        f = new BuildFixture(dir);
        assumeTrue(Files.isRegularFile(BUSYBOX), "no /bin/busybox (apt-get install busybox-static)");
        f.write("modules/6.1.0-test/kernel/fs/fat/fat.ko", "fat module");
        f.write("modules/6.1.0-test/kernel/fs/fat/vfat.ko", "vfat module");
        f.write("modules/6.1.0-test/kernel/fs/squashfs/squashfs.ko", "squashfs module");
        f.write("modules/6.1.0-test/modules.dep", "kernel/fs/fat/fat.ko:\nkernel/fs/fat/vfat.ko: kernel/fs/fat/fat.ko\n"
                + "kernel/fs/squashfs/squashfs.ko:\n");
    }

    static String initramfs(String extra) {
        return "initramfs:\n  busybox: " + BUSYBOX + "\n  module-dir: modules/6.1.0-test\n"
                + "  modules: [squashfs, vfat]\n" + extra;
    }

    static String run(Path dir, String shell) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", shell).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, shell + " failed:\n" + out);
        return out;
    }

    @Test
    void initramfsSectionWritesTheArchiveBesideTheImageWithModulesInDependencyOrder() throws Exception {
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
        BuildResult r = f.build(ROOT + OVERLAY + initramfs("  compression: xz\n"));
        Path archive = dir.resolve("out/initramfs.cpio.xz");
        assertEquals(archive, r.initramfs().orElseThrow());
        String listing = run(dir, "xz -dc " + archive + " | cpio -itv --quiet");
        for (String entry : List.of("init", "bin/busybox", "lib/strata/strata-lib.sh", "etc/strata/overlay.conf",
                "etc/strata/modules", "lib/modules/6.1.0-test/kernel/fs/fat/vfat.ko")) {
            assertTrue(listing.lines().anyMatch(l -> l.endsWith(" " + entry)), entry + " missing:\n" + listing);
        }
        assertTrue(listing.lines().allMatch(l -> l.contains(" Nov 14  2023 ")), "every entry at the epoch:\n" + listing);
        run(dir, "mkdir x && cd x && xz -dc " + archive + " | cpio -id --quiet etc/strata/modules etc/strata/overlay.conf");
        assertEquals("/lib/modules/6.1.0-test/kernel/fs/squashfs/squashfs.ko\n"
                        + "/lib/modules/6.1.0-test/kernel/fs/fat/fat.ko\n/lib/modules/6.1.0-test/kernel/fs/fat/vfat.ko\n",
                Files.readString(dir.resolve("x/etc/strata/modules")));
        String conf = Files.readString(dir.resolve("x/etc/strata/overlay.conf"));
        assertTrue(conf.contains("style=initramfs\n") && conf.contains("lower=boot:/SYSTEM\n")
                && conf.contains("data=LABEL=STORAGE\n"), conf);
        assertTrue(BuildFixture.listing(r.image()).stream().anyMatch(l -> l.endsWith(" /sbin/strata-reset")),
                "the lower image still gets the on-device commands");
    }

    @Test
    void sameSpecGivesTheSameArchiveBytesAndTheDefaultNameFollowsTheCompression() throws Exception {
        BuildResult one = f.build(ROOT + OVERLAY + initramfs(""));
        byte[] first = Files.readAllBytes(one.initramfs().orElseThrow());
        assertEquals("initramfs.cpio.gz", one.initramfs().get().getFileName().toString());
        assertEquals(Files.getPosixFilePermissions(one.image()), Files.getPosixFilePermissions(one.initramfs().get()),
                "the archive gets the image's mode, not a temporary file's 0600");
        BuildResult two = f.build(ROOT + OVERLAY + initramfs(""));
        assertArrayEquals(first, Files.readAllBytes(two.initramfs().orElseThrow()));
        BuildResult named = f.build(ROOT + OVERLAY + initramfs("  compression: zstd\n  file-name: KERNEL.initrd\n"));
        assertEquals(dir.resolve("out/KERNEL.initrd"), named.initramfs().orElseThrow());
    }

    @Test
    void inRootStyleGetsTheModuleLoadingInitramfs() throws Exception {
        BuildResult r = f.build(ROOT + "  - symlink: /sbin/mke2fs\n    target: /bin/busybox\n"
                + "overlay:\n  data: rootdisk\n  filesystem: ext2\n" + initramfs(""));
        run(dir, "mkdir y && cd y && gzip -dc " + r.initramfs().orElseThrow() + " | cpio -id --quiet etc/strata/overlay.conf");
        assertTrue(Files.readString(dir.resolve("y/etc/strata/overlay.conf")).contains("style=in-root\n"));
    }

    @Test
    void extraFilesGoIntoTheArchiveAndSatisfyTheMkfsCheck() throws Exception {
        String ext4 = OVERLAY.replace("filesystem: ext2", "filesystem: ext4");
        SpecException none = assertThrows(SpecException.class, () -> f.build(ROOT + ext4 + initramfs("")));
        assertTrue(none.getMessage().matches(".*/spec\\.yaml:\\d+:\\d+: initramfs: .*none of \\[mkfs\\.ext4, mke2fs\\].*"),
                none.getMessage());
        f.write("tools/mkfs.ext4", "#!/bin/sh\n");
        BuildResult r = f.build(ROOT + ext4 + initramfs("  files:\n    - {path: /sbin/mkfs.ext4, from: tools/mkfs.ext4,"
                + " mode: 0755}\n"));
        assertTrue(run(dir, "gzip -dc " + r.initramfs().orElseThrow() + " | cpio -itv --quiet")
                .lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" sbin/mkfs.ext4")));
    }

    @Test
    void missingBusyboxIsASpecErrorOnItsLine() throws Exception {
        SpecException e = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + "initramfs:\n  busybox: no/busybox\n"));
        assertTrue(e.getMessage().matches(".*/spec\\.yaml:\\d+:12: no/busybox does not exist \\(looked for .*\\)"
                + " \\(Debian: /bin/busybox from the busybox-static package\\)"), e.getMessage());
    }

    @Test
    void dynamicBusyboxAndUnknownModulesFailTheBuildAndLeaveNoArchive() throws Exception {
        Path ls = Path.of("/bin/ls").toRealPath();
        SpecException dyn = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + "initramfs:\n  busybox: " + ls + "\n"));
        assertTrue(dyn.getMessage().contains(": initramfs: busybox " + ls + " is dynamically linked"), dyn.getMessage());
        f.build(ROOT + OVERLAY + initramfs(""));
        assertTrue(Files.exists(dir.resolve("out/initramfs.cpio.gz")));
        SpecException module = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + initramfs("").replace("[squashfs, vfat]", "[squashfs, sdhci_iproc]")));
        assertTrue(module.getMessage().matches(".*/spec\\.yaml:\\d+:\\d+: initramfs: kernel module 'sdhci_iproc' not"
                + " found under .*modules/6\\.1\\.0-test \\(3 modules there\\)"), module.getMessage());
        assertFalse(Files.exists(dir.resolve("out/initramfs.cpio.gz")), "an earlier build's archive is removed");
        assertFalse(Files.exists(dir.resolve("out/rootfs.squashfs")));
    }

    @Test
    void sectionsThatCannotWorkTogetherAreSpecErrors() throws Exception {
        SpecException noOverlay = assertThrows(SpecException.class, () -> f.build(ROOT + initramfs("")));
        assertTrue(noOverlay.getMessage().contains("initramfs: its /init builds the overlay, but the spec has no"
                + " overlay section"), noOverlay.getMessage());
        SpecException noInitramfs = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY));
        assertTrue(noInitramfs.getMessage().contains("overlay: style initramfs needs an initramfs section"),
                noInitramfs.getMessage());
        SpecException modulesAlone = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + "initramfs:\n  busybox: " + BUSYBOX + "\n  modules: [vfat]\n"));
        assertTrue(modulesAlone.getMessage().endsWith("modules need module-dir: the kernel's lib/modules/VERSION"
                + " directory"), modulesAlone.getMessage());
        SpecException badName = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + initramfs("  file-name: ../initrd\n")));
        assertTrue(badName.getMessage().contains("must be a plain file name"), badName.getMessage());
        SpecException typo = assertThrows(SpecException.class, () -> f.build(ROOT + OVERLAY
                + initramfs("  compresion: xz\n")));
        assertTrue(typo.getMessage().contains("unknown key 'compresion'"), typo.getMessage());
    }
}
