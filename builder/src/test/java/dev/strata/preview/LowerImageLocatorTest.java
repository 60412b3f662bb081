package dev.strata.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.compress.Compressors;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A squashfs is found wherever a firmware file puts it: behind a vendor header at no sector boundary,
 * after bytes that hold its magic by chance, across the locator's read chunks; and in a large disk
 * image beyond the first 64 MiB, where partitions start on sector boundaries.
 */
class LowerImageLocatorTest {
    private static final int CHUNK = 1 << 20;

    @TempDir
    Path temp;
    byte[] squashfs;

    @BeforeEach
    void image() throws IOException {
        FileTree tree = new FileTree();
        byte[] text = "a line of a config file\n".repeat(2000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tree.put("etc/big.conf", new FileNode(FileContent.of(text), 0644));
        tree.put("etc/hostname", new FileNode(FileContent.of(new byte[] {'r', '\n'}), 0644));
        Path image = temp.resolve("rootfs.squashfs");
        new SquashfsWriter(WriterOptions.builder(Compressors.defaults(CompressorId.GZIP, 4096)).mkfsTime(0)
                .processors(1).build()).write(tree, image);
        squashfs = Files.readAllBytes(image);
    }

    /** A file of prefix then the image; returns the image's offset after checking the locator finds it there. */
    private long assertFoundAfter(byte[] prefix) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(prefix);
        file.writeBytes(squashfs);
        file.writeBytes(new byte[777]); // a trailer, as firmware files have
        Path f = Files.write(temp.resolve("firmware.bin"), file.toByteArray());
        try (SquashfsImage found = LowerImageLocator.open(f)) {
            assertEquals(prefix.length, found.offset());
            assertTrue(found.root().isDirectory());
            return found.offset();
        }
    }

    @Test
    void behindANetgearChkHeaderInATrxThatAlignsItTo1KiB() throws IOException {
        byte[] prefix = new byte[58 + 1024 * 1500]; // .chk header, TRX header and kernel, padding
        new Random(1).nextBytes(prefix);
        assertEquals(58 + 1024 * 1500, assertFoundAfter(prefix));
    }

    @Test
    void afterAMagicThatAppearsByChance() throws IOException {
        byte[] prefix = new byte[70_001];
        new Random(2).nextBytes(prefix);
        for (int at : new int[] {1000, 4096, 65_537}) { // unaligned and aligned, each followed by noise
            System.arraycopy(new byte[] {'h', 's', 'q', 's'}, 0, prefix, at, 4);
        }
        assertFoundAfter(prefix);
    }

    @Test
    void acrossTheBoundaryOfTwoReadChunks() throws IOException {
        for (int cut = 1; cut <= 3; cut++) {
            byte[] prefix = new byte[CHUNK - cut];
            new Random(cut).nextBytes(prefix);
            assertFoundAfter(prefix);
        }
    }

    @Test
    void beyondTheFirst64MiBOnlyOnSectorBoundaries() throws IOException {
        long aligned = LowerImageLocator.ANY_OFFSET_LIMIT + 3 * 512;
        Path disk = sparseFileWithImageAt(aligned);
        try (SquashfsImage found = LowerImageLocator.open(disk)) {
            assertEquals(aligned, found.offset());
        }
        Path unaligned = sparseFileWithImageAt(aligned + 100);
        PreviewException e = assertThrows(PreviewException.class, () -> LowerImageLocator.open(unaligned));
        assertTrue(e.getMessage().endsWith("not a squashfs image, and no squashfs found inside it"), e.getMessage());
    }

    private Path sparseFileWithImageAt(long offset) throws IOException {
        Path f = temp.resolve("disk-" + offset + ".img");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(squashfs), offset);
        }
        return f;
    }

    @Test
    void aMagicThatOpensNothingIsNamedInTheError() throws IOException {
        byte[] file = new byte[100_000];
        new Random(3).nextBytes(file);
        for (int i = 0; i < file.length - 3; i++) {
            if (file[i] == 'h' && file[i + 1] == 's' && file[i + 2] == 'q' && file[i + 3] == 's') {
                file[i] = 0; // no magic by chance in the noise
            }
        }
        System.arraycopy(squashfs, 0, file, 12_345, 96); // a superblock whose tables are not there
        Path f = Files.write(temp.resolve("broken.bin"), file);
        PreviewException e = assertThrows(PreviewException.class, () -> LowerImageLocator.open(f));
        assertTrue(e.getMessage().startsWith(f + ": not a squashfs image, and no squashfs found inside it (squashfs"
                + " magic at byte 12345 but "), e.getMessage());
    }
}
