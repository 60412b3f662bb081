package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * Little-endian field source for on-disk structures. Implementations bound every read and throw
 * (with the byte offset) instead of reading past what is there.
 */
public interface LeInput {
    int u8() throws IOException;

    int u16() throws IOException;

    short s16() throws IOException;

    /** An unsigned 32-bit field. */
    long u32() throws IOException;

    /** A 32-bit field read as int (for counts and indices known to fit). */
    int i32() throws IOException;

    long u64() throws IOException;

    byte[] bytes(int n) throws IOException;

    /** Where the next byte comes from, for error messages ("inode table block 0x1a2b+0x40"). */
    String position();

    /**
     * Where the next byte comes from, kept for an error message that may never be made: its
     * toString() is what {@link #position()} says now. Readers of every inode and directory entry
     * mark where it starts; building that text for each of them was most of their work.
     */
    Object mark();

    /**
     * The image byte offset that best locates the next byte, for {@link CorruptImageException}: exact
     * for uncompressed input, the start of the metadata block for compressed input; -1 when unknown.
     */
    default long imageOffset() {
        return -1;
    }
}
