package dev.strata.squashfs.tree;

import java.nio.charset.StandardCharsets;

/** A symbolic link; the target is raw bytes, as the kernel stores it. */
public final class SymlinkNode extends Node {
    private final byte[] target;

    public SymlinkNode(byte[] target) {
        super(0777);
        if (target.length == 0) {
            throw new IllegalArgumentException("symlink target is empty");
        }
        this.target = target.clone();
    }

    public SymlinkNode(String target) {
        this(target.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public NodeType type() {
        return NodeType.SYMLINK;
    }

    public byte[] target() {
        return target.clone();
    }

    public int targetLength() {
        return target.length;
    }

    public String targetString() {
        return Name.display(target);
    }
}
