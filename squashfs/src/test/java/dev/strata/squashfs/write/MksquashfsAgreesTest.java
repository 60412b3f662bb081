package dev.strata.squashfs.write;

import static dev.strata.squashfs.compress.CompressorId.GZIP;
import static dev.strata.squashfs.compress.CompressorId.LZ4;
import static dev.strata.squashfs.compress.CompressorId.LZO;
import static dev.strata.squashfs.compress.CompressorId.XZ;
import static dev.strata.squashfs.compress.CompressorId.ZSTD;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.Sqfsdiff;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.testing.TreeMaterializer;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our image and the image mksquashfs makes of the same directory on disk hold the same file system,
 * as squashfs-tools-ng's sqfsdiff (a second, independent reader) sees them; see {@link Sqfsdiff} for
 * what it compares and the one difference it reports that is accepted. The every-kind tree is made
 * on disk once; each test packs that directory with mksquashfs and writes the tree with our writer,
 * both ways: straight from the tree model and through {@link DirectoryTreeLoader}.
 */
class MksquashfsAgreesTest {
    @TempDir
    static Path shared;
    static Path source;
    static FileTree tree;

    @TempDir
    Path temp;

    @BeforeAll
    static void makeTheTreeOnDisk() throws Exception {
        TreeMaterializer.assumeCanMaterialize();
        TestEnvironment.assumeTools("mksquashfs", "sqfsdiff");
        tree = TreeGenerator.everyKind(128 * 1024, TreeGenerator.NAME_MAX);
        source = Files.createDirectory(shared.resolve("source"));
        TreeMaterializer.materialize(tree, source, shared);
    }

    static Stream<ImageConfig> configs() {
        List<ImageConfig> configs = new ArrayList<>();
        for (var id : List.of(GZIP, XZ, LZ4, LZO, ZSTD)) {
            configs.add(ImageConfig.of(id, 128 * 1024));
        }
        configs.add(ImageConfig.of(GZIP, 4096).fragments(FragmentPolicy.TAIL_ENDS));
        configs.add(ImageConfig.of(ZSTD, 1 << 20).fragments(FragmentPolicy.NONE));
        return configs.stream();
    }

    /** The comparisons below are only as good as the directory: it must be the tree. */
    @Test
    void directoryOnDiskIsTheTree() throws Exception {
        FsSnapshot.of(tree).assertMatches(FsSnapshot.of(source, true), "materialized directory");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sqfsdiffFindsNoDifferenceFromMksquashfs(ImageConfig config) throws Exception {
        Path theirs = mksquashfs(config);
        Path ours = temp.resolve("ours.sqfs");
        new SquashfsWriter(config.options()).write(tree, ours);
        Sqfsdiff.assertSameContents(ours, theirs, tree, config + " written from the tree");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void sqfsdiffFindsNoDifferenceThroughTheLoader(ImageConfig config) throws Exception {
        Path theirs = mksquashfs(config);
        Path ours = temp.resolve("loaded.sqfs");
        FileTree loaded = new DirectoryTreeLoader().load(source);
        new SquashfsWriter(config.options()).write(loaded, ours);
        Sqfsdiff.assertSameContents(ours, theirs, loaded, config + " written from DirectoryTreeLoader");
    }

    private Path mksquashfs(ImageConfig config) {
        Path image = temp.resolve("mksquashfs.sqfs");
        List<String> cmd = new ArrayList<>(List.of("mksquashfs", source.toString(), image.toString(), "-noappend",
                "-no-progress", "-quiet", "-comp", config.compressor().mksquashfsName(), "-b",
                Integer.toString(config.blockSize())));
        switch (config.fragments()) {
            case NONE -> cmd.add("-no-fragments");
            case TAIL_ENDS -> cmd.add("-always-use-fragments");
            case SMALL_FILES -> {
            }
        }
        ExternalCommand.runChecked(cmd);
        return image;
    }
}
