package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewCommandTest {
    @TempDir
    Path dir;
    Path image;
    Path upper;

    private static FileNode file(String s) {
        return new FileNode(FileContent.of(s.getBytes(StandardCharsets.UTF_8)), 0644);
    }

    /** The tree as a gzip image at image. */
    private static Path write(FileTree tree, Path image) throws IOException {
        new SquashfsWriter(WriterOptions.builder(Compressors.defaults(CompressorId.GZIP, 131072)).mkfsTime(0)
                .processors(1).build()).write(tree, image);
        return image;
    }

    @BeforeEach
    void layers() throws IOException {
        FileTree rom = new FileTree();
        rom.put("etc/config/network", file("factory network\n"));
        rom.put("etc/passwd", file("root:x:0:0\n"));
        rom.put("bin/sh", file("#!busybox\n"));
        rom.put("bin/ash", new SymlinkNode("sh"));
        image = write(rom, dir.resolve("root.sqfs"));
        upper = dir.resolve("upper.tar");
        try (OutputStream os = Files.newOutputStream(upper); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry root = new TarArchiveEntry("./");
            root.addPaxHeader("SCHILY.xattr.trusted.overlay.impure", "y");
            put(tar, root, null);
            put(tar, new TarArchiveEntry("./etc/"), null);
            put(tar, new TarArchiveEntry("./etc/config/"), null);
            put(tar, new TarArchiveEntry("./etc/config/network"), "my network\n");
            put(tar, new TarArchiveEntry("./etc/passwd", TarConstants.LF_CHR), null);
            TarArchiveEntry bin = new TarArchiveEntry("./bin/");
            bin.addPaxHeader("SCHILY.xattr.trusted.overlay.opaque", "y");
            put(tar, bin, null);
            put(tar, new TarArchiveEntry("./bin/busybox"), "new\n");
            put(tar, new TarArchiveEntry("./root/"), null);
            put(tar, new TarArchiveEntry("./root/notes"), "hello\n");
        }
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, String content) throws IOException {
        byte[] b = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
        if (content != null) {
            e.setSize(b.length);
        }
        tar.putArchiveEntry(e);
        tar.write(b);
        tar.closeArchiveEntry();
    }

    @Test
    void listsTheMergedRootWithTheLayerOfEachEntry() {
        CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("/etc/config/network  [upper]"), r.out);
        assertTrue(r.out.contains("/etc/config  [upper]") || r.out.contains("/etc/config  [root.sqfs]"), r.out);
        assertFalse(r.out.contains("/etc/passwd"), "whiteout");
        assertFalse(r.out.contains("/bin/sh"), "opaque /bin");
        assertTrue(r.out.contains("/bin/busybox  [upper]"), r.out);
        CliRun factory = CliRun.run("preview", image.toString(), "/bin");
        assertTrue(factory.out.contains("/bin/ash -> sh  [root.sqfs]"), factory.out);
    }

    @Test
    void diffNamesEveryKindOfChange() {
        CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--diff");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("O /bin  (") && r.out.contains("opaque: hides the factory content"), r.out);
        assertTrue(r.out.contains("A /bin/busybox  (added file)"), r.out);
        assertTrue(r.out.contains("D /bin/sh  (deleted file)"), r.out);
        assertTrue(r.out.contains("M /etc/config/network  (content"), r.out);
        assertTrue(r.out.contains("D /etc/passwd  (deleted file)"), r.out);
        assertTrue(r.out.contains("A /root/notes  (added file)"), r.out);
        CliRun json = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--diff", "--json");
        assertTrue(json.out.contains("{\"after\": \"file\", \"changes\": [\"added\"], \"path\": \"/root/notes\"}"), json.out);
    }

    @Test
    void jsonListingOfASubtree() {
        CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "/etc", "--json");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.startsWith("[\n  {"), r.out);
        assertTrue(r.out.contains("\"path\": \"/etc/config/network\", \"size\": 11, \"type\": \"file\""), r.out);
    }

    @Test
    void catPrintsTheMergedFileFollowingSymlinksInsideTheImage() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true));
        try {
            CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "cat", "/etc/config/network");
            assertEquals(0, r.status, r.toString());
            assertEquals("my network\n", bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            CliRun link = CliRun.run("preview", image.toString(), "cat", "/bin/ash");
            assertEquals(0, link.status, link.toString());
            assertEquals("#!busybox\n", bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
        CliRun gone = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "cat", "/etc/passwd");
        assertEquals(1, gone.status);
        assertTrue(gone.err.contains("no such file"), gone.err);
    }

    @Test
    void resetKeepsTheListedPaths() throws IOException {
        Path keep = Files.writeString(dir.resolve("sysupgrade.conf"), "/etc/config\n");
        CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--reset", "--keep", keep.toString());
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("/etc/config/network  [upper]"), r.out);
        assertTrue(r.out.contains("/etc/passwd  [root.sqfs]"), r.out);
        assertTrue(r.out.contains("/bin/sh  [root.sqfs]"), r.out);
        assertFalse(r.out.contains("/root/notes"), r.out);
    }

    @Test
    void exportWritesTheMergedRootAsDirectoryAndTar() throws IOException {
        Path out = dir.resolve("merged");
        CliRun r = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--export", out.toString());
        assertEquals(0, r.status, r.toString());
        assertEquals("my network\n", Files.readString(out.resolve("etc/config/network")));
        assertFalse(Files.exists(out.resolve("etc/passwd")));
        assertTrue(Files.exists(out.resolve("root/notes")));
        Path tar = dir.resolve("merged.tar");
        CliRun t = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--export", tar.toString());
        assertEquals(0, t.status, t.toString());
        assertTrue(Files.size(tar) > 1024);
        CliRun again = CliRun.run("preview", image.toString(), "--export", tar.toString());
        assertEquals(1, again.status, "never overwrites");
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void exportOfAFifoSetsItsTimeWithoutOpeningIt() throws IOException {
        FileTree rom = new FileTree();
        rom.put("run/initctl", new dev.strata.squashfs.tree.IpcNode(dev.strata.squashfs.tree.NodeType.FIFO, 0600)
                .setMtime(1_600_000_000L));
        Path out = dir.resolve("fifo-export");
        CliRun r = CliRun.run("preview", write(rom, dir.resolve("fifo.sqfs")).toString(), "--export", out.toString());
        assertEquals(0, r.status, r.toString());
        Path fifo = out.resolve("run/initctl");
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "exported as a fifo");
        assertEquals(1_600_000_000_000L, Files.getLastModifiedTime(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS).toMillis());
    }

    /**
     * Device nodes and fifos are made after the walk by one shell: their second names are linked
     * afterwards, and their times, modes and owners are the image's. Without root, devices (and links
     * to them) are reported, fifos still made.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void exportMakesDeviceNodesAndFifosWithTheirLinksTimesAndOwners() throws IOException {
        FileTree rom = new FileTree();
        dev.strata.squashfs.tree.Node nul = new dev.strata.squashfs.tree.DeviceNode(
                dev.strata.squashfs.tree.NodeType.CHAR_DEVICE, 1, 3, 0666).setMtime(1_500_000_000L);
        rom.put("dev/null", nul);
        rom.put("dev/null-again", nul);
        rom.put("dev/sda", new dev.strata.squashfs.tree.DeviceNode(dev.strata.squashfs.tree.NodeType.BLOCK_DEVICE,
                8, 0, 0660).setGid(6).setMtime(1_500_000_001L));
        dev.strata.squashfs.tree.Node fifo = new dev.strata.squashfs.tree.IpcNode(dev.strata.squashfs.tree.NodeType.FIFO,
                0620).setUid(7).setMtime(1_500_000_002L);
        rom.put("run/initctl", fifo);
        rom.put("run/initctl-link", fifo);
        Path out = dir.resolve("special-export");
        CliRun r = CliRun.run("preview", write(rom, dir.resolve("special.sqfs")).toString(), "--export", out.toString());
        assertEquals(0, r.status, r.toString());
        boolean root = "root".equals(System.getProperty("user.name"));
        java.nio.file.LinkOption nofollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        Path initctl = out.resolve("run/initctl");
        assertTrue(Files.readAttributes(initctl, java.nio.file.attribute.PosixFileAttributes.class, nofollow).isOther(),
                "exported as a fifo");
        assertEquals(1_500_000_002L, Files.getLastModifiedTime(initctl, nofollow).toMillis() / 1000);
        assertEquals(0620, (int) Files.getAttribute(initctl, "unix:mode", nofollow) & 07777);
        assertEquals(Files.getAttribute(initctl, "unix:ino", nofollow),
                Files.getAttribute(out.resolve("run/initctl-link"), "unix:ino", nofollow), "one fifo, two names");
        if (!root) {
            assertTrue(r.out.contains("needs root") || r.err.contains("needs root"), r.toString());
            assertFalse(Files.exists(out.resolve("dev/null-again"), nofollow));
            return;
        }
        assertEquals(7, Files.getAttribute(initctl, "unix:uid", nofollow));
        Path devNull = out.resolve("dev/null");
        assertEquals((1L << 8) | 3, ((Number) Files.getAttribute(devNull, "unix:rdev", nofollow)).longValue());
        assertEquals(0666, (int) Files.getAttribute(devNull, "unix:mode", nofollow) & 07777);
        assertEquals(1_500_000_000L, Files.getLastModifiedTime(devNull, nofollow).toMillis() / 1000);
        assertEquals(Files.getAttribute(devNull, "unix:ino", nofollow),
                Files.getAttribute(out.resolve("dev/null-again"), "unix:ino", nofollow), "one node, two names");
        Path sda = out.resolve("dev/sda");
        assertEquals((8L << 8), ((Number) Files.getAttribute(sda, "unix:rdev", nofollow)).longValue());
        assertEquals(6, Files.getAttribute(sda, "unix:gid", nofollow));
        assertEquals(1_500_000_001L, Files.getLastModifiedTime(sda, nofollow).toMillis() / 1000);
    }

    @Test
    void findsTheSquashfsInsideAFlashableImage() throws IOException {
        Path disk = dir.resolve("disk.img");
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileChannel in = FileChannel.open(image)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[4 * 512 * 1024]));
            in.transferTo(0, in.size(), ch);
        }
        CliRun r = CliRun.run("preview", disk.toString(), "/etc/passwd");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("/etc/passwd  [disk.img]"), r.out);
    }

    @Test
    void badInputsGiveClearErrors() throws IOException {
        Path notSquashfs = Files.writeString(dir.resolve("notes.txt"), "hello");
        CliRun r = CliRun.run("preview", notSquashfs.toString());
        assertEquals(1, r.status);
        assertTrue(r.err.contains("not a squashfs image, and no squashfs found inside it"), r.err);
        Path evil = dir.resolve("evil.tar");
        try (OutputStream os = Files.newOutputStream(evil); TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
            put(tar, new TarArchiveEntry("../../etc/cron.d/x"), "boom");
        }
        CliRun e = CliRun.run("preview", image.toString(), "--upper", evil.toString());
        assertEquals(1, e.status);
        assertTrue(e.err.contains("climbs out of the layer"), e.err);
        CliRun path = CliRun.run("preview", image.toString(), "/no/such");
        assertEquals(1, path.status);
        CliRun format = CliRun.run("preview", image.toString(), "--upper", upper.toString(), "--upper-format", "zip");
        assertEquals(2, format.status);
    }
}
