package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our LZO1X against the real liblzo, through Debian's lzop: lzop decodes and checksums what our
 * encoder writes, our decoder reads what lzop's liblzo encoders write, and lzo1x_999 sizes are
 * compared with liblzo's on real files.
 */
class LzoAgainstLiblzoTest {
    @TempDir
    Path tmp;

    private static List<byte[]> syntheticInputs() {
        List<byte[]> inputs = new ArrayList<>();
        int[] sizes = {1, 2, 3, 17, 238, 239, 4096, 49151, 49152, 131072, LzopFile.BLOCK_SIZE};
        long seed = 1;
        for (BlockData kind : BlockData.values()) {
            for (int size : sizes) {
                inputs.add(kind.generate(size, seed++));
            }
        }
        inputs.add(new byte[LzopFile.BLOCK_SIZE]);
        return inputs;
    }

    /** Root filesystem-like files: shared libraries, executables, text; deterministic choice. */
    static List<Path> realFiles(long maxTotal) throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/bin",
                "/usr/share/common-licenses", "/usr/share/perl5", "/usr/share/doc")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p)).sorted().forEach(candidates::add);
            }
        }
        List<Path> chosen = new ArrayList<>();
        long total = 0;
        int step = Math.max(1, candidates.size() / 60);
        for (int i = 0; i < candidates.size() && total < maxTotal; i += step) {
            Path p = candidates.get(i);
            long size = Files.size(p);
            if (size >= 2048 && size <= 4 << 20 && Files.isReadable(p)) {
                chosen.add(p);
                total += size;
            }
        }
        return chosen;
    }

    private static List<LzopFile.Block> encode(Compressor c, byte[] data) {
        List<LzopFile.Block> blocks = new ArrayList<>();
        for (int off = 0; off < data.length; off += LzopFile.BLOCK_SIZE) {
            byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + LzopFile.BLOCK_SIZE));
            blocks.add(new LzopFile.Block(part, c.compress(part, 0, part.length)));
        }
        return blocks;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lzo1x_999:8", "lzo1x_999:1", "lzo1x_999:5", "lzo1x_999:9", "lzo1x_1:0", "lzo1x_1_11:0",
            "lzo1x_1_12:0", "lzo1x_1_15:0"})
    void liblzoDecodesWhatWeEncode(String setting) throws Exception {
        Mksquashfs.assumeInstalled("lzop");
        String[] s = setting.split(":");
        Compressor c = new LzoCompressor(LzoAlgorithm.fromName(s[0]), Integer.parseInt(s[1]));
        List<byte[]> inputs = new ArrayList<>(syntheticInputs());
        for (Path p : realFiles(3 << 20)) {
            inputs.add(Files.readAllBytes(p));
        }
        int compressedBlocks = 0;
        for (int i = 0; i < inputs.size(); i++) {
            byte[] data = inputs.get(i);
            List<LzopFile.Block> blocks = encode(c, data);
            compressedBlocks += blocks.stream().filter(b -> b.compressed() != null).count();
            Path file = tmp.resolve("in-" + i + ".lzo");
            Files.write(file, LzopFile.write("in-" + i, blocks));
            Mksquashfs.Result test = Mksquashfs.run(List.of("lzop", "-t", file.toString()));
            assertEquals(0, test.exitCode(), setting + " input " + i + ": " + test.output());
        }
        assertTrue(compressedBlocks > inputs.size() / 2, "only " + compressedBlocks + " blocks were compressed");
        // lzop -t verifies an Adler-32 of the decoded bytes; compare one decode byte for byte too.
        byte[] data = inputs.get(inputs.size() - 1);
        Path file = tmp.resolve("last.lzo");
        Files.write(file, LzopFile.write("last", encode(c, data)));
        Process p = new ProcessBuilder("lzop", "-dc", file.toString()).start();
        byte[] decoded = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        assertArrayEquals(data, decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-3", "-7", "-8", "-9"})
    void weDecodeWhatLiblzoEncodes(String level) throws Exception {
        Mksquashfs.assumeInstalled("lzop");
        Compressor c = Compressors.defaults(CompressorId.LZO, 131072);
        List<Path> files = new ArrayList<>(realFiles(4 << 20));
        int i = 0;
        for (byte[] synthetic : syntheticInputs()) {
            Path p = tmp.resolve("synthetic-" + i++);
            Files.write(p, synthetic);
            files.add(p);
        }
        int decodedBlocks = 0;
        for (Path f : files) {
            Process p = new ProcessBuilder("lzop", level, "-c", f.toString()).start();
            byte[] lzo = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "lzop " + level + " " + f);
            byte[] original = Files.readAllBytes(f);
            int off = 0;
            for (LzopFile.StoredBlock b : LzopFile.read(lzo)) {
                byte[] out = new byte[b.uncompressedLength()];
                if (b.compressed()) {
                    assertEquals(out.length, c.decompress(b.payload(), 0, b.payload().length, out, 0, out.length), f.toString());
                    decodedBlocks++;
                } else {
                    out = b.payload();
                }
                assertArrayEquals(Arrays.copyOfRange(original, off, off + out.length), out, f + " at " + off);
                off += out.length;
            }
            assertEquals(original.length, off, f.toString());
        }
        assertTrue(decodedBlocks > files.size() / 2, "only " + decodedBlocks + " blocks were LZO-compressed");
    }

    /**
     * lzo1x_999 level 8 (mksquashfs's default) against liblzo's (lzop -8, which is the same
     * lzo1x_999 level 8), in lzop's 256 KiB blocks on real files. Prints the comparison; fails if
     * ours is more than 0.5% larger in total.
     */
    @Test
    void lzo1x999SizesAgainstLiblzoOnRealFiles() throws Exception {
        Mksquashfs.assumeInstalled("lzop");
        Compressor c = Compressors.defaults(CompressorId.LZO, 131072);
        long ours = 0;
        long theirs = 0;
        long raw = 0;
        long oursNanos = 0;
        StringBuilder table = new StringBuilder(String.format("%-60s %10s %10s %10s %8s%n", "file", "size", "ours",
                "liblzo", "diff"));
        for (Path f : realFiles(12 << 20)) {
            byte[] data = Files.readAllBytes(f);
            long t0 = System.nanoTime();
            // no file name, like lzop -n: both files then differ only in their LZO payloads
            byte[] mine = LzopFile.write("", encode(c, data));
            oursNanos += System.nanoTime() - t0;
            Path file = tmp.resolve("cmp.lzo");
            Files.write(file, mine);
            assertEquals(0, Mksquashfs.run(List.of("lzop", "-t", file.toString())).exitCode(), f.toString());
            Process p = new ProcessBuilder("lzop", "-8", "-c", "-n", f.toString()).start();
            long ref = p.getInputStream().readAllBytes().length;
            assertEquals(0, p.waitFor());
            table.append(String.format("%-60s %10d %10d %10d %+7.2f%%%n", f, data.length, mine.length, ref,
                    100.0 * (mine.length - ref) / ref));
            ours += mine.length;
            theirs += ref;
            raw += data.length;
        }
        table.append(String.format("%-60s %10d %10d %10d %+7.2f%%   (ours %.1f MB/s, one thread)%n", "TOTAL", raw,
                ours, theirs, 100.0 * (ours - theirs) / theirs, raw / (oursNanos / 1e9) / 1e6));
        System.out.print("lzo1x_999 level 8, Strata vs liblzo 2.10 (lzop -8), 256 KiB blocks:\n" + table);
        assertTrue(raw > 1 << 20, "found only " + raw + " bytes of real files to compare on");
        assertTrue(ours <= theirs * 1.005, "ours " + ours + " vs liblzo " + theirs + ":\n" + table);
    }
}
