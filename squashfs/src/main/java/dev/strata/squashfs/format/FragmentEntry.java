package dev.strata.squashfs.format;

import java.io.IOException;

/** A fragment table entry: where a fragment block is and its on-disk size word (bit 24 = uncompressed). */
public record FragmentEntry(long start, int sizeWord) {
    public static final int SIZE = FormatLimits.FRAGMENT_ENTRY_SIZE;

    public void write(LeOutput out) {
        out.u64(start);
        out.u32(sizeWord & 0xFFFFFFFFL);
        out.u32(0);
    }

    public static FragmentEntry read(LeInput in) throws IOException {
        long start = in.u64();
        int size = in.i32();
        in.u32();
        return new FragmentEntry(start, size);
    }

    public boolean uncompressed() {
        return (sizeWord & FormatLimits.DATA_UNCOMPRESSED) != 0;
    }

    public int onDiskSize() {
        return sizeWord & FormatLimits.DATA_SIZE_MASK;
    }
}
