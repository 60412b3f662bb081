package dev.strata.squashfs.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWritersTest {
    @TempDir
    Path temp;

    /** After a failed extraction (close without finish) nothing may still be writing when the caller hears. */
    @Test
    void closeReturnsOnlyOnceTheWritingThreadsHaveStopped() throws Exception {
        FileTree tree = new FileTree();
        tree.root().put("file", new FileNode(FileContent.of(new byte[10_000])));
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(WriterOptions.builder(new StoredCompressor()).blockSize(4096).build()).write(tree, image);

        CountDownLatch writing = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        try (SquashfsImage read = SquashfsImage.open(image)) {
            FileData data = read.fileData(read.lookup("/file"));
            FileWriters writers = new FileWriters(1);
            writers.write(new FileRuns(temp.resolve("out"), new java.nio.file.attribute.FileAttribute<?>[0], null, data, e -> { }, () -> {
                writing.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // deaf to the interrupt, as a write system call under way is
                }
                done.set(true);
            }));
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            writers.close();
        }
        assertTrue(done.get(), "close() returned while a writing thread was still at work");
        assertEquals(10_000, Files.size(temp.resolve("out")));
    }
}
