package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompressorsTest {
    @Test
    void defaultsAreMksquashfsDefaults() {
        GzipCompressor gzip = (GzipCompressor) Compressors.defaults(CompressorId.GZIP, 131072);
        assertEquals(9, gzip.level());
        assertEquals(15, gzip.windowBits());
        assertTrue(gzip.strategies().isEmpty());
        XzCompressor xz = (XzCompressor) Compressors.defaults(CompressorId.XZ, 262144);
        assertEquals(262144, xz.dictSize());
        assertTrue(xz.filters().isEmpty());
        assertFalse(((Lz4Compressor) Compressors.defaults(CompressorId.LZ4, 131072)).highCompression());
        LzoCompressor lzo = (LzoCompressor) Compressors.defaults(CompressorId.LZO, 131072);
        assertEquals(LzoAlgorithm.LZO1X_999, lzo.algorithm());
        assertEquals(8, lzo.level());
        assertEquals(15, ((ZstdCompressor) Compressors.defaults(CompressorId.ZSTD, 131072)).level());
        for (CompressorId id : List.of(CompressorId.GZIP, CompressorId.XZ, CompressorId.LZO, CompressorId.ZSTD)) {
            assertTrue(Compressors.defaults(id, 131072).optionsBlock().isEmpty(), id.toString());
        }
    }

    @Test
    void lzmaIsRefusedForWritingButReadable() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.defaults(CompressorId.LZMA, 131072));
        assertTrue(e.getMessage().contains("not supported by mainline Linux kernels"), e.getMessage());
        Compressor reader = Compressors.fromOptionsBlock(CompressorId.LZMA, null, 131072);
        assertInstanceOf(LzmaDecoder.class, reader);
        assertThrows(UnsupportedOperationException.class, () -> reader.compress(new byte[10], 0, 10));
        assertThrows(CorruptBlockException.class, () -> reader.decompress(new byte[5], 0, 5, new byte[10], 0, 10));
    }

    @Test
    void xOptionsAreParsedAsMksquashfsSpellsThem() {
        XzCompressor xz = (XzCompressor) Compressors.create(CompressorId.XZ,
                List.of("-Xbcj", "x86,arm", "-Xdict-size", "50%", "-Xbcj", "riscv"), 131072);
        assertEquals(65536, xz.dictSize());
        assertEquals(Set.of(XzBcjFilter.X86, XzBcjFilter.ARM, XzBcjFilter.RISCV), xz.filters());
        assertEquals("xz (dict 64K, bcj x86,arm,riscv)", xz.describe());

        GzipCompressor gzip = (GzipCompressor) Compressors.create(CompressorId.GZIP,
                List.of("-Xcompression-level", "4", "-Xwindow-size", "11", "-Xstrategy", "huffman_only,default"), 65536);
        assertEquals(4, gzip.level());
        assertEquals(11, gzip.windowBits());
        assertEquals(Set.of(GzipStrategy.DEFAULT, GzipStrategy.HUFFMAN_ONLY), gzip.strategies());
        assertEquals("gzip (level 4, window 11, strategies default,huffman_only)", gzip.describe());

        LzoCompressor lzo = (LzoCompressor) Compressors.create(CompressorId.LZO, List.of("-Xalgorithm", "lzo1x_1_15"), 4096);
        assertEquals(LzoAlgorithm.LZO1X_1_15, lzo.algorithm());
        assertEquals(0, lzo.level());
        assertEquals("lzo (lzo1x_1_15)", lzo.describe());
        assertEquals("lzo (lzo1x_999 level 3)",
                Compressors.create(CompressorId.LZO, List.of("-Xcompression-level", "3"), 4096).describe());
        assertEquals("lz4 (high compression)", Compressors.create(CompressorId.LZ4, List.of("-Xhc"), 4096).describe());
        assertEquals("zstd (level 19)",
                Compressors.create(CompressorId.ZSTD, List.of("-Xcompression-level", "19"), 4096).describe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "50%    | 131072  | 65536",
        "75%    | 131072  | 98304",
        "37.5%  | 131072  | 49152",
        "100%   | 131072  | 131072",
        "25%    | 1048576 | 262144",
        "8192   | 131072  | 8192",
        "64K    | 131072  | 65536",
        "64k    | 131072  | 65536",
        "1M     | 1048576 | 1048576",
        "1m     | 1048576 | 1048576",
    })
    void dictSizes(String text, int blockSize, int expected) {
        assertEquals(expected, Compressors.parseDictSize(text, blockSize));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip | -Xfoo                          | gzip: does not know the option -Xfoo (allowed: -Xcompression-level, -Xwindow-size, -Xstrategy)",
        "gzip | hello                          | gzip: expected a -X option but got 'hello'",
        "gzip | -Xcompression-level            | gzip: -Xcompression-level needs a value (allowed: 1..9)",
        "gzip | -Xcompression-level,nine       | gzip: -Xcompression-level 'nine' is not a number (allowed: 1..9)",
        "gzip | -Xcompression-level,0          | gzip: -Xcompression-level 0 is out of range (allowed: 1..9)",
        "gzip | -Xwindow-size,16               | gzip: -Xwindow-size 16 is out of range (allowed: 8..15)",
        "gzip | -Xstrategy,default;;filtered   | has an empty name",
        "gzip | -Xstrategy,rle                 | gzip: unknown strategy 'rle' (allowed: default, filtered, huffman_only, run_length_encoded, fixed)",
        "xz   | -Xbcj,x86;mips                 | xz: unknown BCJ filter 'mips' (allowed: x86, powerpc, ia64, arm, armthumb, sparc, arm64, riscv)",
        "xz   | -Xdict-size,256K               | xz: -Xdict-size 256K is larger than the block size 131072",
        "xz   | -Xdict-size,4K                 | allowed: 8192 bytes or larger",
        "xz   | -Xdict-size,100K               | not storable in the xz header",
        "xz   | -Xdict-size,1.5K               | is fractional",
        "xz   | -Xdict-size,lots               | is not a size",
        "xz   | -Xdict-size,150%               | allowed: 0% < size <= 100%",
        "lz4  | -Xhc,-Xhd                      | lz4: does not know the option -Xhd (allowed: -Xhc)",
        "lzo  | -Xalgorithm,lzo1x_1,-Xcompression-level,5 | lzo: -Xcompression-level applies only to -Xalgorithm lzo1x_999, not lzo1x_1",
        "lzo  | -Xalgorithm,lzo1y                | lzo: unknown algorithm 'lzo1y' (allowed: lzo1x_1, lzo1x_1_11, lzo1x_1_12, lzo1x_1_15, lzo1x_999)",
        "zstd | -Xcompression-level,23         | zstd: -Xcompression-level 23 is out of range (allowed: 1..22)",
    })
    void badOptionsSayWhatIsWrongAndWhatIsAllowed(String comp, String args, String message) {
        List<String> x = List.of(args.replace(';', '\u0000').split(","));
        List<String> fixed = x.stream().map(a -> a.replace('\u0000', ',')).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.fromName(comp), fixed, 131072));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void blockSizeMustBeAPowerOfTwoBetween4KAnd1M() {
        for (int bad : new int[] {0, 2048, 100000, 2 << 20}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Compressors.defaults(CompressorId.ZSTD, bad));
            assertTrue(e.getMessage().contains("power of two from 4096 to 1048576"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip | 000000000f000000     | compression level 0",
        "gzip | 090000000f00         | 6 bytes (expected 8)",
        "gzip | 090000001000 0000    | window size 16",
        "gzip | 090000000f002000     | unknown strategy bits 0x20",
        "xz   | 0000010000000000     | dictionary size 65536 is larger than the block size 32768",
        "xz   | 0050000000000000     | dictionary size 20480 (must be 2^n or 2^n+2^(n+1))",
        "xz   | 0080000000010000     | unknown filter bits 0x100",
        "lz4  | 0200000000000000     | stream version 2",
        "lz4  | 0100000002000000     | flags 0x2",
        "lzo  | 0500000000000000     | algorithm 5",
        "lzo  | 0000000008000000     | compression level 8 for lzo1x_1 (must be 0)",
        "lzo  | 0400000000000000     | compression level 0 for lzo1x_999 (allowed: 1..9)",
        "zstd | 17000000             | compression level 23",
        "zstd | 0f000000 00          | 5 bytes (expected 4)",
        "lzma | 00                   | lzma has none",
    })
    void malformedOptionsBlocksAreRefused(String comp, String hex, String message) {
        byte[] payload = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.fromOptionsBlock(CompressorId.fromName(comp), payload, 32768));
        assertTrue(e.getMessage().startsWith(comp + ": bad compressor options block: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void lz4ImagesWithoutAnOptionsBlockAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compressors.fromOptionsBlock(CompressorId.LZ4, null, 131072));
        assertTrue(e.getMessage().contains("lz4 images always carry"), e.getMessage());
    }

    @Test
    void missingOptionsBlockMeansDefaults() {
        for (CompressorId id : List.of(CompressorId.GZIP, CompressorId.XZ, CompressorId.LZO, CompressorId.ZSTD)) {
            assertEquals(Compressors.defaults(id, 65536).describe(),
                    Compressors.fromOptionsBlock(id, null, 65536).describe());
            assertEquals(Compressors.defaults(id, 65536).describe(),
                    Compressors.fromOptionsBlock(id, new byte[0], 65536).describe());
        }
    }
}
