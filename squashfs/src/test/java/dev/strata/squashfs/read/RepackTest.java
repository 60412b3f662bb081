package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.write.SquashfsWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An image made by mksquashfs, converted to the tree model by the reader and written again by our
 * writer, extracts with unsquashfs exactly as the original does (backhand's repack check): nothing the
 * reader hands the writer is lost or changed, down to hard links, devices, sparse files and xattrs.
 */
class RepackTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GZIP, 131072", "XZ, 65536", "ZSTD, 4096"})
    void mksquashfsImagesRepackUnchanged(CompressorId compressor, int blockSize) throws Exception {
        MksquashfsImages.assumeAvailable();
        Path original = MksquashfsImages.build(MksquashfsImages.everyKind(blockSize), temp.resolve("original.sqfs"),
                List.of("-comp", compressor.mksquashfsName(), "-b", Integer.toString(blockSize)));
        Path repacked = temp.resolve("repacked.sqfs");
        try (SquashfsImage image = SquashfsImage.open(original)) {
            new SquashfsWriter(ImageConfig.of(compressor, blockSize).options()).write(image.toTree(), repacked);
        }
        FsSnapshot.of(extract(original, "original"), true).assertMatches(FsSnapshot.of(extract(repacked, "repacked"), true),
                "unsquashfs -d of the repacked image vs of the mksquashfs original, " + compressor + " " + blockSize);
    }

    private Path extract(Path image, String name) {
        Path dest = temp.resolve(name);
        ExternalCommand.runChecked("unsquashfs", "-n", "-d", dest.toString(), image.toString());
        return dest;
    }
}
