package dev.strata.image.fat;

import dev.strata.image.partition.LittleEndian;

/**
 * A VFAT long name slot: 13 UTF-16 units of the name, its place in the sequence and the checksum of
 * the short entry it belongs to. A name of n slots is stored last slot first (ordinal n | 0x40),
 * immediately before its short entry.
 */
public final class LongNameRecord {
    public static final int UNITS_PER_SLOT = 13;
    static final int LAST = 0x40;
    private static final int[] OFFSETS = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

    private LongNameRecord() {
    }

    public static int slots(String name) {
        return (name.length() + UNITS_PER_SLOT - 1) / UNITS_PER_SLOT;
    }

    /** Writes the slots for name at off, in stored order; returns the bytes written. */
    public static int write(byte[] b, int off, String name, int checksum) {
        int n = slots(name);
        int pos = off;
        for (int slot = n; slot >= 1; slot--) {
            b[pos] = (byte) (slot | (slot == n ? LAST : 0));
            b[pos + 11] = DirectoryRecord.ATTR_LONG_NAME;
            b[pos + 12] = 0;
            b[pos + 13] = (byte) checksum;
            LittleEndian.put16(b, pos + 26, 0);
            int start = (slot - 1) * UNITS_PER_SLOT;
            for (int i = 0; i < UNITS_PER_SLOT; i++) {
                int at = start + i;
                int unit = at < name.length() ? name.charAt(at) : at == name.length() ? 0 : 0xffff;
                LittleEndian.put16(b, pos + OFFSETS[i], unit);
            }
            pos += DirectoryRecord.SIZE;
        }
        return pos - off;
    }

    static int ordinal(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int checksum(byte[] b, int off) {
        return b[off + 13] & 0xff;
    }

    /** The name units of one slot, up to its terminator. */
    static String units(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(UNITS_PER_SLOT);
        for (int o : OFFSETS) {
            int u = LittleEndian.u16(b, off + o);
            if (u == 0) {
                break;
            }
            sb.append((char) u);
        }
        return sb.toString();
    }
}
