package dev.strata.squashfs.compress;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;

/**
 * How hard the LZMA2 encoder works and how it models literals: liblzma's preset level (0-9) and
 * extreme flag, and the lc/lp/pb bits, as OpenWrt's mksquashfs takes them (-Xpreset, -Xe, -Xlc,
 * -Xlp, -Xpb; its image.mk passes "-Xpreset 9 -Xe -Xlc 0 -Xlp 2 -Xpb 2"). None of it is stored in
 * the options block: every LZMA2 chunk carries its own lc/lp/pb, and the kernel needs nothing else.
 *
 * @param preset  liblzma preset level
 * @param extreme liblzma's LZMA_PRESET_EXTREME: a slower, deeper match search
 * @param lc      literal context bits, or -1 for the preset's (3)
 * @param lp      literal position bits, or -1 for the preset's (0)
 * @param pb      position bits, or -1 for the preset's (2)
 */
public record LzmaTuning(int preset, boolean extreme, int lc, int lp, int pb) {
    /** What mksquashfs uses without options: preset 6, lc 3, lp 0, pb 2. */
    public static final LzmaTuning DEFAULT = new LzmaTuning(6, false, -1, -1, -1);
    public static final int MAX_BITS = 4;

    public LzmaTuning {
        if (preset < 0 || preset > 9) {
            throw new IllegalArgumentException("xz: preset " + preset + " is out of range (allowed: 0..9)");
        }
        checkBits("-Xlc", lc);
        checkBits("-Xlp", lp);
        checkBits("-Xpb", pb);
        if (effective(lc, LZMA2Options.LC_DEFAULT) + effective(lp, LZMA2Options.LP_DEFAULT) > MAX_BITS) {
            throw new IllegalArgumentException("xz: -Xlc " + effective(lc, LZMA2Options.LC_DEFAULT) + " with -Xlp "
                    + effective(lp, LZMA2Options.LP_DEFAULT) + ": LZMA2 allows lc + lp of at most " + MAX_BITS);
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** xz-java's encoder settings for these, with the given dictionary. */
    LZMA2Options options(int dictSize) {
        try {
            LZMA2Options o = new LZMA2Options(preset);
            if (extreme) {
                // liblzma's lzma_lzma_preset() with LZMA_PRESET_EXTREME
                o.setMode(LZMA2Options.MODE_NORMAL);
                o.setMatchFinder(LZMA2Options.MF_BT4);
                boolean shallow = preset == 3 || preset == 5;
                o.setNiceLen(shallow ? 192 : 273);
                o.setDepthLimit(shallow ? 0 : 512);
            }
            o.setDictSize(dictSize);
            o.setLcLp(effective(lc, LZMA2Options.LC_DEFAULT), effective(lp, LZMA2Options.LP_DEFAULT));
            o.setPb(effective(pb, LZMA2Options.PB_DEFAULT));
            return o;
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz: " + e.getMessage(), e);
        }
    }

    /** "preset 9e, lc 0, lp 2, pb 2", naming only what differs from mksquashfs's defaults. */
    String describe() {
        StringBuilder sb = new StringBuilder("preset ").append(preset).append(extreme ? "e" : "");
        if (lc >= 0) {
            sb.append(", lc ").append(lc);
        }
        if (lp >= 0) {
            sb.append(", lp ").append(lp);
        }
        if (pb >= 0) {
            sb.append(", pb ").append(pb);
        }
        return sb.toString();
    }

    private static int effective(int value, int presetValue) {
        return value < 0 ? presetValue : value;
    }

    private static void checkBits(String option, int value) {
        if (value < -1 || value > MAX_BITS) {
            throw new IllegalArgumentException("xz: " + option + " " + value + " is out of range (allowed: 0..4)");
        }
    }
}
