package dev.strata.squashfs.write;

import static dev.strata.squashfs.compress.CompressorId.GZIP;
import static dev.strata.squashfs.compress.CompressorId.LZ4;
import static dev.strata.squashfs.compress.CompressorId.LZO;
import static dev.strata.squashfs.compress.CompressorId.XZ;
import static dev.strata.squashfs.compress.CompressorId.ZSTD;

import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TempDirs;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.testing.Unsquashfs;
import dev.strata.squashfs.tree.FileTree;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * squashfs-tools' unsquashfs, the reference reader, agrees with the tree: its {@code -lln} listing
 * shows every path with the tree's type, mode, owner, size, device number, time and symlink target,
 * and its extraction (as root: owners, devices, fifos, sockets, hard links and all xattrs) is the
 * tree. Unpadded images are covered here, since only files (not loop devices) can hold them.
 */
class UnsquashfsReadsWrittenImagesTest {
    private static final Map<Integer, FileTree> TREES = new ConcurrentHashMap<>();
    private static final Map<Integer, FileTree> DISK_TREES = new ConcurrentHashMap<>();

    @TempDir
    Path temp;

    static Stream<ImageConfig> configs() {
        return Stream.of(
                ImageConfig.of(GZIP, 128 * 1024),
                ImageConfig.of(XZ, 128 * 1024).fragments(FragmentPolicy.TAIL_ENDS),
                ImageConfig.of(LZ4, 128 * 1024).minimal().unpadded(),
                ImageConfig.of(LZO, 4096).fragments(FragmentPolicy.NONE),
                ImageConfig.of(ZSTD, 1 << 20).unpadded());
    }

    private Path write(ImageConfig config, FileTree tree) throws Exception {
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(config.options()).write(tree, image);
        return image;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void listingShowsTheTree(ImageConfig config) throws Exception {
        TestEnvironment.assumeTools("unsquashfs");
        // 256-byte names: unsquashfs lists them, only a disk file system could not hold them
        FileTree tree = TREES.computeIfAbsent(config.blockSize(), TreeGenerator::everyKind);
        Unsquashfs.assertListingMatches(tree, Unsquashfs.listing(write(config, tree)), "unsquashfs -lln of " + config);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void extractionEqualsTheTree(ImageConfig config) throws Exception {
        TestEnvironment.assumeTools("unsquashfs", "getfattr");
        TestEnvironment.assumeRoot("unsquashfs restores owners, device nodes and trusted.* xattrs only as root");
        // extracted to a disk file system, which holds names of 255 bytes at most
        FileTree tree = DISK_TREES.computeIfAbsent(config.blockSize(),
                bs -> TreeGenerator.everyKind(bs, TreeGenerator.NAME_MAX));
        Path image = write(config, tree);
        Path out = temp.resolve("extracted");
        try {
            Unsquashfs.extract(image, out);
            FsSnapshot.of(tree).assertMatches(FsSnapshot.of(out, true), "unsquashfs -d of " + config);
        } finally {
            TempDirs.deleteRecursively(out); // without following the absolute symlinks out of temp
        }
    }
}
