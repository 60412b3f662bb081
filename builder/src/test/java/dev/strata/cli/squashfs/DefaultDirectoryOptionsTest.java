package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mksquashfs 4.6's -default-mode, -default-uid and -default-gid with -tar: the directories the archive
 * implies (usr, usr/lib, opt/app, opt/app/bin) and the root get them; directories with entries of
 * their own (opt, etc) keep theirs; -root-* and -default-* set the root's, the last one given winning.
 * Listed by unsquashfs; the expectations are mksquashfs 4.6.1's listings of the same archive (built from
 * its sources, not in CI: Debian 12 has 4.5.1).
 */
class DefaultDirectoryOptionsTest {
    @TempDir
    Path dir;

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            file(tar, "usr/lib/libc.so", "elf");
            TarArchiveEntry opt = new TarArchiveEntry("opt/");
            opt.setMode(040700);
            opt.setIds(7, 8);
            put(tar, opt, null);
            file(tar, "opt/app/bin/tool", "tool");
            TarArchiveEntry etc = new TarArchiveEntry("etc/");
            etc.setMode(040751);
            put(tar, etc, null);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, String content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100755);
        put(tar, e, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) throws IOException {
        e.setModTime(1_600_000_000_000L);
        TarEntries.put(tar, e, content);
    }

    /** "mode uid/gid path" of every directory, unsquashfs -lln's columns. */
    private List<String> directories(String... options) throws Exception {
        Unsquashfs.assumeInstalled();
        Path image = dir.resolve("image.sqfs");
        Files.deleteIfExists(image);
        List<String> args = new ArrayList<>(List.of("squashfs", "create", "-", image.toString(), "-tar", "-quiet"));
        args.addAll(List.of(options));
        CliRun r = CliRun.runWithInput(Map.of("SOURCE_DATE_EPOCH", "1700000000"), archive(), args.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());
        return Unsquashfs.modesOwnersPaths(image).stream().filter(line -> line.startsWith("d")).toList();
    }

    @Test
    void impliedDirectoriesAndTheRootTakeTheDefaults() throws Exception {
        assertEquals(List.of(
                "drwx------ 1000/100 /",
                "drwxr-x--x 0/0 /etc",
                "drwx------ 7/8 /opt",
                "drwx------ 1000/100 /opt/app",
                "drwx------ 1000/100 /opt/app/bin",
                "drwx------ 1000/100 /usr",
                "drwx------ 1000/100 /usr/lib"),
                directories("-default-mode", "700", "-default-uid", "1000", "-default-gid", "100"));
    }

    @Test
    void withoutThemImpliedDirectoriesAre755OwnedByRoot() throws Exception {
        assertEquals(List.of(
                "drwxrwxrwx 0/0 /",
                "drwxr-x--x 0/0 /etc",
                "drwx------ 7/8 /opt",
                "drwxr-xr-x 0/0 /opt/app",
                "drwxr-xr-x 0/0 /opt/app/bin",
                "drwxr-xr-x 0/0 /usr",
                "drwxr-xr-x 0/0 /usr/lib"), directories());
    }

    @Test
    void theLastOfRootAndDefaultOptionsSetsTheRoot() throws Exception {
        List<String> rootModeLast = directories("-default-mode", "711", "-root-mode", "755");
        assertEquals("drwxr-xr-x 0/0 /", rootModeLast.get(0));
        assertEquals("drwx--x--x 0/0 /usr", rootModeLast.get(5));
        List<String> defaultUidLast = directories("-root-uid", "5", "-default-uid", "6");
        assertEquals("drwxrwxrwx 6/0 /", defaultUidLast.get(0));
        assertEquals("drwxr-xr-x 6/0 /usr/lib", defaultUidLast.get(6));
    }

    @Test
    void aModeThatIsNotOctalIsRefused() throws Exception {
        CliRun r = CliRun.runWithInput(Map.of(), archive(), "squashfs", "create", "-", dir.resolve("x.sqfs").toString(),
                "-tar", "-default-mode", "rwx");
        assertEquals(2, r.status, r.toString());
        assertEquals("strata: error: -default-mode 'rwx': expected an octal mode up to 7777, like 755",
                r.err.lines().findFirst().orElse(""));
    }
}
