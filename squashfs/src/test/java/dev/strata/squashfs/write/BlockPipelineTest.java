package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.format.FormatLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's writing thread: blocks land in submission order with steps between them, whatever
 * the compressing threads' timing, and a failure on the writing thread reaches the submitting thread
 * as one IOException instead of a hang, however many blocks are still being submitted.
 */
class BlockPipelineTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void blocksAndStepsLandInSubmissionOrder() throws IOException {
        Path image = dir.resolve("blocks");
        Random r = new Random(5);
        List<byte[]> blocks = new ArrayList<>();
        long[] positions = new long[400];
        int[] sizeWords = new int[400];
        List<Integer> stepsSeen = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ImageOutput out = new ImageOutput(ch, 0, 0);
            try (BlockPipeline pipeline = new BlockPipeline(out, Compressors.defaults(CompressorId.GZIP, 131072), 4)) {
                for (int i = 0; i < positions.length; i++) {
                    byte[] b = new byte[1 + r.nextInt(20_000)];
                    if (i % 3 == 0) {
                        r.nextBytes(b); // incompressible: stored raw
                    } else {
                        java.util.Arrays.fill(b, (byte) i);
                    }
                    blocks.add(b);
                    int index = i;
                    pipeline.submit(b, b.length, true, (position, sizeWord) -> {
                        positions[index] = position;
                        sizeWords[index] = sizeWord;
                    });
                    if (i % 50 == 0) {
                        pipeline.step(() -> stepsSeen.add(index));
                    }
                }
                pipeline.drain();
            }
            long expected = 0;
            for (int i = 0; i < positions.length; i++) {
                assertEquals(expected, positions[i], "block " + i + " follows block " + (i - 1));
                int length = sizeWords[i] & ~FormatLimits.DATA_UNCOMPRESSED;
                if ((sizeWords[i] & FormatLimits.DATA_UNCOMPRESSED) != 0) {
                    ByteBuffer stored = ByteBuffer.allocate(length);
                    ch.read(stored, positions[i]);
                    assertArrayEquals(blocks.get(i), stored.array(), "raw block " + i);
                }
                expected += length;
            }
            assertEquals(expected, out.position());
            assertEquals(List.of(0, 50, 100, 150, 200, 250, 300, 350), stepsSeen);
        }
    }

    @Test
    @Timeout(60)
    void aWriteFailureEndsTheBuildWithItsMessage() throws IOException {
        Path image = Files.createFile(dir.resolve("read-only"));
        try (FileChannel readOnly = FileChannel.open(image, StandardOpenOption.READ);
             BlockPipeline pipeline = new BlockPipeline(new ImageOutput(readOnly, 0, 0),
                     Compressors.defaults(CompressorId.GZIP, 131072), 2)) {
            IOException failure = assertThrows(IOException.class, () -> {
                // far more blocks than the queue holds: the submitting thread must not block forever
                for (int i = 0; i < 1000; i++) {
                    pipeline.submit(new byte[4096], 4096, false, (position, sizeWord) -> { });
                }
                pipeline.drain();
            });
            assertTrue(failure.getMessage().contains("NonWritableChannelException"), failure.getMessage());
        }
    }

    @Test
    @Timeout(60)
    void aStepsFailureIsReportedByDrain() throws IOException {
        Path image = dir.resolve("step");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             BlockPipeline pipeline = new BlockPipeline(new ImageOutput(ch, 0, 0),
                     Compressors.defaults(CompressorId.GZIP, 131072), 2)) {
            pipeline.step(() -> {
                throw new IOException("disk went away");
            });
            IOException failure = assertThrows(IOException.class, pipeline::drain);
            assertEquals("disk went away", failure.getMessage());
        }
    }
}
