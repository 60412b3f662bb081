package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TestCompressors;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.FileTree;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image is a function of the tree and the options: writing the same tree again, or with one
 * compressing thread instead of four, gives the same bytes. (Random trees get the same check in
 * {@link RandomTreePropertiesTest}.)
 */
class DeterministicImageTest {
    @TempDir
    Path temp;

    static Stream<ImageConfig> configs() {
        return Stream.concat(TestCompressors.KERNEL.stream().map(id -> ImageConfig.of(id, 4096)),
                Stream.of(ImageConfig.of(CompressorId.GZIP, 128 * 1024).fragments(FragmentPolicy.TAIL_ENDS)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sameTreeGivesSameBytesWhateverTheThreadCount(ImageConfig config) throws Exception {
        FileTree tree = TreeGenerator.everyKind(config.blockSize());
        String once = sha256(write(tree, config.processors(1), "one-thread.sqfs"));
        String again = sha256(write(tree, config.processors(1), "again.sqfs"));
        String parallel = sha256(write(tree, config.processors(4), "four-threads.sqfs"));
        assertEquals(once, again, "the same tree written twice");
        assertEquals(once, parallel, "one compressing thread vs four");
    }

    private Path write(FileTree tree, ImageConfig config, String name) throws Exception {
        Path image = temp.resolve(name);
        new SquashfsWriter(config.options()).write(tree, image);
        return image;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
