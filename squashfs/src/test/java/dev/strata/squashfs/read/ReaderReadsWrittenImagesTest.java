package dev.strata.squashfs.read;

import static dev.strata.squashfs.compress.CompressorId.GZIP;
import static dev.strata.squashfs.compress.CompressorId.LZ4;
import static dev.strata.squashfs.compress.CompressorId.LZO;
import static dev.strata.squashfs.compress.CompressorId.XZ;
import static dev.strata.squashfs.compress.CompressorId.ZSTD;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.GeneratedContent;
import dev.strata.squashfs.testing.GeneratedContent.Style;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Everything our writer produces reads back through the reader as the tree it was written from. */
class ReaderReadsWrittenImagesTest {
    @TempDir
    Path temp;

    static Stream<ImageConfig> configs() {
        return Stream.of(
                ImageConfig.of(GZIP, 128 * 1024),
                ImageConfig.of(GZIP, 4096).fragments(FragmentPolicy.NONE).minimal(),
                ImageConfig.of(XZ, 16 * 1024).fragments(FragmentPolicy.TAIL_ENDS),
                ImageConfig.of(LZ4, 1 << 20).unpadded(),
                ImageConfig.of(LZO, 4096).fragments(FragmentPolicy.TAIL_ENDS),
                ImageConfig.of(ZSTD, 64 * 1024).minimal().unpadded());
    }

    @Test
    void aSparseFileOfFiveGibibytes() throws Exception {
        long size = (5L << 30) + 12345;
        int block = 128 * 1024;
        GeneratedContent content = new GeneratedContent(Style.FEW_DATA_BLOCKS, 3, size, block);
        FileTree tree = new FileTree();
        tree.put("huge", new FileNode(content));
        Path image = temp.resolve("huge.sqfs");
        new SquashfsWriter(ImageConfig.of(GZIP, block).minimal().options()).write(tree, image);
        try (SquashfsImage read = SquashfsImage.open(image)) {
            ImageInode huge = read.lookup("/huge");
            FileInode inode = (FileInode) huge.inode();
            assertTrue(inode.header().extended(), "a file past 4 GiB needs the extended inode");
            assertEquals(size, inode.fileSize());
            assertTrue(inode.sparse() > 4L << 30, "sparse bytes " + inode.sparse());
            long[] starts = {0, block - 10, (4L << 30) - 100, (4L << 30) + 3 * block + 17, size - 10};
            try (SeekableByteChannel ch = read.newByteChannel(huge)) {
                assertEquals(size, ch.size());
                for (long at : starts) {
                    int len = (int) Math.min(2 * block, size - at);
                    ByteBuffer buf = ByteBuffer.allocate(len);
                    ch.position(at);
                    while (buf.hasRemaining() && ch.read(buf) > 0) {
                        // fill
                    }
                    assertArrayEquals(slice(content, at, len), buf.array(), "bytes at " + at);
                }
            }
        }
    }

    private static byte[] slice(GeneratedContent content, long at, int len) throws IOException {
        try (InputStream in = content.open()) {
            in.skipNBytes(at);
            return in.readNBytes(len);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyKindReadsBackAsWritten(ImageConfig config) throws Exception {
        FileTree tree = TreeGenerator.everyKind(config.blockSize());
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(config.options()).write(tree, image);
        try (SquashfsImage read = SquashfsImage.open(image)) {
            FsSnapshot.of(tree).assertMatches(FsSnapshot.of(read.toTree()), "reader of " + config);
        }
    }
}
