package dev.strata.squashfs.format;

import java.io.IOException;

/** The 96-byte SquashFS 4.0 superblock at the start of an image. */
public record Superblock(long inodeCount, long modificationTime, int blockSize, long fragmentEntryCount,
                         int compressionId, int blockLog, int flags, int idCount, int versionMajor,
                         int versionMinor, long rootInodeRef, long bytesUsed, long idTableStart,
                         long xattrIdTableStart, long inodeTableStart, long directoryTableStart,
                         long fragmentTableStart, long exportTableStart) {
    public static final int SIZE = 96;
    public static final int MAGIC = 0x73717368; // "hsqs" little-endian
    /** Marks an absent table. */
    public static final long NO_TABLE = -1L;

    public void write(LeOutput out) {
        out.u32(MAGIC);
        out.u32(inodeCount);
        out.u32(modificationTime);
        out.u32(blockSize);
        out.u32(fragmentEntryCount);
        out.u16(compressionId);
        out.u16(blockLog);
        out.u16(flags);
        out.u16(idCount);
        out.u16(versionMajor);
        out.u16(versionMinor);
        out.u64(rootInodeRef);
        out.u64(bytesUsed);
        out.u64(idTableStart);
        out.u64(xattrIdTableStart);
        out.u64(inodeTableStart);
        out.u64(directoryTableStart);
        out.u64(fragmentTableStart);
        out.u64(exportTableStart);
    }

    /** Reads the fields; the magic is checked here, everything else by the reader's validation. */
    public static Superblock read(LeInput in) throws IOException {
        long magic = in.u32();
        if (magic != (MAGIC & 0xFFFFFFFFL)) {
            throw new CorruptImageException(0, String.format(
                    "not a SquashFS image: magic is 0x%08x, expected 0x%08x ('hsqs')", magic, MAGIC));
        }
        return new Superblock(in.u32(), in.u32(), in.i32(), in.u32(), in.u16(), in.u16(), in.u16(), in.u16(),
                in.u16(), in.u16(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64());
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }
}
