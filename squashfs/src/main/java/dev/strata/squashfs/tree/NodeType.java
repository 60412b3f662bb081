package dev.strata.squashfs.tree;

import java.util.Optional;

/** The kinds of file a SquashFS image can hold, with their st_mode type bits (S_IFDIR...). */
public enum NodeType {
    DIRECTORY(0040000), FILE(0100000), SYMLINK(0120000), BLOCK_DEVICE(0060000), CHAR_DEVICE(0020000),
    FIFO(0010000), SOCKET(0140000);

    /** S_IFMT: the type part of st_mode. */
    public static final int TYPE_MASK = 0170000;

    private final int modeBits;

    NodeType(int modeBits) {
        this.modeBits = modeBits;
    }

    /** The S_IFMT bits of this type. */
    public int modeBits() {
        return modeBits;
    }

    /** st_mode of a node of this type with these permission bits. */
    public int mode(int permissions) {
        return modeBits | permissions;
    }

    /** The type st_mode's S_IFMT bits name, if any. */
    public static Optional<NodeType> ofMode(int mode) {
        for (NodeType t : values()) {
            if (t.modeBits == (mode & TYPE_MASK)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
