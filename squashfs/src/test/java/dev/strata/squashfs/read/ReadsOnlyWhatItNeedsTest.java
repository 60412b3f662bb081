package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.GeneratedContent;
import dev.strata.squashfs.testing.GeneratedContent.Style;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB image (64 incompressible 16 MiB files and a small file deep down): opening it, reading the
 * small file, or reading 1 MiB from the middle of a large one reads a few hundred KiB of the image,
 * not the image; several threads reading at once see the right bytes.
 */
class ReadsOnlyWhatItNeedsTest {
    private static final int FILE = 16 << 20;
    private static final int FILES = 64;

    @TempDir
    static Path temp;
    private static Path image;
    private static FileTree tree;

    @BeforeAll
    static void writeLargeImage() throws IOException {
        tree = new FileTree();
        for (int i = 0; i < FILES; i++) {
            tree.put(String.format("bulk/%02d", i), new FileNode(GeneratedContent.of(Style.RANDOM, i, FILE)));
        }
        tree.put("deep/a/b/c/needle", new FileNode(GeneratedContent.of(Style.TEXT, 7, 3000)));
        image = temp.resolve("large.sqfs");
        // lz4: incompressible blocks are recognised fast, so writing 1 GiB takes seconds
        new SquashfsWriter(ImageConfig.of(CompressorId.LZ4, 128 * 1024).minimal().options()).write(tree, image);
        assertTrue(Files.size(image) >= (long) FILES * FILE, "the image is at least 1 GiB");
    }

    @AfterAll
    static void deleteImage() throws IOException {
        Files.deleteIfExists(image);
    }

    @Test
    void readingASmallFileReadsAFewBlocksOfAGibibyte() throws IOException {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ);
             CountingFileChannel counting = new CountingFileChannel(file);
             SquashfsImage img = SquashfsImage.open(counting, 0)) {
            long afterOpen = counting.bytesRead();
            ImageInode needle = img.lookup("/deep/a/b/c/needle");
            byte[] content;
            try (InputStream in = img.openFile(needle)) {
                content = in.readAllBytes();
            }
            assertArrayEquals(expected("deep/a/b/c/needle"), content);
            long total = counting.bytesRead();
            System.out.printf("%d-byte image: open read %d bytes, open + lookup + read of a 3000-byte file %d%n",
                    Files.size(image), afterOpen, total);
            assertTrue(afterOpen < 16 * 1024, "opening read " + afterOpen + " bytes");
            assertTrue(total < 256 * 1024, "reading one 3000-byte file read " + total + " bytes of "
                    + Files.size(image));
        }
    }

    @Test
    void readingOneMebibyteFromTheMiddleReadsAboutThat() throws IOException {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ);
             CountingFileChannel counting = new CountingFileChannel(file);
             SquashfsImage img = SquashfsImage.open(counting, 0);
             SeekableByteChannel ch = img.newByteChannel(img.lookup("/bulk/33"))) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            ch.position(FILE / 2 + 12345);
            while (buf.hasRemaining()) {
                ch.read(buf);
            }
            byte[] all = expected("bulk/33");
            byte[] want = java.util.Arrays.copyOfRange(all, FILE / 2 + 12345, FILE / 2 + 12345 + (1 << 20));
            assertArrayEquals(want, buf.array());
            long total = counting.bytesRead();
            System.out.printf("reading 1 MiB from the middle of a 16 MiB file read %d bytes%n", total);
            assertTrue(total < (1 << 20) + 512 * 1024, "reading 1 MiB read " + total + " bytes");
        }
    }

    @Test
    void threadsReadingAtOnceSeeTheirOwnFiles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (SquashfsImage img = SquashfsImage.open(image)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String path = String.format("bulk/%02d", i * 7);
                results.add(pool.submit(() -> {
                    try (InputStream in = img.openFile(img.lookup(path))) {
                        return java.util.Arrays.equals(expected(path), in.readAllBytes());
                    }
                }));
            }
            for (Future<Boolean> r : results) {
                assertEquals(true, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] expected(String path) throws IOException {
        try (InputStream in = ((FileNode) tree.find(path)).content().open()) {
            return in.readAllBytes();
        }
    }
}
