package dev.strata.squashfs.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * OpenWrt's xz options (-Xpreset, -Xe, -Xlc, -Xlp, -Xpb): the encoder really runs with them (the
 * bytes equal xz-java's with liblzma's settings for that preset, and each chunk carries the lc/lp/pb
 * asked for), the options block stays the standard one the kernel reads, and bad values are refused.
 */
class LzmaTuningTest {
    private static final int BLOCK = 131072;
    private static final List<String> OPENWRT = List.of("-Xpreset", "9", "-Xe", "-Xlc", "0", "-Xlp", "2", "-Xpb", "2");

    @Test
    void openWrtSettingsAreTheEncodersSettings() throws IOException {
        byte[] data = BlockData.TEXT.generate(BLOCK, 11);
        XzCompressor c = (XzCompressor) Compressors.create(CompressorId.XZ, OPENWRT, BLOCK);
        byte[] ours = c.compress(data, 0, data.length);

        // liblzma's lzma_lzma_preset(9 | LZMA_PRESET_EXTREME), then lc/lp/pb
        LZMA2Options expected = liblzmaExtreme(9, 273, 512);
        expected.setLcLp(0, 2);
        expected.setPb(2);
        assertArrayEquals(xz(data, expected), ours);

        byte[] plain = Compressors.defaults(CompressorId.XZ, BLOCK).compress(data, 0, data.length);
        assertFalse(java.util.Arrays.equals(plain, ours), "the tuning changes the encoding");
        assertEquals((2 * 5 + 2) * 9 + 0, lzmaPropertiesOf(ours), "lc 0, lp 2, pb 2 in the first chunk");
        assertEquals((2 * 5 + 0) * 9 + 3, lzmaPropertiesOf(plain), "mksquashfs's lc 3, lp 0, pb 2");

        byte[] back = new byte[BLOCK];
        assertEquals(BLOCK, c.decompress(ours, 0, ours.length, back, 0, BLOCK));
        assertArrayEquals(data, back);
    }

    @Test
    void shallowExtremePresetsFollowLiblzma() throws IOException {
        byte[] data = BlockData.TEXT.generate(BLOCK, 12);
        byte[] ours = Compressors.create(CompressorId.XZ, List.of("-Xpreset", "5", "-Xe"), BLOCK).compress(data, 0, BLOCK);
        assertArrayEquals(xz(data, liblzmaExtreme(5, 192, 0)), ours);
    }

    @Test
    void theOptionsBlockIsTheStandardOne() {
        List<String> withBcj = new java.util.ArrayList<>(OPENWRT);
        withBcj.addAll(List.of("-Xbcj", "arm", "-Xdict-size", "50%"));
        Compressor tuned = Compressors.create(CompressorId.XZ, withBcj, BLOCK);
        Compressor standard = Compressors.create(CompressorId.XZ, List.of("-Xbcj", "arm", "-Xdict-size", "50%"), BLOCK);
        assertArrayEquals(standard.optionsBlock().orElseThrow(), tuned.optionsBlock().orElseThrow());
        assertTrue(Compressors.create(CompressorId.XZ, OPENWRT, BLOCK).optionsBlock().isEmpty(),
                "tuning alone needs no options block, as with OpenWrt's mksquashfs");
        assertTrue(tuned.describe().contains("preset 9e, lc 0, lp 2, pb 2"), tuned.describe());
    }

    @Test
    void presetExtremeIsLevelZeroWithTheFlagAsInOpenWrt() {
        XzCompressor c = (XzCompressor) Compressors.create(CompressorId.XZ, List.of("-Xpreset", "extreme"), BLOCK);
        assertEquals(new LzmaTuning(0, true, -1, -1, -1), c.tuning());
    }

    @Test
    void badValuesAreRefusedWithTheRule() {
        assertEquals("xz: -Xlc 3 with -Xlp 2: LZMA2 allows lc + lp of at most 4", assertThrows(
                IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.XZ, List.of("-Xlp", "2"), BLOCK)).getMessage());
        assertEquals("xz: -Xpreset 10 is out of range (allowed: 0..9)", assertThrows(IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.XZ, List.of("-Xpreset", "10"), BLOCK)).getMessage());
        assertEquals("xz: -Xpb 5 is out of range (allowed: 0..4)", assertThrows(IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.XZ, List.of("-Xpb", "5"), BLOCK)).getMessage());
        assertEquals("xz: -Xlc needs a value (allowed: 0..4)", assertThrows(IllegalArgumentException.class,
                () -> Compressors.create(CompressorId.XZ, List.of("-Xlc"), BLOCK)).getMessage());
    }

    /** What liblzma's table gives for an extreme preset, with the block as dictionary (written out here on purpose). */
    private static LZMA2Options liblzmaExtreme(int preset, int niceLen, int depth) throws IOException {
        LZMA2Options o = new LZMA2Options(preset);
        o.setMode(LZMA2Options.MODE_NORMAL);
        o.setMatchFinder(LZMA2Options.MF_BT4);
        o.setNiceLen(niceLen);
        o.setDepthLimit(depth);
        o.setDictSize(BLOCK);
        return o;
    }

    private static byte[] xz(byte[] data, LZMA2Options options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new FilterOptions[] {options}, XZ.CHECK_CRC32)) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    /** The properties byte of the first LZMA2 chunk: after the stream header, the block header and 5 chunk bytes. */
    private static int lzmaPropertiesOf(byte[] stream) {
        int blockHeaderSize = ((stream[12] & 0xFF) + 1) * 4;
        int chunk = 12 + blockHeaderSize;
        assertTrue((stream[chunk] & 0xFF) >= 0xE0, "the first chunk resets the dictionary and sets properties");
        return stream[chunk + 5] & 0xFF;
    }
}
