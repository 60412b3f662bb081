package dev.strata.squashfs.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ExternalCommand;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.NeedsRealPrograms;
import dev.strata.squashfs.testing.Sqfsdiff;
import dev.strata.squashfs.testing.TempDirs;
import dev.strata.squashfs.testing.TestCompressors;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.testing.TreeMaterializer;
import dev.strata.squashfs.testing.Unsquashfs;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Random trees (see {@link TreeGenerator#random}): random names including non-UTF-8 bytes and
 * 255/256-byte names, sizes around block boundaries, sparse, duplicate and incompressible contents,
 * modes, owners, times, xattrs, hard links, symlinks, devices, fifos and sockets. Each property
 * draws a seed, a size, a block size, a compressor and writer options; a failure shows them (jqwik
 * prints the sample and its own seed, and the message names the tree), and
 * {@code TreeGenerator.random(seed, entries, blockSize, maxName)} rebuilds the tree.
 *
 * <p>Many tries go through unsquashfs, which is fast; fewer through the kernel and through
 * mksquashfs + sqfsdiff, which cost a mount or a second image each.
 */
class RandomTreePropertiesTest {
    /** Every try works below this; removed after the class even if a try was abandoned (jqwik's shrink timeout). */
    private static Path root;

    @BeforeContainer
    static void createRoot() throws Exception {
        root = TempDirs.create("strata-random-trees");
    }

    @AfterContainer
    static void removeRoot() throws Exception {
        TempDirs.deleteRecursively(root);
    }

    @Provide
    Arbitrary<Integer> blockSizes() {
        return Arbitraries.of(4096, 16 * 1024, 128 * 1024);
    }

    @Provide
    Arbitrary<CompressorId> compressors() {
        return Arbitraries.of(TestCompressors.KERNEL);
    }

    @Property(tries = 80)
    @AddLifecycleHook(NeedsRealPrograms.Unsquashfs.class)
    void unsquashfsListsAndExtractsRandomTrees(@ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int entries,
                                                @ForAll("blockSizes") int blockSize,
                                                @ForAll("compressors") CompressorId compressor,
                                                @ForAll FragmentPolicy fragments, @ForAll boolean pad)
            throws Exception {
        FileTree tree = TreeGenerator.random(seed, entries, blockSize, TreeGenerator.NAME_MAX);
        ImageConfig config = ImageConfig.of(compressor, blockSize).fragments(fragments);
        config = pad ? config : config.unpadded();
        String context = describe(seed, entries, blockSize, TreeGenerator.NAME_MAX, config);
        Path temp = TempDirs.create(root, "unsquashfs");
        try {
            Path image = temp.resolve("random.sqfs");
            new SquashfsWriter(config.options()).write(tree, image);
            Unsquashfs.assertListingMatches(tree, Unsquashfs.listing(image), context);
            Path out = temp.resolve("extracted");
            Unsquashfs.extract(image, out);
            FsSnapshot.of(tree).assertMatches(FsSnapshot.of(out, true), context);
        } finally {
            TempDirs.deleteRecursively(temp);
        }
    }

    @Property(tries = 25)
    @AddLifecycleHook(NeedsRealPrograms.KernelMount.class)
    void kernelMountShowsRandomTrees(@ForAll long seed, @ForAll @IntRange(min = 0, max = 120) int entries,
                                     @ForAll("blockSizes") int blockSize,
                                     @ForAll("compressors") CompressorId compressor,
                                     @ForAll FragmentPolicy fragments) throws Exception {
        FileTree tree = TreeGenerator.random(seed, entries, blockSize, Name.MAX_LENGTH);
        ImageConfig config = ImageConfig.of(compressor, blockSize).fragments(fragments);
        String context = describe(seed, entries, blockSize, Name.MAX_LENGTH, config);
        Path temp = TempDirs.create(root, "kernel");
        try {
            Path image = temp.resolve("random.sqfs");
            new SquashfsWriter(config.options()).write(tree, image);
            try (KernelMount mount = KernelMount.mount(image, temp)) {
                FsSnapshot.of(tree).assertMatches(FsSnapshot.of(mount.root(), true), context);
            }
        } finally {
            TempDirs.deleteRecursively(temp);
        }
    }

    /** See {@link Sqfsdiff} for what sqfsdiff -T compares and what it leaves out. */
    @Property(tries = 12)
    @AddLifecycleHook(NeedsRealPrograms.Mksquashfs.class)
    void sqfsdiffFindsNoDifferenceFromMksquashfs(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int entries,
                                                  @ForAll("blockSizes") int blockSize,
                                                  @ForAll("compressors") CompressorId compressor) throws Exception {
        FileTree tree = TreeGenerator.random(seed, entries, blockSize, TreeGenerator.NAME_MAX);
        ImageConfig config = ImageConfig.of(compressor, blockSize);
        String context = describe(seed, entries, blockSize, TreeGenerator.NAME_MAX, config);
        Path temp = TempDirs.create(root, "mksquashfs");
        try {
            Path source = Files.createDirectory(temp.resolve("source"));
            TreeMaterializer.materialize(tree, source, temp);
            FsSnapshot.of(tree).assertMatches(FsSnapshot.of(source, true), context + " (made on disk)");
            Path theirs = temp.resolve("mksquashfs.sqfs");
            ExternalCommand.runChecked(List.of("mksquashfs", source.toString(), theirs.toString(), "-noappend",
                    "-no-progress", "-quiet", "-comp", compressor.mksquashfsName(), "-b", Integer.toString(blockSize)));
            Path ours = temp.resolve("ours.sqfs");
            new SquashfsWriter(config.options()).write(tree, ours);
            Sqfsdiff.assertSameContents(ours, theirs, tree, context);
        } finally {
            TempDirs.deleteRecursively(temp);
        }
    }

    @Property(tries = 20)
    void sameRandomTreeGivesSameBytesWhateverTheThreadCount(@ForAll long seed,
                                                            @ForAll @IntRange(min = 0, max = 60) int entries,
                                                            @ForAll("blockSizes") int blockSize,
                                                            @ForAll("compressors") CompressorId compressor,
                                                            @ForAll FragmentPolicy fragments) throws Exception {
        FileTree tree = TreeGenerator.random(seed, entries, blockSize, Name.MAX_LENGTH);
        ImageConfig config = ImageConfig.of(compressor, blockSize).fragments(fragments);
        Path temp = TempDirs.create(root, "determinism");
        try {
            List<String> hashes = new ArrayList<>();
            for (int threads : new int[] {1, 4, 1}) {
                Path image = temp.resolve("threads-" + threads + "-" + hashes.size() + ".sqfs");
                new SquashfsWriter(config.processors(threads).options()).write(tree, image);
                hashes.add(DeterministicImageTest.sha256(image));
            }
            assertEquals(List.of(hashes.get(0), hashes.get(0), hashes.get(0)), hashes,
                    describe(seed, entries, blockSize, Name.MAX_LENGTH, config) + ": images with 1, 4, 1 threads");
        } finally {
            TempDirs.deleteRecursively(temp);
        }
    }

    private static String describe(long seed, int entries, int blockSize, int maxName, ImageConfig config) {
        return "random tree TreeGenerator.random(" + seed + "L, " + entries + ", " + blockSize + ", " + maxName
                + ") written as " + config;
    }
}
