package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.write.FragmentPolicy;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real images (ours and mksquashfs's, every compressor) damaged thousands of ways and each read in
 * full: every directory listed, every inode, xattr set, symlink and file content read, the tree model
 * built. The only acceptable failures are CorruptImageException naming a byte offset and IOException
 * with a message; any
 * other exception or error, a hang past the time limit, or an OutOfMemoryError fails the test with the
 * seed and the mutation that caused it. Mutations per image: system property strata.fuzz.mutations.
 */
class CorruptImageFuzzTest {
    private static final int MUTATIONS = Integer.getInteger("strata.fuzz.mutations", 500);
    @RegisterExtension
    static final DamagedCases CASES = new DamagedCases(Duration.ofSeconds(10));

    @TempDir
    Path temp;

    static Stream<Arguments> seeds() {
        return Stream.of(
                Arguments.of("writer gzip", 11L, CompressorId.GZIP, List.of()),
                Arguments.of("writer xz tail ends", 12L, CompressorId.XZ, List.of("tailends")),
                Arguments.of("writer lz4 no fragments", 13L, CompressorId.LZ4, List.of("nofragments")),
                Arguments.of("writer lzo minimal", 14L, CompressorId.LZO, List.of("minimal")),
                Arguments.of("writer zstd", 15L, CompressorId.ZSTD, List.of()),
                Arguments.of("writer everything stored", 16L, CompressorId.GZIP, List.of("stored")),
                Arguments.of("mksquashfs gzip", 21L, CompressorId.GZIP, List.of("-b", "4K")),
                Arguments.of("mksquashfs gzip everything uncompressed", 26L, CompressorId.GZIP,
                        List.of("-b", "4K", "-noI", "-noD", "-noF", "-noX", "-noId")),
                Arguments.of("mksquashfs xz uncompressed inodes", 22L, CompressorId.XZ, List.of("-b", "4K", "-noI")),
                Arguments.of("mksquashfs lz4 hc always fragments", 23L, CompressorId.LZ4,
                        List.of("-b", "4K", "-Xhc", "-always-use-fragments")),
                Arguments.of("mksquashfs lzo no exports", 24L, CompressorId.LZO, List.of("-b", "4K", "-no-exports")),
                Arguments.of("mksquashfs zstd uncompressed data", 25L, CompressorId.ZSTD,
                        List.of("-b", "4K", "-noD", "-noF", "-noX")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void damagedImagesFailOnlyWithCorruptImageException(String name, long seed, CompressorId compressor,
                                                         List<String> options) throws Exception {
        byte[] image = seedImage(name, seed, compressor, options);
        readEverything(new MemoryFileChannel(image)); // the undamaged image reads cleanly
        ImageMutator mutator = new ImageMutator(image);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        long slowest = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            ImageMutator.Mutation m = mutator.mutate(random);
            long caseStart = System.nanoTime();
            String outcome = CASES.run(() -> readEverything(new MemoryFileChannel(m.image())), "read",
                    name + " mutation " + i + " (" + m.description() + ")");
            slowest = Math.max(slowest, System.nanoTime() - caseStart);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.printf("fuzz %s: %d mutations of a %d-byte image in %d ms (slowest %d ms): %s%n", name, MUTATIONS,
                image.length, (System.nanoTime() - start) / 1_000_000, slowest / 1_000_000, outcomes);
    }

    /** Everything a user of the reader can ask for. */
    static void readEverything(MemoryFileChannel channel) throws IOException {
        try (SquashfsImage image = SquashfsImage.open(channel, 0)) {
            byte[] buf = new byte[8192];
            image.walk((path, inode) -> {
                image.xattrs(inode);
                if (inode.isFile()) {
                    try (InputStream in = image.openFile(inode)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                    try (SeekableByteChannel ch = image.newByteChannel(inode)) {
                        ch.position(ch.size() / 2);
                        ch.read(ByteBuffer.wrap(buf));
                    }
                } else if (inode.isSymlink()) {
                    image.readlink(inode);
                }
            });
            image.toTree();
            if (image.hasExportTable()) {
                for (long n = 1; n <= Math.min(image.inodeCount(), 64); n++) {
                    image.inodeByNumber(n);
                }
            }
        }
    }

    private byte[] seedImage(String name, long seed, CompressorId compressor, List<String> options) throws Exception {
        Path file = temp.resolve("seed.sqfs");
        if (name.startsWith("mksquashfs")) {
            MksquashfsImages.assumeAvailable();
            List<String> all = new java.util.ArrayList<>(List.of("-comp", compressor.mksquashfsName()));
            all.addAll(options);
            MksquashfsImages.build(MksquashfsImages.random(seed, 60, 4096), file, all);
        } else {
            ImageConfig config = ImageConfig.of(compressor, 4096);
            if (options.contains("tailends")) {
                config = config.fragments(FragmentPolicy.TAIL_ENDS);
            }
            if (options.contains("nofragments")) {
                config = config.fragments(FragmentPolicy.NONE);
            }
            if (options.contains("minimal")) {
                config = config.minimal().unpadded();
            }
            var writerOptions = config.options();
            if (options.contains("stored")) {
                writerOptions = writerOptions.toBuilder().compressor(new StoredCompressor()).build();
            }
            new SquashfsWriter(writerOptions).write(TreeGenerator.random(seed, 60, 4096, TreeGenerator.NAME_MAX),
                    file);
        }
        return Files.readAllBytes(file);
    }
}
