package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extractor makes what unsquashfs -d makes: the same snapshot (contents, modes, owners, times,
 * devices, fifos, sockets, symlinks, hard links, xattrs of every namespace as root), sparse files as
 * holes; without root it lists what it could not make; it extracts chosen paths; and it writes
 * nothing outside the destination, even from an image crafted to try.
 */
class ImageExtractorTest {
    @TempDir
    Path temp;

    @Test
    void extractsWhatUnsquashfsExtracts() throws Exception {
        MksquashfsImages.assumeAvailable();
        Path image = MksquashfsImages.build(MksquashfsImages.everyKind(4096), temp.resolve("image.sqfs"),
                List.of("-comp", "xz", "-b", "4K"));
        Path theirs = temp.resolve("unsquashfs");
        ExternalCommand.runChecked("unsquashfs", "-n", "-d", theirs.toString(), image.toString());
        Path ours = temp.resolve("ours");
        ImageExtractor.Report report;
        try (SquashfsImage read = SquashfsImage.open(image)) {
            report = new ImageExtractor(read, new ImageExtractor.Options(true, 2)).extract(ours);
        }
        assertEquals(List.of(), report.skipped());
        FsSnapshot.of(theirs, true).assertMatches(FsSnapshot.of(ours, true), "ImageExtractor vs unsquashfs -d");
        long theirBlocks = allocatedBlocks(theirs.resolve("files/holes"));
        long ourBlocks = allocatedBlocks(ours.resolve("files/holes"));
        assertTrue(ourBlocks <= theirBlocks + 8, "holes stay holes: " + ourBlocks + " blocks vs " + theirBlocks);
        assertTrue(ourBlocks * 512 < Files.size(ours.resolve("files/holes")), "the sparse file has holes");
    }

    @Test
    void withoutRootItReportsWhatItCouldNotMake() throws IOException {
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(TreeGenerator.everyKind(4096),
                image);
        ImageExtractor.Report report;
        try (SquashfsImage read = SquashfsImage.open(image)) {
            report = new ImageExtractor(read, new ImageExtractor.Options(false, 2)).extract(temp.resolve("out"));
        }
        assertTrue(report.skipped().stream().anyMatch(s -> s.startsWith("/special/console: device node 5:1")),
                String.join("\n", report.skipped()));
        assertTrue(report.skipped().stream().anyMatch(s -> s.contains("xattr trusted.x not written (needs root)")),
                String.join("\n", report.skipped()));
        assertTrue(report.skipped().stream().anyMatch(s -> s.startsWith("/names/LLLL") && s.endsWith(
                "not made: File name too long")), "256-byte names do not fit ext4 and tmpfs: "
                + String.join("\n", report.skipped()));
        assertTrue(Files.isRegularFile(temp.resolve("out/files/text-100")));
    }

    @Test
    void extractsChosenPathsWithTheirLeadingDirectories() throws IOException {
        Path image = temp.resolve("image.sqfs");
        FileTree tree = TreeGenerator.everyKind(4096);
        new SquashfsWriter(ImageConfig.of(CompressorId.LZ4, 4096).options()).write(tree, image);
        Path out = temp.resolve("out");
        try (SquashfsImage read = SquashfsImage.open(image)) {
            new ImageExtractor(read, new ImageExtractor.Options(TestEnvironment.isRoot(), 2))
                    .extract(out, List.of("/links/sub", "symlinks/relative"));
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(List.of("", "links", "links/sub", "links/sub/file-c", "symlinks", "symlinks/relative"),
                    s.map(p -> out.relativize(p).toString()).sorted().toList());
        }
        assertEquals(Files.getLastModifiedTime(out.resolve("links")).toMillis() / 1000, tree.find("links").mtime());
    }

    @Test
    void neverWritesOutsideTheDestination() throws IOException {
        Path outside = Files.createDirectory(temp.resolve("outside"));
        FileTree tree = new FileTree();
        tree.root().put("absolute", new SymlinkNode(outside.toString()));
        tree.root().put("relative", new SymlinkNode("../outside"));
        DirectoryNode d = tree.mkdirs("zzzzzzzz");
        d.put("file", new FileNode(FileContent.of("inside".getBytes(StandardCharsets.US_ASCII))));
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(WriterOptions.builder(new StoredCompressor()).blockSize(4096).build()).write(tree, image);

        Path out = temp.resolve("out");
        try (SquashfsImage read = SquashfsImage.open(image)) {
            new ImageExtractor(read, new ImageExtractor.Options(false, 1)).extract(out);
        }
        assertTrue(Files.isSymbolicLink(out.resolve("absolute")));
        assertTrue(Files.isRegularFile(out.resolve("zzzzzzzz/file")));
        assertFalse(Files.list(outside).findAny().isPresent(), "nothing written through the symlinks");

        // the same image with the directory renamed "absolute": a second entry of that name, which
        // a careless extractor would create through the symlink made for the first
        byte[] b = Files.readAllBytes(image);
        byte[] from = "zzzzzzzz".getBytes(StandardCharsets.US_ASCII);
        byte[] to = "absolute".getBytes(StandardCharsets.US_ASCII);
        int replaced = 0;
        for (int i = 0; i + from.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, b, i, to.length);
                replaced++;
            }
        }
        assertEquals(1, replaced);
        Path crafted = Files.write(temp.resolve("crafted.sqfs"), b);
        try (SquashfsImage read = SquashfsImage.open(crafted)) {
            assertThrows(CorruptImageException.class,
                    () -> new ImageExtractor(read, new ImageExtractor.Options(false, 1)).extract(temp.resolve("out2")));
        }
        assertFalse(Files.list(outside).findAny().isPresent(), "nothing written through the symlinks");
        assertEquals(NodeType.DIRECTORY, tree.find("zzzzzzzz").type());
    }

    @Test
    void ownersAreTheImagesEvenInASetGroupIdDestination() throws IOException {
        assumeTrue(TestEnvironment.isRoot(), "owners are restored only as root; not root here");
        // entries made in a set-group-ID directory take its group: those the image says belong to
        // group 0 need their group set even though this process's group is 0
        FileTree tree = new FileTree();
        tree.mkdirs("etc").setUid(0).setGid(0);
        tree.put("etc/passwd", new FileNode(FileContent.of("root:x:0:0\n".getBytes(StandardCharsets.US_ASCII))));
        tree.put("etc/shadow", new FileNode(FileContent.of(new byte[40])).setUid(0).setGid(42).setPermissions(0640));
        tree.put("home", new DirectoryNode().setUid(1000).setGid(1000));
        tree.put("home/fifo", new IpcNode(NodeType.FIFO, 0600).setUid(1000).setGid(0));
        tree.put("home/link", new SymlinkNode("../etc/passwd").setUid(0).setGid(7));
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(tree, image);

        Path out = Files.createDirectory(temp.resolve("out"));
        Files.setAttribute(out, "unix:gid", 4321);
        Files.setAttribute(out, "unix:mode", 02775);
        ImageExtractor.Report report;
        try (SquashfsImage read = SquashfsImage.open(image)) {
            report = new ImageExtractor(read, new ImageExtractor.Options(true, 2)).extract(out);
        }
        assertEquals(List.of(), report.skipped());
        for (String path : List.of("etc", "etc/passwd", "etc/shadow", "home", "home/fifo", "home/link")) {
            Path p = out.resolve(path);
            String owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                    + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            assertEquals(tree.find(path).uid() + ":" + tree.find(path).gid(), owner, path);
        }
        assertEquals(0, Files.getAttribute(out, "unix:gid"), "the root directory takes the image root's group");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("etc", "home"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the probe for the creation owner is gone");
        }
    }

    private static long allocatedBlocks(Path file) {
        return Long.parseLong(ExternalCommand.runChecked("stat", "-c", "%b", file.toString()).stdoutText().trim());
    }
}
