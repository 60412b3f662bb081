package dev.strata.squashfs.format;

import java.io.IOException;

/**
 * The 16-byte header every inode starts with.
 *
 * @param typeCode    1..14 (extended forms are basic + 7)
 * @param permissions mode bits without the file type (07777)
 * @param uidIndex    index into the id table
 * @param gidIndex    index into the id table
 * @param mtime       seconds since the epoch, unsigned 32 bits
 * @param inodeNumber 1..inode_count
 */
public record InodeHeader(int typeCode, int permissions, int uidIndex, int gidIndex, long mtime, long inodeNumber) {
    public static final int SIZE = 16;

    public InodeType type() {
        return InodeType.fromCode(typeCode);
    }

    public boolean extended() {
        return InodeType.isExtended(typeCode);
    }

    public void write(LeOutput out) {
        out.u16(typeCode);
        out.u16(permissions);
        out.u16(uidIndex);
        out.u16(gidIndex);
        out.u32(mtime);
        out.u32(inodeNumber);
    }

    public static InodeHeader read(LeInput in) throws IOException {
        Object where = in.mark();
        long at = in.imageOffset();
        int code = in.u16();
        if (InodeType.fromCode(code) == null) {
            throw new CorruptImageException(at, "unknown inode type " + code + " at " + where);
        }
        return new InodeHeader(code, in.u16() & 07777, in.u16(), in.u16(), in.u32(), in.u32());
    }
}
