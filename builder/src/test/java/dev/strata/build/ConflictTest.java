package dev.strata.build;

import static dev.strata.build.BuildFixture.line;
import static dev.strata.build.BuildFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.build.TestArchives.Compression;
import dev.strata.build.TestArchives.Member;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two steps give the same path: the later wins, and the manifest says whom it replaced. */
class ConflictTest {
    @TempDir
    Path dir;
    BuildFixture f;

    @BeforeEach
    void setUp() {
        f = new BuildFixture(dir);
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
    }

    @Test
    void laterStepWinsAndTheManifestRecordsWhatItReplaced() throws Exception {
        f.write("base/etc/hostname", "base\n");
        f.write("base/etc/keep", "kept\n");
        f.write("base/opt/tool/bin/tool", "old tool\n");
        f.write("extra.tar", TestArchives.tar(Compression.NONE, List.of(Member.file("./etc/hostname", "from tar\n"),
                Member.symlink("./opt/tool", "/usr/lib/tool"))));
        BuildResult r = f.build("sources:\n  - dir: base\n  - tar: extra.tar\n"
                + "  - file: /etc/hostname\n    content: \"final\\n\"\n");
        String manifest = f.manifest();
        assertTrue(manifest.contains("""
                      "path": "/etc/hostname",
                      "type": "file",
                      "mode": "0644",
                      "uid": 0,
                      "gid": 0,
                      "size": 6,
                """), manifest);
        assertTrue(manifest.contains("""
                      "source": "spec spec.yaml:7:5",
                      "replaced": [
                        "dir base",
                        "tar extra.tar"
                      ]
                """), manifest);
        // a symlink replaces a whole directory subtree
        assertTrue(line(listing(r.image()), "/opt/tool").endsWith("-> /usr/lib/tool"));
        assertTrue(manifest.contains("""
                      "target": "/usr/lib/tool",
                      "source": "tar extra.tar",
                      "replaced": [
                        "dir base"
                      ]
                """), manifest);
        assertTrue(line(listing(r.image()), "/etc/keep").startsWith("-rw-r--r-- 0/0 "));
    }

    @Test
    void removalDeletesWhatEarlierStepsPutThereAndWarnsWhenNothingMatches() throws Exception {
        f.write("base/usr/share/doc/a/README", "x");
        f.write("base/usr/share/man/man1/a.1", "x");
        f.write("base/usr/bin/a", "x");
        BuildResult r = f.build("sources:\n  - dir: base\n  - remove: [\"/usr/share/doc\", \"/usr/share/man/**/*.1\", \"/nothing/*\"]\n");
        String manifest = f.manifest();
        assertTrue(!manifest.contains("/usr/share/doc") && !manifest.contains("a.1"), manifest);
        assertTrue(manifest.contains("\"path\": \"/usr/share/man/man1\""));
        assertEquals(List.of(dir.resolve("spec.yaml") + ":6:57: remove '/nothing/*' matched nothing"), f.warnings);
        line(listing(r.image()), "/usr/bin/a");
    }

    @Test
    void anImageOverItsBudgetFailsSayingByHowMuch() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(noise);
        f.write("base/big.bin", noise);
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> f.build("sources:\n  - dir: base\nsquashfs:\n  max-size: 16K\n"));
        assertTrue(e.getMessage().matches(".*spec.yaml:7:3: the image is \\d+ bytes, \\d+ bytes more than max-size 16384;"
                + " largest: / .*"), e.getMessage());
        try (var left = java.nio.file.Files.list(dir.resolve("out"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void symlinkedDirectoriesAreFollowedInsideTheImageOnly() throws Exception {
        f.write("base.tar", TestArchives.tar(Compression.NONE, List.of(Member.dir("./usr/bin"),
                Member.dir("./etc"), Member.symlink("./bin", "usr/bin"), Member.symlink("./evil", "/etc"))));
        f.write("pkg.tar", TestArchives.tar(Compression.NONE, List.of(Member.file("./bin/sh", "sh"),
                Member.file("./evil/x", "stays in the image"))));
        BuildResult r = f.build("sources:\n  - tar: base.tar\n  - tar: pkg.tar\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/bin").endsWith("/bin -> usr/bin"));
        line(ls, "/usr/bin/sh");
        line(ls, "/etc/x");
    }
}
