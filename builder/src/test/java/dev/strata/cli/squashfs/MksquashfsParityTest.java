package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The drop-in claim, checked against the real program: the same command line given to mksquashfs and
 * to strata squashfs create must give images that unsquashfs lists identically (names, types, modes,
 * owners, sizes, times, device numbers, symlink targets).
 */
class MksquashfsParityTest {
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Path ROOT = EXAMPLES.resolve("tiny-root");

    @TempDir
    static Path dir;
    static Path pseudo;

    @BeforeAll
    static void tools() throws IOException {
        Unsquashfs.assumeInstalled();
        assumeTrue(onPath("mksquashfs"), "mksquashfs (Debian package squashfs-tools) is not installed");
        assumeTrue(Files.isDirectory(ROOT), "examples/tiny-root not found from " + EXAMPLES);
        pseudo = Files.writeString(dir.resolve("extra.pseudo"), String.join("\n",
                "# every pseudo type mksquashfs 4.5 knows",
                "/dev d 755 0 0",
                "/dev/console c 600 0 0 5 1",
                "/dev/sda B 1600000000 660 0 6 8 0",
                "/dev/log i 666 0 0 s",
                "/dev/initctl I 1600000000 600 0 0 f",
                "/etc/version f 444 0 0 echo built by a pseudo command",
                "/etc/motd F 1600000000 644 0 0 \\",
                "  printf 'line one\\nline two\\n'",
                "/usr/bin/console-link L dev/console",
                "/opt D 1600000000 750 0 0",
                "/opt/empty d 755 0 0",
                "\"/etc/with space\" s 777 0 0 hostname",
                "/etc/hostname-copy l " + ROOT.resolve("etc/hostname"),
                "/etc/shadow m 600 0 0",
                "/etc/config M 1500000000 700 1 2",
                "/www d 700 0 0",
                "") + "\n");
    }

    static Stream<Arguments> commandLines() {
        String root = ROOT.toString();
        return Stream.of(
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-root", "-all-time", "1000",
                        "-pf", EXAMPLES.resolve("tiny-root.pseudo").toString())),
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-time", "1000", "-pf", "PSEUDO")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-nopad", "-noappend", "-root-owned", "-comp", "xz", "-Xbcj",
                        "x86", "-b", "256k", "-p", "/dev d 755 0 0", "-p", "/dev/console c 600 0 0 5 1", "-all-time",
                        "9")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-comp", "zstd", "-Xcompression-level", "19", "-b", "1M",
                        "-all-time", "9", "-no-fragments", "-no-duplicates", "-no-exports", "-no-xattrs")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-comp", "lzo", "-all-time", "9", "-tailends", "-b", "4K")),
                Arguments.of(Map.of("SOURCE_DATE_EPOCH", "1000"), List.of(root, "OUT", "-force-uid", "1000",
                        "-force-gid", "100")),
                Arguments.of(Map.of(), List.of(root + "/etc", root + "/www", root + "/bin/busybox",
                        root + "/usr/share/doc/tiny-root", EXAMPLES + "/tiny-root.pseudo", "OUT", "-all-time", "5",
                        "-root-owned")),
                Arguments.of(Map.of(), List.of(root + "/etc", root + "/etc/config", root + "/usr/share/doc/tiny-root",
                        "OUT", "-all-time", "5", "-all-root")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-time", "7", "-keep-as-directory", "-all-root")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-root-mode", "0700", "-root-uid", "12", "-root-gid", "34",
                        "-root-time", "99")),
                // -all-root and -all-time have the last word over the root's own options, as in mksquashfs
                Arguments.of(Map.of(), List.of(root, "OUT", "-root-mode", "1777", "-root-uid", "12", "-root-time", "99",
                        "-all-root", "-all-time", "5")),
                Arguments.of(Map.of("SOURCE_DATE_EPOCH", "1000"), List.of(root, "OUT", "-root-time", "2000",
                        "-root-gid", "7")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-time", "7", "-e", "etc/config", "www/cgi-bin/status",
                        "sbin/init")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-time", "7", "-wildcards", "-e", "... *.css",
                        "etc/config/w*", "*/init.d/!(rc*)", "usr/*/[a-f]*")),
                Arguments.of(Map.of(), List.of(root, "OUT", "-all-time", "7", "-regex", "-e", "^usr$", "... ^S[0-9]+",
                        "etc/conf")),
                Arguments.of(Map.of(), List.of(root + "/etc", root + "/www", "OUT", "-all-time", "7", "-wildcards",
                        "-e", "etc/init.d", "www/*.html")));
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void sameListingAsMksquashfs(Map<String, String> env, List<String> template) throws Exception {
        Path theirs = dir.resolve("mksquashfs.img");
        Path ours = dir.resolve("strata.img");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);

        List<String> mksquashfs = new ArrayList<>(List.of("mksquashfs"));
        mksquashfs.addAll(substitute(template, theirs));
        int excludes = mksquashfs.indexOf("-e");
        // before -e, which takes the rest of the line
        mksquashfs.addAll(excludes < 0 ? mksquashfs.size() : excludes, List.of("-no-progress", "-quiet"));
        run(env, mksquashfs);

        List<String> strata = new ArrayList<>(List.of("squashfs", "create"));
        strata.addAll(substitute(template, ours));
        CliRun r = CliRun.run(env, strata.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());

        assertEquals(String.join("\n", Unsquashfs.listing(theirs)).replace(theirs.toString(), "IMG"),
                String.join("\n", Unsquashfs.listing(ours)).replace(ours.toString(), "IMG"),
                String.join(" ", template));
    }

    /** -sort moves data and inodes: with gzip (zlib in both) the two images are identical byte for byte. */
    @Test
    void sortFileGivesMksquashfsImageByteForByte() throws Exception {
        Path sort = Files.writeString(dir.resolve("boot-order.sort"), String.join("\n",
                "# what the device reads first goes first",
                "etc/inittab 100",
                "www 50",
                "  etc/init.d   20  ",
                ROOT.resolve("etc/passwd") + " 20",
                "sbin -3",
                "no/such/file 9",
                ""));
        Path theirs = dir.resolve("sorted-mksquashfs.img");
        Path ours = dir.resolve("sorted-strata.img");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);
        run(Map.of(), List.of("mksquashfs", ROOT.toString(), theirs.toString(), "-sort", sort.toString(),
                "-all-time", "9", "-mkfs-time", "9", "-b", "4K", "-no-progress", "-quiet"));
        CliRun r = CliRun.run("squashfs", "create", ROOT.toString(), ours.toString(), "-sort", sort.toString(),
                "-all-time", "9", "-mkfs-time", "9", "-b", "4K", "-quiet");
        assertEquals(0, r.status, r.toString());
        assertEquals(List.of("strata: warning: " + sort + ":7: 'no/such/file' is in no source directory; its priority"
                + " is ignored"), r.err.lines().toList());
        byte[] expected = Files.readAllBytes(theirs);
        byte[] actual = Files.readAllBytes(ours);
        assertEquals(-1, java.util.Arrays.mismatch(expected, actual), "first differing byte");

        Files.writeString(sort, "etc/passwd high\n");
        CliRun bad = CliRun.run("squashfs", "create", ROOT.toString(), ours.toString(), "-noappend", "-sort",
                sort.toString());
        assertEquals(1, bad.status, bad.toString());
        assertEquals(List.of("strata: error: " + sort + ":1: priority 'high' is not a whole number from -32768 to"
                + " 32767"), bad.err.lines().toList());
    }

    private static List<String> substitute(List<String> template, Path out) {
        return template.stream().map(a -> a.equals("OUT") ? out.toString()
                : a.equals("PSEUDO") ? pseudo.toString() : a).toList();
    }

    private static void run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("SOURCE_DATE_EPOCH");
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
