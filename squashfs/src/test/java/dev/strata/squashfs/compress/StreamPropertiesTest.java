package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel's decoders need from each block, checked with the xz and zstd programs: one
 * complete .xz stream with a CRC32 check, one BCJ filter at most and a dictionary no larger than
 * the block; one zstd frame with its content size and a window no larger than the block.
 */
class StreamPropertiesTest {
    @TempDir
    Path tmp;

    private static byte[] executable() throws Exception {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : List.of("mksquashfs", "xz", "ls")) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.size(p) > 100_000) {
                    return Files.readAllBytes(p);
                }
            }
        }
        return BlockData.REPETITIVE.generate(300_000, 9);
    }

    @Test
    void xzBlocksAreSingleCrc32StreamsWithTheBlockDictionary() throws Exception {
        Mksquashfs.assumeInstalled("xz");
        byte[] exe = executable();
        String[][] settings = {{}, {"-Xbcj", "x86"}, {"-Xbcj", "arm,x86", "-Xdict-size", "50%"}, {"-Xdict-size", "8K"}};
        for (String[] x : settings) {
            Compressor c = Compressors.create(CompressorId.XZ, List.of(x), 131072);
            byte[] block = Arrays.copyOf(exe, 131072);
            byte[] packed = c.compress(block, 0, block.length);
            assertNotNull(packed);
            Path f = tmp.resolve("b.xz");
            Files.write(f, packed);
            Mksquashfs.Result list = Mksquashfs.run(List.of("xz", "--robot", "--list", "-vv", f.toString()));
            assertEquals(0, list.exitCode(), list.output());
            String blockLine = list.output().lines().filter(l -> l.startsWith("block\t")).reduce((a, b) -> a + "\n" + b)
                    .orElseThrow();
            assertEquals(1, blockLine.lines().count(), list.output());
            assertTrue(blockLine.contains("\tCRC32\t"), blockLine);
            int dict = ((XzCompressor) c).dictSize();
            assertTrue(blockLine.endsWith("--lzma2=dict=" + (dict / 1024) + "KiB"), blockLine);
            String chain = blockLine.substring(blockLine.lastIndexOf('\t') + 1);
            int filters = chain.split(" ").length;
            assertTrue(filters <= 2, blockLine);
            if (x.length > 0 && x[0].equals("-Xbcj")) {
                // x86 code: the x86 filter wins over no filter and over arm
                assertTrue(blockLine.contains("--x86 --lzma2"), blockLine);
            }
            Process p = new ProcessBuilder("xz", "-dc", f.toString()).start();
            assertArrayEquals(block, p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor());
        }
    }

    /** xz 5.4 knows the arm64 filter (riscv came with 5.6): the block names it as its filter. */
    @Test
    void arm64CodeGetsTheArm64Filter() throws Exception {
        Mksquashfs.assumeInstalled("xz");
        Compressor c = Compressors.create(CompressorId.XZ, List.of("-Xbcj", "x86,arm64"), 131072);
        byte[] block = BlockData.ARM64_CODE.generate(131072, 3);
        Path f = tmp.resolve("arm64.xz");
        Files.write(f, c.compress(block, 0, block.length));
        Mksquashfs.Result list = Mksquashfs.run(List.of("xz", "--robot", "--list", "-vv", f.toString()));
        org.junit.jupiter.api.Assumptions.assumeTrue(list.exitCode() == 0, "this xz does not know the arm64 filter");
        assertTrue(list.output().contains("--arm64 --lzma2=dict=128KiB"), list.output());
        Process p = new ProcessBuilder("xz", "-dc", f.toString()).start();
        assertArrayEquals(block, p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
    }

    /** Metadata blocks as mksquashfs writes them: no BCJ filter, an 8 KiB dictionary. */
    @Test
    void xzMetadataBlocksUseAn8KDictionaryAndNoFilter() throws Exception {
        Mksquashfs.assumeInstalled("xz");
        Compressor c = Compressors.create(CompressorId.XZ, List.of("-Xbcj", "x86", "-Xdict-size", "50%"), 1 << 20);
        byte[] block = Arrays.copyOf(executable(), 8192);
        Path f = tmp.resolve("meta.xz");
        Files.write(f, c.compressMetadata(block, 0, block.length));
        Mksquashfs.Result list = Mksquashfs.run(List.of("xz", "--robot", "--list", "-vv", f.toString()));
        assertEquals(0, list.exitCode(), list.output());
        String blockLine = list.output().lines().filter(l -> l.startsWith("block\t")).findFirst().orElseThrow();
        assertTrue(blockLine.endsWith("\t--lzma2=dict=8KiB"), blockLine);
        assertTrue(blockLine.contains("\tCRC32\t"), blockLine);
    }

    @Test
    void gzipMetadataBlocksUseTheDefaultStrategyOnly() throws Exception {
        Compressor strategies = Compressors.create(CompressorId.GZIP, List.of("-Xstrategy", "huffman_only,fixed"), 131072);
        Compressor plain = Compressors.defaults(CompressorId.GZIP, 131072);
        byte[] block = BlockData.TEXT.generate(8192, 4);
        assertArrayEquals(plain.compress(block, 0, block.length), strategies.compressMetadata(block, 0, block.length));
        assertTrue(strategies.compress(block, 0, block.length).length > plain.compress(block, 0, block.length).length);
    }

    @Test
    void bcjChoiceKeepsTheSmallestResult() {
        byte[] text = BlockData.TEXT.generate(131072, 5);
        byte[] plain = Compressors.defaults(CompressorId.XZ, 131072).compress(text, 0, text.length);
        byte[] withFilters = Compressors.create(CompressorId.XZ, List.of("-Xbcj", "x86,arm,powerpc,sparc,ia64,armthumb"),
                131072).compress(text, 0, text.length);
        assertTrue(withFilters.length <= plain.length, withFilters.length + " > " + plain.length);
    }

    @Test
    void zstdBlocksAreOneFrameWithContentSizeAndABlockWindow() throws Exception {
        Mksquashfs.assumeInstalled("zstd");
        byte[] exe = executable();
        for (int blockSize : new int[] {4096, 131072}) {
            for (String level : List.of("1", "15", "22")) {
                Compressor c = Compressors.create(CompressorId.ZSTD, List.of("-Xcompression-level", level), blockSize);
                byte[] block = Arrays.copyOf(exe, blockSize);
                byte[] packed = c.compress(block, 0, block.length);
                assertNotNull(packed);
                Path f = tmp.resolve("b.zst");
                Files.write(f, packed);
                Mksquashfs.Result list = Mksquashfs.run(List.of("zstd", "-lv", f.toString()));
                assertEquals(0, list.exitCode(), list.output());
                assertTrue(list.output().contains("# Zstandard Frames: 1"), list.output());
                assertTrue(list.output().contains("Decompressed Size: ") && list.output().contains("(" + blockSize + " B)"),
                        list.output());
                String window = list.output().lines().filter(l -> l.startsWith("Window Size:")).findFirst().orElseThrow();
                long bytes = Long.parseLong(window.replaceAll(".*\\((\\d+) B\\).*", "$1"));
                assertTrue(bytes <= Math.max(blockSize, 8192), window);
                Process p = new ProcessBuilder("zstd", "-dc", f.toString()).start();
                assertArrayEquals(block, p.getInputStream().readAllBytes());
                assertEquals(0, p.waitFor());
            }
        }
    }
}
