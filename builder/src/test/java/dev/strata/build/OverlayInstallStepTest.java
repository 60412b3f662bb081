package dev.strata.build;

import static dev.strata.build.BuildFixture.line;
import static dev.strata.build.BuildFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** strata build with an overlay section puts the device scripts and overlay.conf into the image. */
class OverlayInstallStepTest {
    @TempDir
    Path dir;
    BuildFixture f;

    static final String ROOT = "sources:\n"
            + "  - file: /bin/busybox\n    content: \"x\"\n    mode: \"0755\"\n"
            + "  - symlink: /bin/sh\n    target: busybox\n"
            + "  - symlink: /sbin/init\n    target: /bin/busybox\n";

    @BeforeEach
    void setUp() {
        f = new BuildFixture(dir);
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
    }

    @Test
    void overlaySectionInstallsScriptsConfigAndMountPoints() throws Exception {
        BuildResult r = f.build(ROOT + "overlay:\n  mode: volatile\n  data: tmpfs\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/sbin/strata-init").startsWith("-rwxr-xr-x 0/0 "), line(ls, "/sbin/strata-init"));
        assertTrue(line(ls, "/sbin/strata-reset").startsWith("-rwxr-xr-x 0/0 "), line(ls, "/sbin/strata-reset"));
        assertTrue(line(ls, "/lib/strata/strata-lib.sh").startsWith("-rw-r--r-- 0/0 "));
        assertTrue(line(ls, "/etc/strata/overlay.conf").startsWith("-rw-r--r-- 0/0 "));
        assertTrue(line(ls, "/rom").startsWith("drwxr-xr-x 0/0 "), line(ls, "/rom"));
        assertTrue(line(ls, "/dev/console").startsWith("crw------- 0/0 5, 1 "), line(ls, "/dev/console"));
    }

    @Test
    void ext4DataVolumeWithoutMkfsInTheImageFailsTheBuild() throws Exception {
        var e = assertThrows(AssemblyException.class, () -> f.build(ROOT + "overlay:\n  data: LABEL=DATA\n"));
        assertTrue(e.getMessage().startsWith("overlay: the data volume is formatted as ext4 at first boot, but the"
                + " lower image has none of [mkfs.ext4, mke2fs]"), e.getMessage());
        assertEquals(true, e.getMessage().contains("add e2fsprogs, or use fs ext2"));
    }
}
