package dev.strata.squashfs.format;

import dev.strata.squashfs.tree.Name;
import java.io.IOException;

/**
 * One name in a directory listing.
 *
 * @param offset     the inode's offset inside the header's inode block
 * @param inodeDelta inode number minus the header's base number
 * @param basicType  the basic inode type code (1..7), even for extended inodes
 * @param name       1..256 bytes, no '/' or NUL
 */
public record DirectoryEntry(int offset, short inodeDelta, int basicType, byte[] name) {
    public static final int FIXED_SIZE = 8;

    public int size() {
        return FIXED_SIZE + name.length;
    }

    public void write(LeOutput out) {
        out.u16(offset);
        out.u16(inodeDelta);
        out.u16(basicType);
        out.u16(name.length - 1);
        out.bytes(name);
    }

    public static DirectoryEntry read(LeInput in) throws IOException {
        Object where = in.mark();
        long at = in.imageOffset();
        int offset = in.u16();
        short delta = in.s16();
        int type = in.u16();
        int nameSize = in.u16() + 1;
        if (type < 1 || type > InodeType.EXTENDED_OFFSET) {
            throw new CorruptImageException(at, "directory entry with inode type " + type + " at " + where);
        }
        if (nameSize > Name.MAX_LENGTH) {
            throw new CorruptImageException(at, "directory entry name of " + nameSize + " bytes at " + where);
        }
        byte[] name = in.bytes(nameSize);
        String problem = Name.problemWith(name);
        if (problem != null) {
            throw new CorruptImageException(at, "directory entry at " + where + ": " + problem);
        }
        return new DirectoryEntry(offset, delta, type, name);
    }
}
