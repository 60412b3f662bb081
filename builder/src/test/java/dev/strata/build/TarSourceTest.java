package dev.strata.build;

import static dev.strata.build.BuildFixture.line;
import static dev.strata.build.BuildFixture.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.build.TestArchives.Compression;
import dev.strata.build.TestArchives.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** tar sources: every compression, what archives record, and hostile entries. */
class TarSourceTest {
    @TempDir
    Path dir;
    BuildFixture f;

    @BeforeEach
    void setUp() {
        f = new BuildFixture(dir);
        assumeTrue(BuildFixture.unsquashfsInstalled(), "unsquashfs (squashfs-tools) is not installed");
    }

    private static List<Member> sample() {
        return List.of(
                Member.dir("./"),
                Member.dir("./etc"),
                Member.file("./etc/passwd", "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/www:/bin/false\n"),
                Member.file("./etc/motd", "hi\n", 0640, 33, 33),
                Member.symlink("./etc/resolv.conf", "/tmp/resolv.conf"),
                Member.symlink("./escape", "../../../../etc/shadow"),
                Member.file("./bin/busybox", "#!/bin/sh\n", 04755, 0, 0),
                Member.hardLink("./bin/sh", "./bin/busybox"),
                Member.device("./dev/console", 'c', 5, 1),
                Member.device("./dev/sda", 'b', 8, 0),
                new Member("./dev/initctl", 'p', 0600, 0, 0, null, 0, 0));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void everyCompressionUnpacksTheSameTree(Compression c) throws Exception {
        f.write("root.tar", TestArchives.tar(c, sample()));
        BuildResult r = f.build("sources:\n  - tar: root.tar\n");
        List<String> ls = listing(r.image());
        assertTrue(line(ls, "/etc/passwd").startsWith("-rw-r--r-- 0/0 "), line(ls, "/etc/passwd"));
        assertTrue(line(ls, "/bin/busybox").startsWith("-rwsr-xr-x 0/0 "), line(ls, "/bin/busybox"));
        assertTrue(line(ls, "/dev/console").matches("crw------- 0/0 5, 1 .*"), line(ls, "/dev/console"));
        assertTrue(line(ls, "/dev/sda").matches("brw------- 0/0 8, 0 .*"), line(ls, "/dev/sda"));
        assertTrue(line(ls, "/dev/initctl").startsWith("prw------- "), line(ls, "/dev/initctl"));
        assertTrue(line(ls, "/etc/resolv.conf").endsWith("-> /tmp/resolv.conf"));
        String manifest = f.manifest();
        assertTrue(manifest.contains("\"hardlink-of\": \"/bin/busybox\""), manifest);
    }

    @Test
    void symlinksPointingOutsideAreKeptAsLinksAndNeverFollowed() throws Exception {
        f.write("root.tar", TestArchives.tar(Compression.GZIP, sample()));
        BuildResult r = f.build("sources:\n  - tar: root.tar\n");
        assertTrue(line(listing(r.image()), "/escape").endsWith("/escape -> ../../../../etc/shadow"));
        assertFalse(f.manifest().contains("root:x:0:0:root") , "no host file content may appear");
    }

    @Test
    void archiveOwnersAreRootUnlessKept() throws Exception {
        f.write("root.tar", TestArchives.tar(Compression.GZIP, sample()));
        BuildResult squashed = f.build("sources:\n  - tar: root.tar\n");
        assertTrue(line(listing(squashed.image()), "/etc/motd").startsWith("-rw-r----- 0/0 "));
        BuildResult kept = f.build("sources:\n  - tar: root.tar\n    keep-owners: true\n");
        assertTrue(line(listing(kept.image()), "/etc/motd").startsWith("-rw-r----- 33/33 "));
        BuildResult global = f.build("ownership:\n  archive-owners: keep\nsources:\n  - tar: root.tar\n");
        assertTrue(line(listing(global.image()), "/etc/motd").startsWith("-rw-r----- 33/33 "));
    }

    @Test
    void toAndStripComponentsPlaceTheArchive() throws Exception {
        f.write("app.tar.gz", TestArchives.tar(Compression.GZIP, List.of(
                Member.file("app-1.0/bin/app", "x"), Member.file("app-1.0/share/app.txt", "y"))));
        BuildResult r = f.build("sources:\n  - tar: app.tar.gz\n    to: /opt/app\n    strip-components: 1\n");
        List<String> ls = listing(r.image());
        line(ls, "/opt/app/bin/app");
        line(ls, "/opt/app/share/app.txt");
        f.build("sources:\n  - tar: app.tar.gz\n    to: /opt/app\n    strip-components: 1\n"
                + "    exclude: /opt/app/share\n");
        assertFalse(f.manifest().contains("/opt/app/share"), "an excluded directory takes its contents along");
    }

    @Test
    void dotDotEntriesAreRejectedNamingArchiveAndEntry() throws Exception {
        f.write("evil.tar", TestArchives.tar(Compression.NONE, List.of(
                Member.file("./ok", "fine"), Member.file("./a/../../etc/passwd", "pwned"))));
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: evil.tar\n"));
        assertEquals("evil.tar: entry './a/../../etc/passwd': path contains '..' and could leave the directory it"
                + " is unpacked into", e.getMessage());
        assertNothingLooksComplete();
    }

    /**
     * commons-compress ends quietly where the stream ends, so an archive cut at a header (a broken
     * download) would build as a smaller root; tar's end-of-archive blocks tell a whole archive.
     */
    @Test
    void anArchiveCutShortIsRefusedNamingItsLastEntry() throws Exception {
        byte[] whole = TestArchives.tar(Compression.NONE, List.of(Member.file("etc/motd", "hello"),
                Member.file("etc/issue", "welcome"), Member.file("etc/hostname", "router")));
        f.write("cut.tar", java.util.Arrays.copyOf(whole, 4 * 512)); // two entries, then the stream ends
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: cut.tar\n"));
        assertEquals("cut.tar: entry 'etc/issue': the archive ends after this entry without tar's end-of-archive"
                + " blocks: it is truncated (mksquashfs -tar refuses it too); make or fetch it again", e.getMessage());
        assertNothingLooksComplete();
        f.write("stub.tar", java.util.Arrays.copyOf(whole, 300)); // not even one header
        IOException stub = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: stub.tar\n"));
        assertEquals("stub.tar: the archive ends inside its first header: it is truncated; make or fetch it again",
                stub.getMessage());
        f.write("whole.tar", whole);
        BuildResult r = f.build("sources:\n  - tar: whole.tar\n");
        line(listing(r.image()), "/etc/hostname");
    }

    @Test
    void absoluteEntriesAreRejectedNamingArchiveAndEntry() throws Exception {
        f.write("evil.tar.gz", TestArchives.tar(Compression.GZIP, List.of(Member.file("/etc/shadow", "pwned"))));
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: evil.tar.gz\n"));
        assertTrue(e.getMessage().startsWith("evil.tar.gz: entry '/etc/shadow': absolute path"), e.getMessage());
        assertNothingLooksComplete();
    }

    @Test
    void hardLinksToMissingTargetsAreAnError() throws Exception {
        f.write("links.tar", TestArchives.tar(Compression.NONE, List.of(Member.hardLink("./bin/sh", "./bin/busybox"))));
        IOException e = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: links.tar\n"));
        assertEquals("links.tar: entry './bin/sh': hard link to './bin/busybox', which is neither earlier in the"
                + " archive nor in the image", e.getMessage());
    }

    @Test
    void hardLinksMayNameFilesAnEarlierStepPutInTheImage() throws Exception {
        f.write("base.tar", TestArchives.tar(Compression.NONE, List.of(Member.file("./bin/busybox", "bb"))));
        f.write("links.tar", TestArchives.tar(Compression.NONE, List.of(Member.hardLink("./bin/sh", "./bin/busybox"))));
        f.build("sources:\n  - tar: base.tar\n  - tar: links.tar\n");
        assertTrue(f.manifest().contains("\"hardlink-of\": \"/bin/busybox\""));
    }

    @Test
    void corruptArchivesAreOneClearError() throws Exception {
        byte[] good = TestArchives.tar(Compression.GZIP, sample());
        f.write("cut.tar.gz", java.util.Arrays.copyOf(good, good.length / 2));
        IOException cut = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: cut.tar.gz\n"));
        assertTrue(cut.getMessage().startsWith("cut.tar.gz: "), cut.getMessage());
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        f.write("junk.tar", junk);
        IOException j = assertThrows(IOException.class, () -> f.build("sources:\n  - tar: junk.tar\n"));
        assertTrue(j.getMessage().startsWith("junk.tar: not a readable tar archive"), j.getMessage());
        assertNothingLooksComplete();
    }

    private void assertNothingLooksComplete() throws IOException {
        Path out = dir.resolve("out");
        if (Files.isDirectory(out)) {
            try (var s = Files.list(out)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList());
            }
        }
    }
}
