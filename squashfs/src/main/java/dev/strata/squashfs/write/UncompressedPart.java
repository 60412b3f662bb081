package dev.strata.squashfs.write;

import dev.strata.squashfs.format.SuperblockFlags;
import java.util.Set;

/**
 * Parts of an image that can be stored without compression (mksquashfs -noI, -noId, -noD, -noF,
 * -noX; -no-compression is all of them). Useful when the medium compresses already, for images
 * read by boot loaders without a decompressor, and for inspecting an image with a hex editor.
 */
public enum UncompressedPart {
    /** The inode, directory and export tables, and the id table with them (-noI). */
    INODES,
    /** The uid/gid table alone (-noId). */
    IDS,
    /** File data blocks (-noD). */
    DATA,
    /** Fragment blocks and the fragment table (-noF). */
    FRAGMENTS,
    /** The extended attribute tables (-noX). */
    XATTRS;

    /** The superblock flags for these parts, as mksquashfs sets them (-noI implies -noId and takes its place). */
    static int superblockFlags(Set<UncompressedPart> parts) {
        boolean inodes = parts.contains(INODES);
        return (inodes ? SuperblockFlags.UNCOMPRESSED_INODES : 0)
                | (parts.contains(DATA) ? SuperblockFlags.UNCOMPRESSED_DATA : 0)
                | (parts.contains(FRAGMENTS) ? SuperblockFlags.UNCOMPRESSED_FRAGMENTS : 0)
                | (parts.contains(XATTRS) ? SuperblockFlags.UNCOMPRESSED_XATTRS : 0)
                | (parts.contains(IDS) && !inodes ? SuperblockFlags.UNCOMPRESSED_IDS : 0);
    }

    /** Whether the id table is compressed: -noI leaves it uncompressed too. */
    static boolean compressIds(Set<UncompressedPart> parts) {
        return !parts.contains(INODES) && !parts.contains(IDS);
    }
}
