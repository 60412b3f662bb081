package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel reads back at most 4095 bytes of a symlink target (a 4096-byte one came back cut, with
 * stat still saying 4096), so the writer refuses longer targets instead of writing an image that
 * reads back wrong. A 4095-byte target reads back whole: see the every-kind tree of
 * {@link KernelReadsWrittenImagesTest}.
 */
class SymlinkTargetLimitTest {
    @TempDir
    Path temp;

    @Test
    void targetLongerThanTheKernelReadsIsRefused() {
        byte[] target = new byte[4096];
        Arrays.fill(target, (byte) 'a');
        FileTree tree = new FileTree();
        tree.put("link", new SymlinkNode(target));
        Path image = temp.resolve("image.sqfs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(tree, image));
        assertTrue(e.getMessage().contains("4096"), e.getMessage());
        assertTrue(Files.notExists(image), "no partial image is left behind");
    }
}
