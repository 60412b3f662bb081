package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For a matrix of -X settings, makes an image with mksquashfs 4.5.1 and checks that
 * optionsBlock() is byte for byte the block mksquashfs wrote after the superblock (or absent
 * when it wrote none), and that the block read back gives the same compressor.
 */
class OptionsBlockMatchesMksquashfsTest {
    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void makeSource() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        Files.write(source.resolve("data"), BlockData.TEXT.generate(20000, 1));
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                args("gzip", 131072),
                args("gzip", 131072, "-Xcompression-level", "9"),
                args("gzip", 131072, "-Xcompression-level", "1"),
                args("gzip", 131072, "-Xcompression-level", "6", "-Xwindow-size", "12"),
                args("gzip", 131072, "-Xwindow-size", "8"),
                args("gzip", 131072, "-Xwindow-size", "15"),
                args("gzip", 131072, "-Xstrategy", "default"),
                args("gzip", 131072, "-Xstrategy", "default,filtered"),
                args("gzip", 131072, "-Xstrategy", "filtered,huffman_only"),
                args("gzip", 65536, "-Xstrategy", "huffman_only", "-Xcompression-level", "3"),
                args("gzip", 131072, "-Xstrategy", "run_length_encoded"),
                args("gzip", 131072, "-Xstrategy", "fixed"),
                args("gzip", 131072, "-Xstrategy", "default,filtered,huffman_only,run_length_encoded,fixed"),
                args("xz", 131072),
                args("xz", 131072, "-Xbcj", "x86"),
                args("xz", 131072, "-Xbcj", "x86,arm"),
                args("xz", 131072, "-Xbcj", "powerpc,ia64,arm,armthumb,sparc,x86"),
                args("xz", 131072, "-Xbcj", "arm", "-Xbcj", "x86"),
                args("xz", 131072, "-Xdict-size", "50%"),
                args("xz", 131072, "-Xdict-size", "75%"),
                args("xz", 131072, "-Xdict-size", "37.5%"),
                args("xz", 131072, "-Xdict-size", "100%"),
                args("xz", 131072, "-Xdict-size", "131072"),
                args("xz", 131072, "-Xdict-size", "64K"),
                args("xz", 262144, "-Xdict-size", "8k", "-Xbcj", "armthumb"),
                args("xz", 1048576, "-Xdict-size", "1M"),
                args("xz", 1048576, "-Xdict-size", "512K", "-Xbcj", "sparc"),
                args("xz", 4096),
                args("lz4", 131072),
                args("lz4", 131072, "-Xhc"),
                args("lzo", 131072),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_999"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_999", "-Xcompression-level", "8"),
                args("lzo", 131072, "-Xcompression-level", "9"),
                args("lzo", 131072, "-Xcompression-level", "1"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_11"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_12"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_15"),
                args("zstd", 131072),
                args("zstd", 131072, "-Xcompression-level", "15"),
                args("zstd", 131072, "-Xcompression-level", "1"),
                args("zstd", 131072, "-Xcompression-level", "19"),
                args("zstd", 1048576, "-Xcompression-level", "22"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                args("gzip", 131072, "-Xcompression-level", "0"),
                args("gzip", 131072, "-Xcompression-level", "10"),
                args("gzip", 131072, "-Xwindow-size", "7"),
                args("gzip", 131072, "-Xwindow-size", "16"),
                args("gzip", 131072, "-Xstrategy", "fast"),
                args("gzip", 131072, "-Xwindow-size"),
                args("xz", 131072, "-Xdict-size", "256K"),
                args("xz", 131072, "-Xdict-size", "4K"),
                args("xz", 131072, "-Xdict-size", "100K"),
                args("xz", 131072, "-Xdict-size", "12.5K"),
                args("xz", 131072, "-Xdict-size", "0%"),
                args("xz", 131072, "-Xdict-size", "101%"),
                args("xz", 131072, "-Xdict-size", "10%"),
                args("xz", 131072, "-Xbcj", "mips"),
                args("xz", 131072, "-Xhc"),
                args("lz4", 131072, "-Xcompression-level", "3"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1", "-Xcompression-level", "5"),
                args("lzo", 131072, "-Xcompression-level", "5", "-Xalgorithm", "lzo1x_1_15"),
                args("lzo", 131072, "-Xalgorithm", "lzo2a"),
                args("lzo", 131072, "-Xcompression-level", "10"),
                args("zstd", 131072, "-Xcompression-level", "0"),
                args("zstd", 131072, "-Xcompression-level", "23"));
    }

    private static Arguments args(String comp, int blockSize, String... x) {
        return Arguments.of(comp, blockSize, List.of(x));
    }

    @ParameterizedTest(name = "{0} -b {1} {2}")
    @MethodSource("accepted")
    void optionsBlockIsWhatMksquashfsWrites(String comp, int blockSize, List<String> x) throws Exception {
        Mksquashfs.assumeInstalled("mksquashfs");
        Path img = tmp.resolve("img-" + System.nanoTime());
        Mksquashfs.Result r = Mksquashfs.make(source, img, comp, blockSize, x);
        assertEquals(0, r.exitCode(), r.output());
        Mksquashfs.Image image = Mksquashfs.read(img);
        CompressorId id = CompressorId.fromName(comp);
        assertEquals(id.id(), image.compressorId());

        Compressor ours = Compressors.create(id, x, blockSize);
        assertEquals(hex(image.options()), hex(ours.optionsBlock()), ours.describe());

        Compressor reread = Compressors.fromOptionsBlock(id, image.options().orElse(null), blockSize);
        assertEquals(hex(image.options()), hex(reread.optionsBlock()), reread.describe());
        assertEquals(ours.describe(), reread.describe());
        Files.delete(img);
    }

    @ParameterizedTest(name = "{0} -b {1} {2}")
    @MethodSource("rejected")
    void settingsMksquashfsRefusesAreRefused(String comp, int blockSize, List<String> x) throws Exception {
        Mksquashfs.assumeInstalled("mksquashfs");
        Path img = tmp.resolve("bad-" + System.nanoTime());
        Mksquashfs.Result r = Mksquashfs.make(source, img, comp, blockSize, x);
        assertNotEquals(0, r.exitCode(), "mksquashfs accepted " + x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.fromName(comp), x, blockSize));
        String message = e.getMessage();
        assertTrue(message.startsWith(comp + ": ") && !message.contains("\n"), message);
        assertTrue(message.contains("allowed") || message.contains("larger than") || message.contains("only"), message);
    }

    @Test
    void lz4AlwaysWritesItsOptionsBlock() {
        assertEquals("0100000000000000", hex(Compressors.defaults(CompressorId.LZ4, 131072).optionsBlock()));
        assertEquals("0100000001000000", hex(Compressors.create(CompressorId.LZ4, List.of("-Xhc"), 4096).optionsBlock()));
    }

    private static String hex(Optional<byte[]> b) {
        return b.map(HexFormat.of()::formatHex).orElse("(none)");
    }
}
