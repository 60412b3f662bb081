package dev.strata.squashfs.read;

import static dev.strata.squashfs.compress.CompressorId.GZIP;
import static dev.strata.squashfs.compress.CompressorId.LZ4;
import static dev.strata.squashfs.compress.CompressorId.LZO;
import static dev.strata.squashfs.compress.CompressorId.XZ;
import static dev.strata.squashfs.compress.CompressorId.ZSTD;

import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.SquashfsWriter;
import java.nio.file.Path;
import java.util.stream.Stream;
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
                ImageConfig.of(XZ, 128 * 1024).fragments(FragmentPolicy.TAIL_ENDS),
                ImageConfig.of(LZ4, 1 << 20).unpadded(),
                ImageConfig.of(LZO, 4096).fragments(FragmentPolicy.TAIL_ENDS),
                ImageConfig.of(ZSTD, 64 * 1024).minimal().unpadded());
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
