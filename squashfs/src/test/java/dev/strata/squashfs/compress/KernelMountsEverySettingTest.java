package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.testing.KernelMount;
import dev.strata.squashfs.testing.TestEnvironment;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.write.SquashfsWriter;
import dev.strata.squashfs.write.WriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Linux kernel mounts images whose blocks our compressors wrote with non-default settings
 * (BCJ filters, small dictionaries and windows, HC, every LZO algorithm, extreme zstd levels) and
 * reads every file back unchanged; unsquashfs, which validates the options block, extracts them too.
 */
class KernelMountsEverySettingTest {
    @TempDir
    static Path tmp;
    static Path source;
    static SortedMap<String, byte[]> files;

    @BeforeAll
    static void makeSource() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path exe = Path.of(dir, "mksquashfs");
            if (Files.isRegularFile(exe)) {
                Files.copy(exe, source.resolve("x86-executable"));
                break;
            }
        }
        Files.write(source.resolve("text"), BlockData.TEXT.generate(700_000, 1));
        Files.write(source.resolve("repetitive"), BlockData.REPETITIVE.generate(1_300_000, 2));
        Files.write(source.resolve("sparse"), BlockData.SPARSE.generate(300_000, 3));
        Files.write(source.resolve("random"), BlockData.RANDOM.generate(150_000, 4));
        Files.write(source.resolve("arm64-code"), BlockData.ARM64_CODE.generate(400_000, 5));
        Files.write(source.resolve("riscv-code"), BlockData.RISCV_CODE.generate(400_000, 6));
        Path small = Files.createDirectories(source.resolve("small"));
        for (int i = 0; i < 300; i++) {
            Files.write(small.resolve("f" + i), BlockData.values()[i % 4].generate(i * 37 % 5000, i));
        }
        files = read(source);
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                args("gzip", 131072, "-Xcompression-level", "1", "-Xwindow-size", "9", "-Xstrategy",
                        "default,filtered,huffman_only"),
                args("gzip", 1 << 20, "-Xwindow-size", "12"),
                args("gzip", 4096, "-Xwindow-size", "8", "-Xstrategy", "run_length_encoded,fixed"),
                args("gzip", 131072, "-Xstrategy", "fixed"),
                args("xz", 131072, "-Xbcj", "x86,arm,armthumb,powerpc,sparc,ia64", "-Xdict-size", "50%"),
                args("xz", 131072, "-Xbcj", "x86", "-Xdict-size", "8K"),
                args("xz", 131072, "-Xbcj", "arm64,riscv"),
                args("xz", 4096),
                args("xz", 1 << 20, "-Xdict-size", "75%"),
                // OpenWrt's image.mk
                args("xz", 262144, "-Xpreset", "9", "-Xe", "-Xlc", "0", "-Xlp", "2", "-Xpb", "2", "-Xbcj", "arm"),
                args("xz", 131072, "-Xpreset", "0", "-Xlc", "4", "-Xpb", "0"),
                args("lz4", 131072, "-Xhc"),
                args("lz4", 1 << 20, "-Xhc"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_11"),
                args("lzo", 4096, "-Xalgorithm", "lzo1x_1_12"),
                args("lzo", 1 << 20, "-Xalgorithm", "lzo1x_1_15"),
                args("lzo", 4096, "-Xcompression-level", "9"),
                args("lzo", 1 << 20, "-Xcompression-level", "1"),
                args("zstd", 1 << 20, "-Xcompression-level", "22"),
                args("zstd", 4096, "-Xcompression-level", "1"),
                args("zstd", 131072, "-Xcompression-level", "19"));
    }

    private static Arguments args(String comp, int blockSize, String... x) {
        return Arguments.of(comp, blockSize, List.of(x));
    }

    @ParameterizedTest(name = "{0} -b {1} {2}")
    @MethodSource("settings")
    void kernelAndUnsquashfsReadEveryFileBack(String comp, int blockSize, List<String> x) throws Exception {
        TestEnvironment.assumeKernelMount();
        Compressor c = Compressors.create(CompressorId.fromName(comp), x, blockSize);
        if (x.contains("arm64,riscv")) {
            // the filters are really used on these blocks: each shrinks them far below no filter
            Compressor plain = Compressors.defaults(CompressorId.XZ, blockSize);
            for (BlockData code : List.of(BlockData.ARM64_CODE, BlockData.RISCV_CODE)) {
                byte[] block = code.generate(blockSize, 7);
                org.junit.jupiter.api.Assertions.assertTrue(c.compress(block, 0, blockSize).length
                        < plain.compress(block, 0, blockSize).length * 3 / 4, code.toString());
            }
        }
        Path image = tmp.resolve("image-" + System.nanoTime() + ".sqfs");
        WriterOptions options = WriterOptions.builder(c).blockSize(blockSize).processors(2).build();
        new SquashfsWriter(options).write(new DirectoryTreeLoader().load(source), image);
        try (KernelMount mount = KernelMount.mount(image, tmp)) {
            assertSameFiles(mount.root(), c.describe() + " kernel");
        }
        if (x.stream().anyMatch(o -> o.contains("riscv"))) {
            // unsquashfs decodes xz with liblzma, which has the RISC-V filter only since 5.6
            System.out.println("unsquashfs not run for " + c.describe() + ": liblzma before 5.6 lacks the riscv filter");
            return;
        }
        Mksquashfs.assumeInstalled("unsquashfs");
        Path out = tmp.resolve("out-" + System.nanoTime());
        Mksquashfs.Result r = Mksquashfs.run(List.of("unsquashfs", "-no-progress", "-d", out.toString(), image.toString()));
        assertEquals(0, r.exitCode(), r.output());
        assertSameFiles(out, c.describe() + " unsquashfs");
        Files.delete(image);
    }

    private static void assertSameFiles(Path root, String what) throws IOException {
        SortedMap<String, byte[]> got = read(root);
        assertEquals(files.keySet(), got.keySet(), what);
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue(), got.get(e.getKey()), what + ": " + e.getKey());
        }
    }

    private static SortedMap<String, byte[]> read(Path root) throws IOException {
        SortedMap<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }
}
