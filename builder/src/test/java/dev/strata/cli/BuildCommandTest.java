package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata build on every example under examples/: it builds, the kernel mounts the image with the
 * expected owners and device nodes, and a second build gives the same bytes. Bad input gives one
 * line and leaves nothing that looks complete.
 */
class BuildCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static List<Path> exampleSpecs() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.map(p -> p.resolve("strata.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyExampleBuildsTwiceToTheSameBytes() throws Exception {
        List<Path> specs = exampleSpecs();
        assertFalse(specs.isEmpty(), "no examples/*/strata.yaml found from " + EXAMPLES);
        for (Path spec : specs) {
            String name = spec.getParent().getFileName().toString();
            Path first = dir.resolve(name + "-1");
            Path second = dir.resolve(name + "-2");
            CliRun a = CliRun.run("build", spec.toString(), "-o", first.toString());
            assertEquals(0, a.status, a.toString());
            assertTrue(a.out.contains("rootfs.squashfs: "), a.out);
            assertEquals("", a.err, "an example builds without warnings");
            CliRun b = CliRun.run(Map.of(), "build", spec.toString(), "-o", second.toString(), "--processors", "1");
            assertEquals(0, b.status, b.toString());
            assertArrayEquals(Files.readAllBytes(first.resolve("rootfs.squashfs")),
                    Files.readAllBytes(second.resolve("rootfs.squashfs")), name + ": rootfs.squashfs differs");
            assertArrayEquals(Files.readAllBytes(first.resolve("manifest.json")),
                    Files.readAllBytes(second.resolve("manifest.json")), name + ": manifest.json differs");
            try (Stream<Path> left = Files.list(first)) {
                // a profile's images, images.json and sha256sums come too; no staging or temporary files
                List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
                assertTrue(names.containsAll(List.of("manifest.json", "rootfs.squashfs")), names.toString());
                assertTrue(names.stream().noneMatch(n -> n.startsWith(".")), "only the outputs are left: " + names);
            }
        }
    }

    @Test
    void routerExampleMountsInTheKernelWithItsOwnersAndDevices() throws Exception {
        Path out = dir.resolve("router");
        CliRun r = CliRun.run("build", EXAMPLES.resolve("router/strata.yaml").toString(), "-o", out.toString());
        assertEquals(0, r.status, r.toString());
        assumeTrue("root".equals(System.getProperty("user.name")),
                "kernel mount check skipped: needs root for mount -o loop (not running as root)");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        String mount = run("mount", "-t", "squashfs", "-o", "loop,ro", out.resolve("rootfs.squashfs").toString(),
                mnt.toString());
        assumeTrue(mount == null, "kernel mount check skipped: mount -t squashfs -o loop failed here: " + mount);
        try {
            assertEquals("crw------- 0:0 5,1", stat(mnt.resolve("dev/console")));
            assertEquals("crw-rw---- 0:4 4,66", stat(mnt.resolve("dev/ttyS2")));       // makedevs count, group adm
            assertEquals("brw-r----- 0:4 31,0", stat(mnt.resolve("dev/mtdblock0")));   // makedevs replaced pseudo
            assertEquals("prw------- 0:0", stat(mnt.resolve("dev/initctl")));
            assertEquals("-rw-r----- 0:453", stat(mnt.resolve("etc/dnsmasq.conf")));   // makedevs f, group by name
            assertEquals("-rw-r----- 101:101", stat(mnt.resolve("etc/config/hello"))); // ownership override
            assertEquals("drwx------ 0:0", stat(mnt.resolve("root")));
            assertEquals("drwxrwxrwt 0:0", stat(mnt.resolve("tmp")));
            assertEquals("-rwxr-xr-x 0:0", stat(mnt.resolve("usr/bin/hello")));
            assertEquals(Path.of("tmp"), Files.readSymbolicLink(mnt.resolve("var")));
            assertEquals("router\n", Files.readString(mnt.resolve("etc/hostname")));
            assertTrue(Files.readString(mnt.resolve("usr/lib/opkg/status")).contains("Package: router-tools\n"));
            assertTrue(Files.readString(mnt.resolve("etc/strata-release")).startsWith("NAME=\"router\"\nVERSION=\"1.0\"\n"));
            assertFalse(Files.exists(mnt.resolve("www/cgi-bin/status"), LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(mnt.resolve("usr/share/doc"), LinkOption.NOFOLLOW_LINKS));
        } finally {
            run("umount", mnt.toString());
        }
    }

    @Test
    void badInputIsOneLineAndLeavesNothingThatLooksComplete() throws Exception {
        Path out = dir.resolve("out");
        Path spec = dir.resolve("spec.yaml");
        // a previous good build in the same directory
        Files.writeString(spec, "name: t\nversion: \"1\"\nsource-date-epoch: 1\nsources:\n  - mkdir: /x\n");
        assertEquals(0, CliRun.run("build", spec.toString(), "-o", out.toString(), "-q").status);
        assertTrue(Files.exists(out.resolve("rootfs.squashfs")));

        Files.writeString(spec, "name: t\nversion: \"1\"\nsources:\n  - mkdir: /x\n  - file: /etc/motd\n"
                + "    content: hi\n    owner: www\n");
        CliRun r = CliRun.run("build", spec.toString(), "-o", out.toString());
        assertEquals(1, r.status, r.toString());
        assertEquals("strata: error: " + spec.getFileName() + ":7:5: unknown user 'www': the image has no /etc/passwd"
                + " (yet) to look it up in\n", r.err.replace(spec.toString(), spec.getFileName().toString())
                .replaceAll("strata: warning: .*\n", ""));
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList(), "a failed build leaves no image or manifest, not even old ones");
        }

        Files.writeString(spec, "name: t\nversion: \"1\"\nsourcs: []\n");
        CliRun typo = CliRun.run("build", spec.toString(), "-o", out.toString());
        assertEquals(1, typo.status);
        assertEquals(1, typo.err.lines().count(), typo.err);
        assertTrue(typo.err.contains(":3:1: unknown key 'sourcs' in the spec; did you mean 'sources'?"), typo.err);
    }

    /**
     * A tar header with a wrong checksum is refused (GNU tar refuses it too; commons-compress would
     * hand it over), and the message stays one line though it quotes a name with a newline and an
     * escape sequence in it.
     */
    @Test
    void aDamagedTarHeaderIsRefusedOnOneLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (String name : List.of("etc/motd", "etc/issue\n\u001b[2Jfake: ok")) {
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setSize(1);
                out.putArchiveEntry(entry);
                out.write('x');
                out.closeArchiveEntry();
            }
        }
        byte[] tar = bytes.toByteArray();
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, "name: t\nversion: \"1\"\nsource-date-epoch: 1\nsources:\n  - tar: evil.tar\n");
        Files.write(dir.resolve("evil.tar"), tar);
        assertEquals(0, CliRun.run("build", spec.toString(), "-o", dir.resolve("good").toString()).status,
                "the undamaged archive builds");

        int header = new String(tar, StandardCharsets.ISO_8859_1).lastIndexOf("etc/issue");
        assertEquals(0, header % 512, "a ustar header starts with the name");
        tar[header + 100] ^= 1; // one bit of the mode field
        Files.write(dir.resolve("evil.tar"), tar);
        CliRun r = CliRun.run("build", spec.toString(), "-o", dir.resolve("out").toString());
        assertEquals(1, r.status, r.toString());
        assertEquals(List.of("strata: error: evil.tar: entry 'etc/issue\\x0a\\x1b[2Jfake: ok': its tar header at byte "
                + header + " does not match its checksum: the archive is damaged (GNU tar refuses it too); make it again"),
                r.err.replace(dir.toString() + "/", "").lines().toList());
    }

    private static String stat(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        char type = switch (mode & 0170000) {
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            default -> '-';
        };
        StringBuilder sb = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            boolean set = (mode & (0400 >> i)) != 0;
            char c = set ? rwx.charAt(i) : '-';
            if (i == 8 && (mode & 01000) != 0) {
                c = set ? 't' : 'T';
            }
            if (i == 2 && (mode & 04000) != 0) {
                c = set ? 's' : 'S';
            }
            sb.append(c);
        }
        sb.append(' ').append(a.get("uid")).append(':').append(a.get("gid"));
        if (type == 'c' || type == 'b') {
            long rdev = ((Number) a.get("rdev")).longValue();
            sb.append(' ').append((rdev >> 8) & 0xFFF).append(',').append((rdev & 0xFF) | ((rdev >> 12) & 0xFFF00));
        }
        return sb.toString();
    }

    /** null on success, otherwise the command's output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : out.strip();
    }
}
