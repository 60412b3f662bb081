package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole create runs, read back with unsquashfs. */
class CreateImageTest {
    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void makeRoot() throws IOException {
        Unsquashfs.assumeInstalled();
        root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("etc/init.d"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/init.d/rcS"), "#!/bin/sh\necho up\n");
        Files.writeString(root.resolve("tmp/scratch.o"), "junk");
        Files.writeString(root.resolve("bin/busybox"), "#!/bin/sh\n");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
    }

    private static String entry(List<String> listing, String path) {
        return listing.stream().filter(l -> l.endsWith(" squashfs-root" + path) || l.contains(" squashfs-root" + path + " -> "))
                .findFirst().orElseThrow(() -> new AssertionError(path + " not in\n" + String.join("\n", listing)));
    }

    @Test
    void openWrtStyleCommandLine() throws Exception {
        Path image = dir.resolve("out/root.squashfs");
        CliRun r = CliRun.run(Map.of("SOURCE_DATE_EPOCH", "1700000000"), "squashfs", "create", root.toString(),
                image.toString(), "-nopad", "-noappend", "-root-owned", "-b", "256k",
                "-p", "/dev d 755 0 0", "-p", "/dev/console c 600 0 0 5 1", "-wildcards", "-e", "... *.o");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.startsWith(image + ": "), r.out);
        assertTrue(r.out.contains(" inodes, "), r.out);
        assertTrue(r.out.contains("block size 256K"), r.out);
        assertTrue(r.out.contains("Look inside: unsquashfs -lls " + image), r.out);
        List<String> listing = Unsquashfs.listing(image);
        assertTrue(entry(listing, "/dev/console").startsWith("crw------- 0/0"), entry(listing, "/dev/console"));
        assertTrue(entry(listing, "/dev/console").contains("5,  1"), entry(listing, "/dev/console"));
        assertTrue(entry(listing, "/bin/sh").endsWith("/bin/sh -> busybox"));
        assertTrue(entry(listing, "/etc/passwd").matches("-rw-[-rw]{6} 0/0 .*"), entry(listing, "/etc/passwd"));
        assertFalse(String.join("\n", listing).contains("scratch.o"), "excluded by -wildcards -e");
        assertTrue(entry(listing, "/dev/console").contains("2023-11-14 22:13"), "times clamped to SOURCE_DATE_EPOCH");
        assertTrue(Unsquashfs.stat(image).contains("Block size 262144"), Unsquashfs.stat(image));
    }

    @Test
    void severalSourcesAndAllTime() throws Exception {
        Path extra = Files.createDirectories(dir.resolve("extra"));
        Files.writeString(extra.resolve("note"), "hi");
        Path image = dir.resolve("multi.img");
        CliRun r = CliRun.run("squashfs", "create", root.toString(), extra.toString(),
                root.resolve("etc/passwd").toString(), image.toString(), "-all-time", "86400", "-force-uid", "1000",
                "-quiet");
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.out, "-quiet prints nothing");
        List<String> listing = Unsquashfs.listing(image);
        assertTrue(entry(listing, "/root/etc/passwd").contains(" 1000/"));
        assertTrue(entry(listing, "/extra/note").contains("1970-01-02 00:00"), entry(listing, "/extra/note"));
        entry(listing, "/passwd");
    }

    @Test
    void infoListsTheTree() {
        CliRun r = CliRun.run("squashfs", "create", root.toString(), dir.resolve("i.img").toString(), "-info",
                "-p", "/run i 600 0 0 f");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("directory /\n"), r.out);
        assertTrue(r.out.contains("file /etc/passwd, 30 bytes\n"), r.out);
        assertTrue(r.out.contains("symlink /bin/sh -> busybox\n"), r.out);
        assertTrue(r.out.contains("fifo /run\n"), r.out);
    }

    @Test
    void noappendReplacesAnExistingImage() throws Exception {
        Path image = dir.resolve("again.img");
        assertEquals(0, CliRun.run("squashfs", "create", root.toString(), image.toString()).status);
        Files.writeString(root.resolve("etc/new-file"), "new");
        CliRun r = CliRun.run("squashfs", "create", root.toString(), image.toString(), "-noappend");
        assertEquals(0, r.status, r.toString());
        entry(Unsquashfs.listing(image), "/etc/new-file");
    }

    @Test
    void outputInsideTheSourceIsFineWhenExcluded() throws Exception {
        Path image = root.resolve("tmp/self.img");
        CliRun r = CliRun.run("squashfs", "create", root.toString(), image.toString(), "-e", "tmp");
        assertEquals(0, r.status, r.toString());
        assertFalse(String.join("\n", Unsquashfs.listing(image)).contains("/tmp"));
    }

    @Test
    void xzWithCompressorOptions() throws Exception {
        Path image = dir.resolve("xz.img");
        CliRun r = CliRun.run("squashfs", "create", root.toString(), image.toString(), "-comp", "xz", "-Xbcj", "x86",
                "-b", "64K");
        assertEquals(0, r.status, r.toString());
        assertTrue(Unsquashfs.stat(image).contains("Compression xz"), Unsquashfs.stat(image));
        entry(Unsquashfs.listing(image), "/etc/init.d/rcS");
    }
}
