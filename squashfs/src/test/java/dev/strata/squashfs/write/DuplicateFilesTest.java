package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Duplicates on both paths of the writer: small candidates are hashed before compression, those
 * above {@link FileDataWriter#HASH_FIRST_LIMIT} are hashed while streaming and wound back. Either
 * way each duplicate is stored once, reads back whole, and a same-size file that differs is kept.
 */
class DuplicateFilesTest {
    private static final int BLOCK = 128 * 1024;

    @TempDir
    Path temp;

    @Test
    void duplicatesAreStoredOnceOnBothPaths() throws Exception {
        byte[] small = random(1, 3 * BLOCK + 777);
        byte[] smallOther = small.clone();
        smallOther[small.length - 1] ^= 1;
        byte[] large = random(2, (int) FileDataWriter.HASH_FIRST_LIMIT + BLOCK + 99);
        byte[] largeOther = large.clone();
        largeOther[5] ^= 1;

        FileTree tree = new FileTree();
        tree.put("a/small", new FileNode(FileContent.of(small), 0644));
        tree.put("a/large", new FileNode(FileContent.of(large), 0644));
        tree.put("b/small-copy", new FileNode(FileContent.of(small.clone()), 0644));
        tree.put("b/small-other", new FileNode(FileContent.of(smallOther), 0644));
        tree.put("b/large-copy", new FileNode(FileContent.of(large.clone()), 0644));
        tree.put("b/large-other", new FileNode(FileContent.of(largeOther), 0644));
        tree.put("c/small-copy2", new FileNode(FileContent.of(small.clone()), 0644));

        Path image = temp.resolve("dup.sqfs");
        WriteResult result = new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, BLOCK).options()).write(tree, image);

        assertEquals(3, result.duplicates());
        long unique = small.length * 2L + large.length * 2L;
        assertTrue(Files.size(image) < unique + (1 << 20),
                () -> "image of " + result.imageSize() + " bytes holds the duplicates' data again");
        try (SquashfsImage read = SquashfsImage.open(image)) {
            assertContent(read, "a/small", small);
            assertContent(read, "b/small-copy", small);
            assertContent(read, "c/small-copy2", small);
            assertContent(read, "b/small-other", smallOther);
            assertContent(read, "a/large", large);
            assertContent(read, "b/large-copy", large);
            assertContent(read, "b/large-other", largeOther);
        }
    }

    private static void assertContent(SquashfsImage image, String path, byte[] expected) throws Exception {
        try (InputStream in = image.openFile(image.lookup(path))) {
            assertArrayEquals(expected, in.readAllBytes(), path);
        }
    }

    /** Incompressible, so a duplicate stored twice would show in the image size. */
    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
