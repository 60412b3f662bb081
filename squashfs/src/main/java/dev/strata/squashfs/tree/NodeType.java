package dev.strata.squashfs.tree;

/** The kinds of file a SquashFS image can hold. */
public enum NodeType {
    DIRECTORY, FILE, SYMLINK, BLOCK_DEVICE, CHAR_DEVICE, FIFO, SOCKET
}
