package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mksquashfs 4.6's -xattrs-exclude, -xattrs-include and -xattrs-add on a tar input (PAX xattrs, so no
 * root is needed to make the source): the image's xattrs as Strata reads them and, as root, as the
 * kernel shows them. The expectations are what mksquashfs 4.6.1 (built from its sources) wrote for the
 * same tree, compared by mounting both images (not in CI: Debian 12 has 4.5.1).
 */
class XattrOptionsTest {
    private static final String SELINUX = "system_u:object_r:etc_t:s0\0";

    @TempDir
    Path dir;

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry d = new TarArchiveEntry("dir/");
            d.setMode(040755);
            d.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y");
            d.addPaxHeader("SCHILY.xattr.trusted.overlay.redirect", "/old");
            d.addPaxHeader("SCHILY.xattr.user.note", "d");
            TarEntries.put(tar, dated(d), null);
            TarArchiveEntry f = new TarArchiveEntry("dir/file");
            f.setMode(0100755);
            f.addPaxHeader("SCHILY.xattr.trusted.keep", "k");
            f.addPaxHeader("SCHILY.xattr.user.note", "f");
            TarEntries.put(tar, dated(f), "data\n".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry hard = new TarArchiveEntry("dir/hard", TarConstants.LF_LINK);
            hard.setLinkName("dir/file");
            TarEntries.put(tar, dated(hard), null);
            TarArchiveEntry link = new TarArchiveEntry("link", TarConstants.LF_SYMLINK);
            link.setLinkName("dir/file");
            TarEntries.put(tar, dated(link), null);
            TarArchiveEntry console = new TarArchiveEntry("console", TarConstants.LF_CHR);
            console.setMode(020600);
            console.setDevMajor(5);
            console.setDevMinor(1);
            TarEntries.put(tar, dated(console), null);
            TarArchiveEntry fifo = new TarArchiveEntry("fifo", TarConstants.LF_FIFO);
            fifo.setMode(010600);
            TarEntries.put(tar, dated(fifo), null);
        }
        return bytes.toByteArray();
    }

    /** The entry with the archive's one time. */
    private static TarArchiveEntry dated(TarArchiveEntry entry) {
        entry.setModTime(1_600_000_000_000L);
        return entry;
    }

    private Map<String, Map<String, String>> create(String... options) throws Exception {
        Path image = dir.resolve("image.sqfs");
        Files.deleteIfExists(image);
        List<String> args = new java.util.ArrayList<>(List.of("squashfs", "create", "-", image.toString(), "-tar",
                "-quiet"));
        args.addAll(List.of(options));
        CliRun r = CliRun.runWithInput(Map.of(), archive(), args.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());
        Map<String, Map<String, String>> xattrs = new TreeMap<>();
        try (SquashfsImage img = SquashfsImage.open(image)) {
            img.walk((path, inode) -> {
                String display = SquashfsImage.display(path);
                try {
                    ImageInode node = img.lookup(display, false);
                    xattrs.put(display.startsWith("/") ? display : "/" + display, hex(img.xattrs(node)));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertEquals(xattrs, kernelView(image, xattrs), "the kernel's xattrs");
        return xattrs;
    }

    @Test
    void excludeLeavesOutMatchingSourceXattrsAndAddGoesOnEveryEntry() throws Exception {
        Map<String, Map<String, String>> x = create("-xattrs-exclude", "^trusted\\.overlay\\.",
                "-xattrs-add", "user.comment=hi", "-xattrs-add", "security.selinux=0tsystem_u:object_r:etc_t:s0\\000");
        String selinux = text(SELINUX);
        Map<String, Map<String, String>> expected = new TreeMap<>();
        expected.put("/", map("security.selinux", selinux, "user.comment", text("hi")));
        expected.put("/dir", map("security.selinux", selinux, "user.comment", text("hi"), "user.note", text("d")));
        Map<String, String> file = map("security.selinux", selinux, "trusted.keep", text("k"), "user.comment", text("hi"),
                "user.note", text("f"));
        expected.put("/dir/file", file);
        expected.put("/dir/hard", file);
        // user.* xattrs only on regular files and directories, as xattr(7) and mksquashfs have it
        expected.put("/link", map("security.selinux", selinux));
        expected.put("/console", map("security.selinux", selinux));
        expected.put("/fifo", map("security.selinux", selinux));
        assertEquals(expected, x);
    }

    @Test
    void includeKeepsOnlyMatchingSourceXattrsAndBothPatternsCombine() throws Exception {
        Map<String, Map<String, String>> user = create("-xattrs-include", "^user\\.");
        assertEquals(map("user.note", text("d")), user.get("/dir"));
        assertEquals(map("user.note", text("f")), user.get("/dir/file"));

        // a name must match the include pattern and not the exclude one; [:alpha:] as POSIX spells it
        Map<String, Map<String, String>> both = create("-xattrs-include", "^trusted\\.", "-xattrs-exclude",
                "[[:alpha:]]+\\.overlay\\.r", "-xattrs-add", "trusted.added=0x00ff");
        assertEquals(map("trusted.added", "00ff", "trusted.overlay.opaque", text("y")), both.get("/dir"));
        assertEquals(map("trusted.added", "00ff", "trusted.keep", text("k")), both.get("/dir/file"));
        assertEquals(map("trusted.added", "00ff"), both.get("/link"));
    }

    @Test
    void anAddedXattrAnEntryAlreadyHasIsAnError() throws Exception {
        Path image = dir.resolve("image.sqfs");
        CliRun r = CliRun.runWithInput(Map.of(), archive(), "squashfs", "create", "-", image.toString(), "-tar",
                "-xattrs-add", "user.note=again");
        assertEquals(1, r.status, r.toString());
        assertEquals("strata: error: /dir already has xattr user.note (from its source or a pseudo definition);"
                + " -xattrs-add cannot add it again (leave it out of the source with -xattrs-exclude)", r.err.strip());
        assertTrue(Files.notExists(image), "no image after the error");

        CliRun excluded = CliRun.runWithInput(Map.of(), archive(), "squashfs", "create", "-", image.toString(), "-tar",
                "-quiet", "-xattrs-exclude", "^user\\.note$", "-xattrs-add", "user.note=again");
        assertEquals(0, excluded.status, excluded.toString());
    }

    @Test
    void theOptionsTurnXattrsOnAndRefuseWhatMksquashfsRefuses() throws Exception {
        Map<String, Map<String, String>> on = create("-no-xattrs", "-xattrs-add", "trusted.x=1");
        assertEquals(map("trusted.x", text("1"), "user.note", text("d"), "trusted.overlay.opaque", text("y"),
                "trusted.overlay.redirect", text("/old")), on.get("/dir"));

        Path image = dir.resolve("refused.sqfs");
        Map<List<String>, String> refused = new LinkedHashMap<>();
        refused.put(List.of("-xattrs-add", "user.a=b", "-no-xattrs"), "-no-xattrs after -xattrs-exclude, -xattrs-include"
                + " or -xattrs-add contradicts them (mksquashfs 4.6 refuses it too); leave one out");
        refused.put(List.of("-xattrs-add", "user.a"), "-xattrs-add user.a: no '=' (expected NAME=VALUE)");
        refused.put(List.of("-xattrs-add", "user.a="), "-xattrs-add user.a=: the xattr value is empty");
        refused.put(List.of("-xattrs-add", "system.a=b"), "-xattrs-add system.a=b: xattr system.a is not in a namespace"
                + " SquashFS stores (user., trusted., security.)");
        refused.put(List.of("-xattrs-add", "user.a=0x0g"), "-xattrs-add user.a=0x0g: xattr value '0x0g' is not hexadecimal");
        refused.put(List.of("-xattrs-add", "user.a=1", "-xattrs-add", "user.a=2"),
                "-xattrs-add gives xattr user.a twice; give each name once");
        refused.put(List.of("-xattrs-exclude", "a("), "-xattrs-exclude a(: not a valid regular expression (Unclosed group)");
        for (Map.Entry<List<String>, String> e : refused.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("squashfs", "create", "-", image.toString(), "-tar"));
            args.addAll(e.getKey());
            CliRun r = CliRun.runWithInput(Map.of(), archive(), args.toArray(String[]::new));
            assertEquals(2, r.status, e.getKey() + ": " + r);
            assertEquals("strata: error: " + e.getValue(), r.err.lines().findFirst().orElse(""), e.getKey().toString());
            assertTrue(Files.notExists(image), e.getKey() + ": no image");
        }
    }

    /** As root with loop devices: the xattrs getfattr reads from the mounted image; else the reader's own. */
    private Map<String, Map<String, String>> kernelView(Path image, Map<String, Map<String, String>> fallback)
            throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/getfattr"))) {
            System.out.println("XattrOptionsTest: kernel check skipped (needs root and getfattr from Debian's attr)");
            return fallback;
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        if (run(List.of("mount", "-t", "squashfs", "-o", "loop,ro", image.toString(), mnt.toString())) == null) {
            System.out.println("XattrOptionsTest: kernel check skipped (no loop mount here)");
            return fallback;
        }
        try {
            Map<String, Map<String, String>> view = new TreeMap<>();
            for (String path : fallback.keySet()) {
                String out = run(List.of("getfattr", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names",
                        mnt.resolve(path.replaceFirst("^/+", "")).toString()));
                Map<String, String> values = new TreeMap<>();
                for (String line : out == null ? List.<String>of() : out.lines().toList()) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        values.put(line.substring(0, eq), line.substring(eq + 3)); // drop "0x"
                    }
                }
                view.put(path, values);
            }
            return view;
        } finally {
            run(List.of("umount", mnt.toString()));
        }
    }

    /** Standard output, or null when the command failed. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? out : null;
    }

    private static Map<String, String> hex(Map<String, byte[]> xattrs) {
        Map<String, String> out = new TreeMap<>();
        xattrs.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }

    private static String text(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> map(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new TreeMap<>(m);
    }
}
