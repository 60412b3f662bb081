package dev.strata.squashfs.write;

import static dev.strata.squashfs.compress.CompressorId.GZIP;
import static dev.strata.squashfs.compress.CompressorId.LZ4;
import static dev.strata.squashfs.compress.CompressorId.LZO;
import static dev.strata.squashfs.compress.CompressorId.XZ;
import static dev.strata.squashfs.compress.CompressorId.ZSTD;

import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.TestCompressors;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.FileTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux kernel mounts every image and reads back exactly the tree that was written: contents,
 * types, modes, owners, times, device numbers, symlink targets, xattrs of all namespaces, hard links
 * (one inode number, the right link count) and directory link counts. The tree holds every kind of
 * thing (see {@link TreeGenerator#everyKind}); it is written with every compressor at 128K, and with a
 * few compressors and fragment policies at 4K and 1M, the smallest and largest block sizes.
 */
class KernelReadsWrittenImagesTest {
    private static final Map<Integer, FileTree> TREES = new ConcurrentHashMap<>();
    private static final Map<Integer, FsSnapshot> EXPECTED = new ConcurrentHashMap<>();

    @TempDir
    Path temp;

    static Stream<ImageConfig> configs() {
        List<ImageConfig> configs = new ArrayList<>();
        for (var id : TestCompressors.KERNEL) {
            configs.add(ImageConfig.of(id, 128 * 1024));
        }
        configs.add(ImageConfig.of(GZIP, 128 * 1024).fragments(FragmentPolicy.TAIL_ENDS));
        configs.add(ImageConfig.of(ZSTD, 128 * 1024).fragments(FragmentPolicy.NONE).minimal());
        configs.add(ImageConfig.of(GZIP, 4096));
        configs.add(ImageConfig.of(XZ, 4096).fragments(FragmentPolicy.TAIL_ENDS));
        configs.add(ImageConfig.of(LZ4, 4096).fragments(FragmentPolicy.NONE).minimal());
        configs.add(ImageConfig.of(GZIP, 1 << 20).fragments(FragmentPolicy.TAIL_ENDS));
        configs.add(ImageConfig.of(ZSTD, 1 << 20));
        configs.add(ImageConfig.of(LZO, 1 << 20).fragments(FragmentPolicy.NONE));
        return configs.stream();
    }

    @BeforeEach
    void needsKernelMount() {
        TestEnvironment.assumeKernelMount();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void kernelMountShowsEveryKindOfNodeUnchanged(ImageConfig config) throws Exception {
        WriterOptions options = config.options();
        FileTree tree = TREES.computeIfAbsent(config.blockSize(), TreeGenerator::everyKind);
        FsSnapshot expected = EXPECTED.computeIfAbsent(config.blockSize(), bs -> FsSnapshot.of(tree));
        Path image = temp.resolve("image.sqfs");
        new SquashfsWriter(options).write(tree, image);

        try (KernelMount mount = KernelMount.mount(image, temp)) {
            expected.assertMatches(FsSnapshot.of(mount.root(), true), "kernel mount of " + config);
        }
    }

    /** With xattrs switched off (mksquashfs -no-xattrs) the mount shows none, and nothing else changes. */
    @org.junit.jupiter.api.Test
    void imageWithoutXattrsShowsNone() throws Exception {
        ImageConfig config = ImageConfig.of(GZIP, 128 * 1024);
        FileTree tree = TREES.computeIfAbsent(config.blockSize(), TreeGenerator::everyKind);
        FsSnapshot expected = EXPECTED.computeIfAbsent(config.blockSize(), bs -> FsSnapshot.of(tree))
                .map(e -> new FsSnapshot.Entry(e.type(), e.permissions(), e.uid(), e.gid(), e.mtime(), e.size(),
                        e.major(), e.minor(), e.target(), e.digest(), java.util.Collections.emptySortedMap(), e.nlink(),
                        e.linkGroup()));
        Path image = temp.resolve("no-xattrs.sqfs");
        new SquashfsWriter(config.options().toBuilder().xattrs(false).build()).write(tree, image);
        try (KernelMount mount = KernelMount.mount(image, temp)) {
            expected.assertMatches(FsSnapshot.of(mount.root(), true), "kernel mount of " + config + " without xattrs");
        }
    }

    /** See {@link TreeGenerator#manyOfEverything}: every table longer than one metadata block. */
    @org.junit.jupiter.api.Test
    void tablesLongerThanOneMetadataBlockReadBack() throws Exception {
        ImageConfig config = ImageConfig.of(GZIP, 4096);
        FileTree tree = TreeGenerator.manyOfEverything();
        Path image = temp.resolve("many.sqfs");
        WriteResult result = new SquashfsWriter(config.options()).write(tree, image);
        org.junit.jupiter.api.Assertions.assertTrue(result.fragments() > 512, () -> result.fragments() + " fragments");
        try (KernelMount mount = KernelMount.mount(image, temp)) {
            FsSnapshot.of(tree).assertMatches(FsSnapshot.of(mount.root(), true), "kernel mount of many of everything");
        }
    }
}
