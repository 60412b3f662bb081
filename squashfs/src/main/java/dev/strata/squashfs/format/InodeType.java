package dev.strata.squashfs.format;

import dev.strata.squashfs.tree.NodeType;

/** Inode type codes: 1-7 basic, 8-14 the extended form of the same kind. */
public enum InodeType {
    DIRECTORY(1, NodeType.DIRECTORY), FILE(2, NodeType.FILE), SYMLINK(3, NodeType.SYMLINK),
    BLOCK_DEVICE(4, NodeType.BLOCK_DEVICE), CHAR_DEVICE(5, NodeType.CHAR_DEVICE), FIFO(6, NodeType.FIFO),
    SOCKET(7, NodeType.SOCKET);

    /** values() copies its array at each call; inode types are looked up for every inode read. */
    private static final InodeType[] ALL = values();

    public static final int EXTENDED_OFFSET = 7;

    private final int basicCode;
    private final NodeType nodeType;

    InodeType(int basicCode, NodeType nodeType) {
        this.basicCode = basicCode;
        this.nodeType = nodeType;
    }

    public int basicCode() {
        return basicCode;
    }

    public int code(boolean extended) {
        return extended ? basicCode + EXTENDED_OFFSET : basicCode;
    }

    public NodeType nodeType() {
        return nodeType;
    }

    public static InodeType of(NodeType t) {
        for (InodeType i : values()) {
            if (i.nodeType == t) {
                return i;
            }
        }
        throw new IllegalArgumentException(t.toString());
    }

    /** The kind for a stored code (basic or extended), or null when the code is not 1..14. */
    public static InodeType fromCode(int code) {
        int basic = code > EXTENDED_OFFSET ? code - EXTENDED_OFFSET : code;
        for (InodeType i : ALL) {
            if (i.basicCode == basic) {
                return i;
            }
        }
        return null;
    }

    public static boolean isExtended(int code) {
        return code > EXTENDED_OFFSET;
    }
}
