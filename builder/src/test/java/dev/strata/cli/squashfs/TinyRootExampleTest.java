package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's set-up command on examples/tiny-root, read back by unsquashfs and, as root, by the kernel. */
class TinyRootExampleTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void readmeCommandBuildsTheExampleRoot() throws Exception {
        Unsquashfs.assumeInstalled();
        assumeTrue(Files.isDirectory(EXAMPLES.resolve("tiny-root")), "examples/tiny-root not found from " + EXAMPLES);
        Path image = dir.resolve("out/tiny-root.squashfs");
        // as in README.md, with the paths of this checkout
        CliRun r = CliRun.run(Map.of(), "squashfs", "create", EXAMPLES.resolve("tiny-root").toString(),
                image.toString(), "-noappend", "-all-root", "-comp", "xz",
                "-pf", EXAMPLES.resolve("tiny-root.pseudo").toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("Look inside: unsquashfs -lls " + image), r.out);
        String listing = String.join("\n", Unsquashfs.listing(image));
        for (String expected : List.of(
                "crw------- 0/0 5,  1 .* squashfs-root/dev/console",
                "-rw------- 0/0 .* squashfs-root/etc/shadow",
                "drwxrwxrwt 0/0 .* squashfs-root/tmp",
                "lrwxrwxrwx 0/0 .* squashfs-root/bin/sh -> busybox",
                "lrwxrwxrwx 0/0 .* squashfs-root/sbin/init -> ../bin/busybox",
                // modes of checked-out files depend on the umask; the executable bit does not
                "-rwx[-rwx]{6} 0/0 .* squashfs-root/etc/init.d/rcS",
                "-rw-[-rw]{6} 0/0 .* squashfs-root/www/index.html")) {
            assertTrue(listing.lines().anyMatch(l -> l.matches(expected.replace(" ", " +"))),
                    expected + " not in\n" + listing);
        }
        kernelMountShowsTheDevices(image);
    }

    /** With root and loop devices, the kernel's view of the same image. */
    private void kernelMountShowsTheDevices(Path image) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return; // unsquashfs above is the check without root
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        if (run("mount", "-t", "squashfs", "-o", "loop,ro", image.toString(), mnt.toString()) != 0) {
            return; // no loop devices here: unsquashfs above is the check
        }
        try {
            Object rdev = Files.getAttribute(mnt.resolve("dev/console"), "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            assertEquals((5L << 8) | 1L, ((Number) rdev).longValue());
            assertEquals("tiny-router\n", Files.readString(mnt.resolve("etc/hostname")));
            assertEquals(Path.of("busybox"), Files.readSymbolicLink(mnt.resolve("bin/sh")));
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
