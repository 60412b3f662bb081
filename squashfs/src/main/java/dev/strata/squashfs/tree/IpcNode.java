package dev.strata.squashfs.tree;

/** A named pipe or a Unix socket: nothing but metadata. */
public final class IpcNode extends Node {
    private final NodeType type;

    public IpcNode(NodeType type, int permissions) {
        super(permissions);
        if (type != NodeType.FIFO && type != NodeType.SOCKET) {
            throw new IllegalArgumentException("not a fifo or socket type: " + type);
        }
        this.type = type;
    }

    @Override
    public NodeType type() {
        return type;
    }
}
