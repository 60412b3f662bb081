package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file system mounted inside a source directory (a tmpfs mounted for the test, so it needs root):
 * -one-file-system-x leaves it out, as mksquashfs 4.5's -one-file-system (Debian 12's, compared here)
 * and 4.6's -one-file-system-x do; -one-file-system keeps the mount point as an empty directory with
 * the mount's own mode, as mksquashfs 4.6 does (checked against 4.6.1 built from its sources, not in
 * CI); without either the mount's contents are read.
 */
class OneFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void aMountInsideTheSourceIsLeftOutAsMksquashfsLeavesItOut() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Unsquashfs.assumeInstalled();
        Path source = Files.createDirectories(dir.resolve("src"));
        Files.writeString(Files.createDirectory(source.resolve("keep")).resolve("file"), "kept\n");
        Path mount = Files.createDirectory(source.resolve("mnt"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m,mode=750", "strata-test", mount.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            Files.writeString(mount.resolve("inside"), "on the mounted file system\n");
            Path theirs = dir.resolve("mksquashfs.img");
            Path ours = dir.resolve("strata.img");
            assertEquals(0, run("mksquashfs", source.toString(), theirs.toString(), "-one-file-system", "-noappend",
                    "-quiet", "-no-progress", "-all-time", "7"));
            CliRun r = CliRun.run("squashfs", "create", source.toString(), ours.toString(), "-one-file-system-x",
                    "-quiet", "-all-time", "7");
            assertEquals(0, r.status, r.toString());
            assertEquals(List.of("strata: warning: " + mount.toRealPath() + " is on another file system than its"
                    + " source directory; left out (-one-file-system-x)"), r.err.lines().toList());
            List<String> listing = Unsquashfs.listing(ours);
            assertEquals(Unsquashfs.listing(theirs), listing);
            assertFalse(listing.stream().anyMatch(l -> l.contains("mnt")), String.join("\n", listing));

            Path empty = dir.resolve("empty.img");
            CliRun kept = CliRun.run("squashfs", "create", source.toString(), empty.toString(), "-one-file-system",
                    "-quiet", "-all-time", "7");
            assertEquals(0, kept.status, kept.toString());
            assertEquals(List.of("strata: warning: " + mount.toRealPath() + " is on another file system than its"
                    + " source directory; stored as an empty directory (-one-file-system)"), kept.err.lines().toList());
            List<String> mountPoint = Unsquashfs.listing(empty).stream().filter(l -> l.contains("mnt")).toList();
            assertEquals(1, mountPoint.size(), String.join("\n", mountPoint));
            assertTrue(mountPoint.get(0).startsWith("drwxr-x--- ") && mountPoint.get(0).endsWith("squashfs-root/mnt"),
                    "the mount point, empty, with the mount's mode: " + mountPoint.get(0));

            Path across = dir.resolve("across.img");
            CliRun without = CliRun.run("squashfs", "create", source.toString(), across.toString(), "-quiet");
            assertEquals(0, without.status, without.toString());
            assertTrue(Unsquashfs.listing(across).stream().anyMatch(l -> l.endsWith("/mnt/inside")),
                    "without the option the mount is read");
        } finally {
            run("umount", mount.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", command) + ": " + output);
        }
        return p.exitValue();
    }
}
