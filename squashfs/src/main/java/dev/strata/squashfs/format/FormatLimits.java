package dev.strata.squashfs.format;

/** Sizes fixed by the format. */
public final class FormatLimits {
    /** Uncompressed payload of a metadata block. */
    public static final int METADATA_BLOCK_SIZE = 8192;
    /** Metadata block header bit: payload stored uncompressed. */
    public static final int METADATA_UNCOMPRESSED = 0x8000;
    /** Data block size word bit: block stored uncompressed. */
    public static final int DATA_UNCOMPRESSED = 1 << 24;
    /** Bits of a data block size word that may be set at all. */
    public static final int DATA_SIZE_MASK = (1 << 24) - 1;
    /** Entries per directory header. */
    public static final int DIRECTORY_HEADER_MAX_ENTRIES = 256;
    /** Added to a directory's listing size for "." and "..". */
    public static final int DIRECTORY_SIZE_BIAS = 3;
    /** Marks "no fragment" and "no xattrs" in inodes. */
    public static final int NONE = 0xFFFFFFFF;
    public static final int FRAGMENT_ENTRY_SIZE = 16;
    public static final int EXPORT_ENTRY_SIZE = 8;
    public static final int ID_ENTRY_SIZE = 4;
    public static final int XATTR_ID_ENTRY_SIZE = 16;
    /** Images are padded to this multiple unless asked not to. */
    public static final int PADDING = 4096;

    private FormatLimits() {
    }

    /** A metadata reference: block start relative to its table, and offset within the block. */
    public static long reference(long blockStart, int offset) {
        return (blockStart << 16) | offset;
    }

    public static long referenceBlock(long ref) {
        return ref >>> 16;
    }

    public static int referenceOffset(long ref) {
        return (int) (ref & 0xFFFF);
    }
}
