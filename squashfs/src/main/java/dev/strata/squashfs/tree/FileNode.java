package dev.strata.squashfs.tree;

import java.util.Objects;

/** A regular file whose content is read only when the image is written. */
public final class FileNode extends Node {
    private FileContent content;

    public FileNode(FileContent content) {
        this(content, 0644);
    }

    public FileNode(FileContent content, int permissions) {
        super(permissions);
        this.content = Objects.requireNonNull(content, "content");
    }

    @Override
    public NodeType type() {
        return NodeType.FILE;
    }

    public FileContent content() {
        return content;
    }

    public FileNode setContent(FileContent content) {
        this.content = Objects.requireNonNull(content, "content");
        return this;
    }
}
