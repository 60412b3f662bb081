package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path resolution by string, as the CLI gives paths: trailing slashes, links, "." and "..". */
class PathLookupTest {
    @TempDir
    Path temp;
    private Path image;

    @BeforeEach
    void write() throws Exception {
        FileTree tree = new FileTree();
        tree.put("etc/hostname", new FileNode(FileContent.of("box\n".getBytes(StandardCharsets.US_ASCII)), 0644));
        tree.put("etc/empty", new DirectoryNode(0755));
        tree.put("config", new SymlinkNode("etc".getBytes(StandardCharsets.US_ASCII)));
        tree.put("name", new SymlinkNode("etc/hostname".getBytes(StandardCharsets.US_ASCII)));
        image = temp.resolve("lookup.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(tree, image);
    }

    @Test
    void aTrailingSlashAsksForADirectory() throws Exception {
        try (SquashfsImage img = SquashfsImage.open(image)) {
            assertTrue(img.lookup("etc/hostname").isFile());
            assertThrows(NotDirectoryException.class, () -> img.lookup("etc/hostname/"));
            assertThrows(NotDirectoryException.class, () -> img.lookup("name/"), "a link to a file");
            assertTrue(img.lookup("etc/empty/").isDirectory());
            assertTrue(img.lookup("config/").isDirectory(), "a link to a directory is followed");
            assertTrue(img.lookup("config").isSymlink(), "without the slash it is the link itself");
            assertEquals(img.root().number(), img.lookup("/").number());
            assertEquals(img.root().number(), img.lookup("etc/empty/../..//").number());
            assertThrows(NoSuchFileException.class, () -> img.lookup("etc/nope/"));
        }
    }
}
