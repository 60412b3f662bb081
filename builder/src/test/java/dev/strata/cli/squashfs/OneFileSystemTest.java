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
 * -one-file-system leaves out a file system mounted inside a source directory, as mksquashfs does
 * (a tmpfs mounted for the test, so it needs root); without it the mount's contents are read.
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
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "strata-test", mount.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            Files.writeString(mount.resolve("inside"), "on the mounted file system\n");
            Path theirs = dir.resolve("mksquashfs.img");
            Path ours = dir.resolve("strata.img");
            assertEquals(0, run("mksquashfs", source.toString(), theirs.toString(), "-one-file-system", "-noappend",
                    "-quiet", "-no-progress", "-all-time", "7"));
            CliRun r = CliRun.run("squashfs", "create", source.toString(), ours.toString(), "-one-file-system",
                    "-quiet", "-all-time", "7");
            assertEquals(0, r.status, r.toString());
            assertEquals(List.of("strata: warning: " + mount.toRealPath() + " is on another file system than its"
                    + " source directory; left out (-one-file-system)"), r.err.lines().toList());
            List<String> listing = Unsquashfs.listing(ours);
            assertEquals(Unsquashfs.listing(theirs), listing);
            assertFalse(listing.stream().anyMatch(l -> l.contains("mnt")), String.join("\n", listing));

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
