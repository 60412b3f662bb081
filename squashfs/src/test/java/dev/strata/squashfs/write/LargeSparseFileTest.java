package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.GeneratedContent;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.Unsquashfs;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 5 GiB file, all zero but for a few blocks: past 4 GiB it needs the extended file inode (64-bit
 * size) and its zero blocks must be stored as sparse blocks. The content streams from a generator, so
 * the test needs neither 5 GiB of memory nor of disk; the kernel reads all of it back.
 */
class LargeSparseFileTest {
    private static final int BLOCK = 128 * 1024;
    /** Not a multiple of the block size: the tail goes into a fragment. */
    private static final long SIZE = (5L << 30) + 12_345;

    @TempDir
    Path temp;

    @Test
    void fiveGibSparseFileReadsBackThroughTheKernel() throws Exception {
        TestEnvironment.assumeKernelMount();
        GeneratedContent content = new GeneratedContent(GeneratedContent.Style.FEW_DATA_BLOCKS, 11, SIZE, BLOCK);
        FileTree tree = new FileTree();
        tree.put("big", new FileNode(content, 0644));
        tree.put("after", new FileNode(GeneratedContent.of(GeneratedContent.Style.RANDOM, 3, 3L * BLOCK + 1)));
        Path image = temp.resolve("sparse.sqfs");
        WriteResult result = new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, BLOCK).options()).write(tree, image);

        // all but about one in 4096 of the 40961 blocks are zero and must take no space
        assertTrue(result.sparseBlocks() > SIZE / BLOCK * 99 / 100, () -> "only " + result.sparseBlocks()
                + " sparse blocks");
        long imageSize = Files.size(image);
        assertTrue(imageSize < 64L << 20, () -> "image of " + imageSize + " bytes is not sparse");

        try (KernelMount mount = KernelMount.mount(image, temp)) {
            Path big = mount.root().resolve("big");
            assertEquals(SIZE, Files.size(big));
            assertSameBytes(content, big);
            assertSameBytes(((FileNode) tree.find("after")).content(), mount.root().resolve("after"));
        }
        if (TestEnvironment.hasTool("unsquashfs")) {
            Unsquashfs.assertListingMatches(tree, Unsquashfs.listing(image), "unsquashfs -lln of the sparse image");
        }
    }

    private static void assertSameBytes(dev.strata.squashfs.tree.FileContent expected, Path actual) throws Exception {
        byte[] a = new byte[1 << 20];
        byte[] b = new byte[1 << 20];
        long offset = 0;
        try (InputStream want = expected.open(); InputStream got = Files.newInputStream(actual)) {
            while (true) {
                int n = want.readNBytes(a, 0, a.length);
                int m = got.readNBytes(b, 0, b.length);
                int at = Arrays.mismatch(a, 0, n, b, 0, m);
                if (at >= 0) {
                    throw new AssertionError(actual + " differs from " + expected.origin() + " at byte " + (offset + at)
                            + (at >= Math.min(n, m) ? " (length " + (offset + m) + ")" : ""));
                }
                if (n < a.length) {
                    return;
                }
                offset += n;
            }
        }
    }
}
