package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blocks written by the real compressor libraries through mksquashfs (zlib, liblzma, liblz4,
 * liblzo2, libzstd) decode with our compressors, which are set up from the image's options block
 * as a reader would: the first inode metadata block and every data block of a one-file image.
 */
class MksquashfsImagesDecodeTest {
    @TempDir
    static Path tmp;
    static Path source;
    static byte[] content;

    @BeforeAll
    static void makeSource() throws Exception {
        source = Files.createDirectories(tmp.resolve("src"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        // an x86 executable (for the BCJ filters), text, sparse and repetitive data, incompressible bytes
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "mksquashfs");
            if (Files.isRegularFile(p)) {
                byte[] exe = Files.readAllBytes(p);
                b.write(exe, 0, Math.min(exe.length, 300_000));
                break;
            }
        }
        b.writeBytes(BlockData.TEXT.generate(200_000, 1));
        b.writeBytes(new byte[140_000]);
        b.writeBytes(BlockData.SPARSE.generate(100_000, 2));
        b.writeBytes(BlockData.REPETITIVE.generate(250_000, 3));
        b.writeBytes(BlockData.RANDOM.generate(70_000, 4));
        content = b.toByteArray();
        Files.write(source.resolve("file"), content);
    }

    static Stream<Arguments> images() {
        return Stream.of(
                args("gzip", 131072),
                args("gzip", 131072, "-Xcompression-level", "1", "-Xwindow-size", "10", "-Xstrategy", "filtered,huffman_only"),
                args("gzip", 131072, "-Xstrategy", "run_length_encoded,fixed"),
                args("xz", 131072),
                args("xz", 131072, "-Xbcj", "x86", "-Xdict-size", "50%"),
                args("xz", 4096),
                args("xz", 1048576, "-Xbcj", "x86,arm"),
                args("lz4", 131072),
                args("lz4", 131072, "-Xhc"),
                args("lzo", 131072),
                args("lzo", 4096),
                args("lzo", 1048576, "-Xcompression-level", "9"),
                args("lzo", 131072, "-Xcompression-level", "1"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_11"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_12"),
                args("lzo", 131072, "-Xalgorithm", "lzo1x_1_15"),
                args("zstd", 131072),
                args("zstd", 1048576, "-Xcompression-level", "22"),
                args("zstd", 4096, "-Xcompression-level", "1"),
                args("lzma", 131072));
    }

    private static Arguments args(String comp, int blockSize, String... x) {
        return Arguments.of(comp, blockSize, List.of(x));
    }

    @ParameterizedTest(name = "{0} -b {1} {2}")
    @MethodSource("images")
    void ourDecoderReadsWhatMksquashfsWrote(String comp, int blockSize, List<String> x) throws Exception {
        Mksquashfs.assumeInstalled("mksquashfs");
        Path img = tmp.resolve("img-" + System.nanoTime());
        Mksquashfs.Result r = Mksquashfs.make(source, img, comp, blockSize, x, "-no-fragments");
        assertEquals(0, r.exitCode(), r.output());
        Mksquashfs.Image image = Mksquashfs.read(img);
        CompressorId id = CompressorId.fromId(image.compressorId());
        Compressor c = Compressors.fromOptionsBlock(id, image.options().orElse(null), image.blockSize());
        ByteBuffer le = image.le();

        int inodeTable = (int) le.getLong(64);
        int header = le.getShort(inodeTable) & 0xFFFF;
        byte[] inodes = new byte[8192];
        int n;
        if ((header & 0x8000) != 0) {
            n = header & 0x7FFF;
            System.arraycopy(image.bytes(), inodeTable + 2, inodes, 0, n);
        } else {
            n = c.decompress(image.bytes(), inodeTable + 2, header & 0x7FFF, inodes, 0, inodes.length);
        }
        ByteBuffer inode = ByteBuffer.wrap(inodes, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, inode.getShort(0), "the first inode should be the file's basic file inode");
        int blocksStart = inode.getInt(16);
        assertEquals(-1, inode.getInt(20), "no fragment expected with -no-fragments");
        assertEquals(content.length, inode.getInt(28));

        int blocks = (content.length + image.blockSize() - 1) / image.blockSize();
        int pos = blocksStart;
        int decoded = 0;
        int identical = 0;
        long theirBytes = 0;
        long ourBytes = 0;
        for (int i = 0; i < blocks; i++) {
            int word = inode.getInt(32 + 4 * i);
            int size = word & 0xFFFFFF;
            int from = i * image.blockSize();
            int expectedLength = Math.min(image.blockSize(), content.length - from);
            byte[] expected = Arrays.copyOfRange(content, from, from + expectedLength);
            byte[] got = new byte[expectedLength];
            if (size == 0) {
                // sparse block: all zeros, nothing stored
            } else if ((word & (1 << 24)) != 0) {
                System.arraycopy(image.bytes(), pos, got, 0, size);
            } else {
                byte[] out = new byte[image.blockSize()];
                int len = c.decompress(image.bytes(), pos, size, out, 0, out.length);
                assertEquals(expectedLength, len, "block " + i);
                got = Arrays.copyOf(out, len);
                decoded++;
                if (id != CompressorId.LZMA) {
                    byte[] ours = c.compress(got, 0, len);
                    identical += Arrays.equals(ours, Arrays.copyOfRange(image.bytes(), pos, pos + size)) ? 1 : 0;
                    theirBytes += size;
                    ourBytes += ours == null ? len : ours.length;
                }
            }
            assertArrayEquals(expected, got, c.describe() + " block " + i);
            pos += size;
        }
        assertTrue(decoded >= blocks / 2, "only " + decoded + " of " + blocks + " blocks were compressed");
        if (id != CompressorId.LZMA) {
            System.out.printf("%s %s -b %d: %d of %d blocks byte-identical to mksquashfs's; their blocks %d bytes,"
                    + " ours %d (%+.2f%%)%n", comp, x, blockSize, identical, decoded, theirBytes, ourBytes,
                    100.0 * (ourBytes - theirBytes) / theirBytes);
        }
        Files.delete(img);
    }
}
