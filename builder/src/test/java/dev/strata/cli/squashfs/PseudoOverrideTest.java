package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mksquashfs 4.6's -pseudo-override: owners given by pseudo definitions (a new directory, a device, an
 * m definition changing a source file) beat -force-uid and -force-gid, which still hold for what the
 * sources hold; without it the forced owners hold for everything. Listed by unsquashfs; the expectations
 * are mksquashfs 4.6.1's listings of the same tree and definitions (built from its sources, not in CI:
 * Debian 12 has 4.5.1).
 */
class PseudoOverrideTest {
    @TempDir
    Path dir;

    private List<String> listing(String... options) throws Exception {
        Unsquashfs.assumeInstalled();
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("etc"));
        Files.createDirectories(src.resolve("var/lib"));
        Files.writeString(src.resolve("etc/conf"), "x\n");
        Path pseudo = Files.writeString(dir.resolve("pseudo"), String.join("\n",
                "/var/lib/svc d 700 100 101",
                "/etc/conf m 640 5 6",
                "/dev d 755 0 0",
                "/dev/console c 600 0 5 5 1", ""));
        Path image = dir.resolve("image.sqfs");
        Files.deleteIfExists(image);
        List<String> args = new ArrayList<>(List.of("squashfs", "create", src.toString(), image.toString(), "-quiet",
                "-pf", pseudo.toString()));
        args.addAll(List.of(options));
        CliRun r = CliRun.run(Map.of(), args.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());
        return Unsquashfs.modesOwnersPaths(image);
    }

    @Test
    void pseudoOwnersBeatTheForcedOnes() throws Exception {
        assertEquals(List.of(
                "drwxr-xr-x 33/44 /",
                "drwxr-xr-x 0/0 /dev",
                "crw------- 0/5 /dev/console",
                "drwxr-xr-x 33/44 /etc",
                "-rw-r----- 5/6 /etc/conf",
                "drwxr-xr-x 33/44 /var",
                "drwxr-xr-x 33/44 /var/lib",
                "drwx------ 100/101 /var/lib/svc"),
                listing("-force-uid", "33", "-force-gid", "44", "-pseudo-override"));
    }

    @Test
    void withoutItTheForcedOwnersHoldForEverything() throws Exception {
        for (String line : listing("-force-uid", "33", "-force-gid", "44")) {
            assertEquals("33/44", line.split(" ")[1], line);
        }
    }
}
