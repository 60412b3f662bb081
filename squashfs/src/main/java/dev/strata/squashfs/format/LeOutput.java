package dev.strata.squashfs.format;

/** Little-endian field sink for on-disk structures. */
public interface LeOutput {
    void u8(int v);

    void u16(int v);

    void u32(long v);

    void u64(long v);

    void bytes(byte[] b);
}
