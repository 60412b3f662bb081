package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code squashfs create - IMG -tar < archive.tar} against {@code mksquashfs - IMG -tar}: the same
 * archive gives images that unsquashfs lists identically (names, types, modes, owners, sizes, times,
 * devices, symlink targets) and that hold the same file contents, hard links and xattrs.
 */
class TarInputParityTest {
    private static final long TIME = 1_600_000_000L;

    @TempDir
    Path dir;

    /** Every kind of entry, each directory with an entry of its own, so that every time comes from the archive. */
    private static byte[] everyKind() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarEntries.put(tar, dir("./", 0700, 5), null); // ignored by both: the root is made as for several sources
            TarEntries.put(tar, dir("etc/", 0755, 0), null);
            TarEntries.put(tar, file("etc/passwd", 0644, 0, 0), "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("etc/shadow", 0600, 0, 42), "root:*:1::::::\n".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("etc/motd", 0644, 0, 0), "first\n".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("etc/motd", 0640, 7, 8), "the later entry wins\n".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry noted = file("etc/noted", 0644, 0, 0);
            noted.addPaxHeader("SCHILY.xattr.user.comment", "kept in the image");
            TarEntries.put(tar, noted, "x".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, dir("bin/", 0755, 0), null);
            byte[] busybox = new byte[300_000];
            new Random(1).nextBytes(busybox);
            TarEntries.put(tar, file("bin/busybox", 04755, 0, 0), busybox);
            TarArchiveEntry sh = new TarArchiveEntry("bin/sh", TarConstants.LF_LINK);
            sh.setLinkName("bin/busybox");
            TarEntries.put(tar, times(sh), null);
            TarArchiveEntry ls = new TarArchiveEntry("bin/ls", TarConstants.LF_SYMLINK);
            ls.setLinkName("busybox");
            TarEntries.put(tar, times(ls), null);
            TarEntries.put(tar, dir("dev/", 0755, 0), null);
            TarEntries.put(tar, device("dev/console", TarConstants.LF_CHR, 0600, 5, 1), null);
            TarEntries.put(tar, device("dev/sda", TarConstants.LF_BLK, 0660, 8, 0), null);
            TarArchiveEntry fifo = new TarArchiveEntry("dev/initctl", TarConstants.LF_FIFO);
            fifo.setMode(0600);
            TarEntries.put(tar, times(fifo), null);
            // contents before their directory's own entry, as some archivers write them
            TarEntries.put(tar, file("var/log/messages", 0640, 0, 4), "boot\n".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, dir("var/log/", 0750, 0), null);
            TarEntries.put(tar, dir("var/", 0711, 0), null);
            TarEntries.put(tar, dir("usr/", 0755, 0), null);
            TarEntries.put(tar, dir("usr/share/", 0755, 0), null);
            TarEntries.put(tar, file("usr/share/" + "a-long-name-".repeat(12) + "end", 0644, 1000, 100),
                    "long\n".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("usr/share/empty", 0444, 0, 0), new byte[0]);
        }
        return bytes.toByteArray();
    }

    @Test
    void sameImageAsMksquashfsTar() throws Exception {
        // mksquashfs -tar gives the root the time of the run whatever -root-time says: not compared
        CliRun r = compare(everyKind(), List.of("-root-mode", "755", "-mkfs-time", Long.toString(TIME)), Map.of());
        assertEquals(List.of("strata: warning: <stdin>: entry 'etc/motd' comes again; the first one is kept, as"
                + " mksquashfs -tar does (GNU tar would extract the last)"), r.err.lines().toList());
    }

    /**
     * Directories the archive only implies, one below a directory it gives, and names with a leading '/'
     * or '../'. Implied directories get the time of the run, which SOURCE_DATE_EPOCH clamps in both.
     */
    @Test
    void impliedDirectoriesAndLeadingSlashes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarEntries.put(tar, file("usr/lib/libc.so", 0755, 0, 0), "elf".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, dir("opt/", 0700, 7), null);
            TarEntries.put(tar, file("opt/app/bin/tool", 0755, 0, 0), "tool".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("/etc/absolute", 0644, 0, 0), "a".getBytes(StandardCharsets.UTF_8));
            TarEntries.put(tar, file("../up/relative", 0644, 0, 0), "b".getBytes(StandardCharsets.UTF_8));
        }
        compare(bytes.toByteArray(), List.of(), Map.of("SOURCE_DATE_EPOCH", Long.toString(TIME + 500)));
    }

    private CliRun compare(byte[] archive, List<String> options, Map<String, String> env) throws Exception {
        Unsquashfs.assumeInstalled();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mksquashfs")) || Files.isExecutable(Path.of("/sbin/mksquashfs")),
                "mksquashfs (Debian package squashfs-tools) is not installed");
        Path tarFile = Files.write(dir.resolve("input.tar"), archive);
        Path theirs = dir.resolve("mksquashfs.img");
        Path ours = dir.resolve("strata.img");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);

        List<String> mksquashfs = new ArrayList<>(List.of("mksquashfs", "-", theirs.toString(), "-tar", "-noappend",
                "-quiet", "-no-progress"));
        mksquashfs.addAll(options);
        ProcessBuilder pb = new ProcessBuilder(mksquashfs).redirectInput(tarFile.toFile()).redirectErrorStream(true);
        pb.environment().remove("SOURCE_DATE_EPOCH");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mksquashfs did not finish");
        assertEquals(0, p.exitValue(), output);

        List<String> strata = new ArrayList<>(List.of("squashfs", "create", "-", ours.toString(), "-tar", "-quiet"));
        strata.addAll(options);
        CliRun r = CliRun.runWithInput(env, archive, strata.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());

        assertEquals(withoutRootTime(Unsquashfs.listing(theirs), theirs), withoutRootTime(Unsquashfs.listing(ours), ours));
        try (SquashfsImage a = SquashfsImage.open(theirs); SquashfsImage b = SquashfsImage.open(ours)) {
            List<String> paths = new ArrayList<>();
            a.walk((path, inode) -> paths.add(SquashfsImage.display(path)));
            assertTrue(paths.size() > 3, paths.toString());
            for (String path : paths) {
                ImageInode x = a.lookup(path, false);
                ImageInode y = b.lookup(path, false);
                assertEquals(hex(a.xattrs(x)), hex(b.xattrs(y)), "xattrs of " + path);
                assertEquals(x.nlink(), y.nlink(), "link count of " + path);
                if (x.isFile()) {
                    try (InputStream xs = a.openFile(x); InputStream ys = b.openFile(y)) {
                        assertArrayEquals(xs.readAllBytes(), ys.readAllBytes(), "contents of " + path);
                    }
                }
            }
        }
        return r;
    }

    /** unsquashfs -lln lines, the root's time blanked. */
    private static List<String> withoutRootTime(List<String> listing, Path image) {
        List<String> out = new ArrayList<>();
        for (String line : listing) {
            line = line.replace(image.toString(), "IMG");
            out.add(line.endsWith(" squashfs-root") ? line.replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d", "TIME") : line);
        }
        return out;
    }

    private static Map<String, String> hex(Map<String, byte[]> xattrs) {
        Map<String, String> out = new TreeMap<>();
        xattrs.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    private static TarArchiveEntry times(TarArchiveEntry e) {
        e.setModTime(TIME * 1000);
        return e;
    }

    private static TarArchiveEntry dir(String name, int mode, int uid) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        e.setUserId(uid);
        return times(e);
    }

    private static TarArchiveEntry file(String name, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(0100000 | mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime((TIME + uid) * 1000);
        return e;
    }

    private static TarArchiveEntry device(String name, byte type, int mode, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode(mode);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return times(e);
    }
}
