package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tukaani.xz.SingleXZInputStream;

/**
 * The own LZMA2 decoder against xz-java's and liblzma's encoders: it decodes every block they
 * write, including the ones behind each BCJ filter and blocks of several LZMA2 chunks, to the same
 * bytes as xz-java; on mutated blocks it ends as xz-java does, with a CorruptBlockException, or
 * hands the block to xz-java, and never fails any other way.
 */
class XzBlockDecoderTest {
    private static final int BLOCK = 128 * 1024;

    @TempDir
    Path temp;

    /** Binaries, text, zeros and noise, as squashfs blocks hold them. */
    static List<byte[]> samples() throws IOException {
        List<byte[]> out = new ArrayList<>();
        Random r = new Random(11);
        for (String lib : List.of("/bin/sh", "/usr/bin/java", "/bin/ls", "/usr/lib/os-release")) {
            Path p = Path.of(lib).toRealPath();
            byte[] b = Files.readAllBytes(p);
            out.add(java.util.Arrays.copyOf(b, Math.min(b.length, BLOCK)));
        }
        byte[] noise = new byte[BLOCK];
        r.nextBytes(noise);
        out.add(noise);
        out.add(new byte[BLOCK]);
        byte[] mixed = new byte[1 << 20];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (i % 4096 < 2048 ? r.nextInt(256) : "strata squashfs ".charAt(i % 16));
        }
        out.add(mixed);
        out.add(new byte[] {42});
        return out;
    }

    @ParameterizedTest
    @EnumSource(XzBcjFilter.class)
    void decodesWhatXzJavaWritesBehindEachFilter(XzBcjFilter filter) throws Exception {
        for (byte[] data : samples()) {
            int blockSize = data.length > BLOCK ? 1 << 20 : BLOCK;
            XzCompressor c = new XzCompressor(blockSize, blockSize, EnumSet.of(filter));
            checkBothPaths(c.compress(data, 0, data.length), data, blockSize);
        }
    }

    @Test
    void decodesWhatLiblzmaWrites() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/xz")),
                "xz is not installed (apt-get install xz-utils)");
        for (byte[] data : samples()) {
            for (String filter : List.of("--lzma2=dict=1MiB", "--x86 --lzma2=dict=1MiB", "--arm --lzma2=preset=9e,dict=1MiB")) {
                Path in = temp.resolve("in");
                Files.write(in, data);
                List<String> cmd = new ArrayList<>(List.of("xz", "--format=xz", "--check=crc32", "-c", "--keep"));
                cmd.addAll(List.of(filter.split(" ")));
                cmd.add(in.toString());
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                byte[] packed = p.getInputStream().readAllBytes();
                assertEquals(0, p.waitFor());
                checkBothPaths(packed, data, 1 << 20);
            }
        }
    }

    private static void checkBothPaths(byte[] packed, byte[] data, int blockSize) throws Exception {
        if (packed == null) {
            return; // stored raw: nothing to decode
        }
        byte[] ours = new byte[data.length + 7];
        int n = new XzBlockDecoder().decode(packed, 0, packed.length, ours, 7, data.length, blockSize);
        assertNotEquals(XzBlockDecoder.NOT_HANDLED, n, "the fast path handles what encoders write");
        assertEquals(data.length, n);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(ours, 7, 7 + n));
    }

    /** The one-shift probability update against the LZMA specification's two rules, for every probability. */
    @Test
    void probabilityUpdateIsTheSpecificationsForEveryValue() {
        for (int prob = 0; prob < 2048; prob++) {
            assertEquals(prob + ((2048 - prob) >>> 5), XzBlockDecoder.adapted(prob, -1), "after a 0 from " + prob);
            assertEquals(prob - (prob >>> 5), XzBlockDecoder.adapted(prob, 0), "after a 1 from " + prob);
        }
    }

    @Test
    void mutatedBlocksEndInCorruptBlockExceptionOrTheSameBytesAsXzJava() throws Exception {
        Random r = new Random(3);
        XzBlockDecoder decoder = new XzBlockDecoder();
        int checked = 0;
        int handed = 0;
        for (byte[] data : samples()) {
            int blockSize = data.length > BLOCK ? 1 << 20 : BLOCK;
            byte[] packed = new XzCompressor(blockSize, blockSize, Set.of(XzBcjFilter.X86)).compress(data, 0, data.length);
            if (packed == null) {
                continue;
            }
            for (int round = 0; round < 300; round++) {
                byte[] bad = packed.clone();
                int flips = 1 + r.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
                }
                int len = r.nextInt(10) == 0 ? r.nextInt(bad.length + 1) : bad.length;
                byte[] dst = new byte[blockSize];
                byte[] reference = xzJava(bad, len, blockSize);
                int n;
                try {
                    n = decoder.decode(bad, 0, len, dst, 0, blockSize, blockSize);
                } catch (CorruptBlockException e) {
                    checked++;
                    continue;
                }
                if (n == XzBlockDecoder.NOT_HANDLED) {
                    handed++;
                    continue;
                }
                // accepted: the checks (CRC32 of the data, index, footer) held, so xz-java agrees
                assertArrayEquals(reference, java.util.Arrays.copyOf(dst, n), "round " + round);
                checked++;
            }
        }
        System.out.printf("xz fast decoder: %d mutated blocks checked, %d handed to xz-java%n", checked, handed);
        assertEquals(0, handed > checked / 10 ? 1 : 0, "most mutations are judged by the fast path");
    }

    /** xz-java's result, or null where it refuses the block. */
    private static byte[] xzJava(byte[] src, int len, int max) {
        try (SingleXZInputStream in = new SingleXZInputStream(new ByteArrayInputStream(src, 0, len), 1 << 20)) {
            byte[] out = in.readNBytes(max + 1);
            return out.length > max ? null : out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
