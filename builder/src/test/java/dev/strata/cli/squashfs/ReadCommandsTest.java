package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strata squashfs ls, cat, info and extract on an image made by mksquashfs: the long listing is
 * unsquashfs -lln's, extraction equals unsquashfs -d's, and mistakes end in one error line.
 */
class ReadCommandsTest {
    @TempDir
    Path temp;

    private Path image;

    @BeforeEach
    void makeImage() throws Exception {
        Unsquashfs.assumeInstalled();
        Path src = Files.createDirectories(temp.resolve("src/etc/config"));
        Files.writeString(src.resolve("network"), "config interface 'lan'\n");
        Files.writeString(temp.resolve("src/etc/passwd"), "root:x:0:0:root:/root:/bin/ash\n");
        Files.createSymbolicLink(temp.resolve("src/etc/localtime"), Path.of("/tmp/TZ"));
        Files.createDirectories(temp.resolve("src/bin"));
        byte[] busybox = new byte[300_000];
        new java.util.Random(1).nextBytes(busybox);
        Files.write(temp.resolve("src/bin/busybox"), busybox);
        Files.setPosixFilePermissions(temp.resolve("src/bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createLink(temp.resolve("src/bin/sh"), temp.resolve("src/bin/busybox"));
        image = temp.resolve("root.sqfs");
        List<String> cmd = List.of("mksquashfs", temp.resolve("src").toString(), image.toString(), "-noappend",
                "-no-progress", "-quiet", "-comp", "xz", "-all-root", "-mkfs-time", "1700000000", "-all-time",
                "1700000000", "-p", "dev d 755 0 0", "-p", "dev/console c 600 0 0 5 1", "-p", "dev/fifo i 644 0 0 f");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void longListingIsUnsquashfsLln() throws Exception {
        CliRun run = CliRun.run("squashfs", "ls", "-l", image.toString());
        assertEquals(0, run.status, run.toString());
        List<String> expected = new ArrayList<>();
        for (String line : Unsquashfs.listing(image)) {
            if (line.contains("squashfs-root")) {
                expected.add(line.replace(" squashfs-root/", " /").replaceAll(" squashfs-root$", " /"));
            }
        }
        assertEquals(expected, List.of(run.out.split("\n")));
    }

    @Test
    void shortListingAndJsonBelowAPath() {
        CliRun run = CliRun.run("squashfs", "ls", image.toString(), "/etc");
        assertEquals(List.of("/etc", "/etc/config", "/etc/config/network", "/etc/localtime", "/etc/passwd"),
                List.of(run.out.split("\n")));
        CliRun json = CliRun.run("squashfs", "ls", "--json", image.toString(), "/dev");
        assertTrue(json.out.contains("{\"path\": \"/dev/console\", \"type\": \"char-device\", \"mode\": \"0600\""),
                json.out);
        assertTrue(json.out.contains("\"major\": 5, \"minor\": 1"), json.out);
    }

    @Test
    void catWritesTheFileFollowingSymlinks() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        CliRun run;
        try {
            System.setOut(new PrintStream(captured, true));
            run = CliRun.run("squashfs", "cat", image.toString(), "etc/passwd", "/etc/config/../config/network");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, run.status, run.toString());
        assertEquals("root:x:0:0:root:/root:/bin/ash\nconfig interface 'lan'\n", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoDescribesTheImage() {
        CliRun run = CliRun.run("squashfs", "info", image.toString());
        assertEquals(0, run.status, run.toString());
        assertTrue(run.out.contains("compressor: xz\n"), run.out);
        assertTrue(run.out.contains("block size: 131072\n"), run.out);
        assertTrue(run.out.contains("char devices: 1\n"), run.out);
        assertTrue(run.out.contains("hard linked inodes: 1\n"), run.out);
        assertTrue(run.out.contains("largest files:\n  300000 /bin/busybox\n"), run.out);
        CliRun json = CliRun.run("squashfs", "info", "--json", image.toString());
        assertTrue(json.out.startsWith("{\"offset\": 0, \"version\": \"4.0\""), json.out);
    }

    @Test
    void extractMakesWhatUnsquashfsMakes() throws Exception {
        Path ours = temp.resolve("ours");
        CliRun run = CliRun.run("squashfs", "extract", image.toString(), ours.toString());
        assertEquals(0, run.status, run.toString());
        assertTrue(run.out.startsWith("extracted 12 entries"), run.out);
        Path theirs = temp.resolve("theirs");
        Unsquashfs.run("unsquashfs", "-n", "-d", theirs.toString(), image.toString());
        assertEquals(describe(theirs), describe(ours));

        CliRun one = CliRun.run("squashfs", "extract", image.toString(), temp.resolve("one").toString(), "/bin/busybox");
        assertEquals(0, one.status, one.toString());
        assertTrue(one.out.startsWith("extracted 1 entry, 300000 bytes of files"), one.out);
    }

    @Test
    void mistakesEndInOneErrorLine() throws IOException {
        CliRun missing = CliRun.run("squashfs", "ls", image.toString(), "/nope");
        assertEquals(1, missing.status);
        assertEquals("strata: error: /nope: no such file or directory\n", missing.err);

        CliRun directory = CliRun.run("squashfs", "cat", image.toString(), "/etc");
        assertEquals("strata: error: /etc: not a regular file (a directory)\n", directory.err);

        byte[] broken = Files.readAllBytes(image);
        broken[12] = 3; // block size 131075
        Path corrupt = Files.write(temp.resolve("corrupt.sqfs"), broken);
        CliRun bad = CliRun.run("squashfs", "info", "--offset", "0", corrupt.toString());
        assertEquals(1, bad.status);
        assertTrue(bad.err.matches("strata: error: superblock block size \\d+ is not a power of two from 4 KiB to 1 MiB"
                + " \\(byte offset 12\\)\n"), bad.err);

        Files.writeString(Files.createDirectories(temp.resolve("full")).resolve("x"), "x");
        CliRun notEmpty = CliRun.run("squashfs", "extract", image.toString(), temp.resolve("full").toString());
        assertEquals(1, notEmpty.status);
        assertTrue(notEmpty.err.contains("not empty"), notEmpty.err);
    }

    /** Every path below root with its type, mode, size, time and content digest or link target. */
    private static TreeMap<String, String> describe(Path root) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                var a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
                String extra = "";
                if (Files.isSymbolicLink(p)) {
                    extra = " -> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    extra = " sha256 " + HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                }
                out.put(root.relativize(p).toString(), Integer.toOctalString((Integer) a.get("mode")) + " "
                        + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "" : a.get("size")) + " "
                        + a.get("lastModifiedTime") + " nlink " + a.get("nlink") + " rdev " + a.get("rdev") + extra);
            }
        }
        return out;
    }
}
