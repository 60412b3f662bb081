package dev.strata.squashfs.tree;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A directory; children are kept sorted by name bytes so every traversal is deterministic. */
public final class DirectoryNode extends Node {
    private final TreeMap<Name, Node> children = new TreeMap<>();

    public DirectoryNode() {
        super(0755);
    }

    public DirectoryNode(int permissions) {
        super(permissions);
    }

    @Override
    public NodeType type() {
        return NodeType.DIRECTORY;
    }

    public NavigableMap<Name, Node> children() {
        return Collections.unmodifiableNavigableMap(children);
    }

    public Node get(Name name) {
        return children.get(name);
    }

    public Node get(String name) {
        return children.get(Name.of(name));
    }

    /** Adds or replaces the entry called name; returns the node it replaced, if any. */
    public Node put(Name name, Node node) {
        if (node == this) {
            throw new IllegalArgumentException("a directory cannot contain itself: " + name);
        }
        return children.put(name, node);
    }

    public Node put(String name, Node node) {
        return put(Name.of(name), node);
    }

    public Node remove(Name name) {
        return children.remove(name);
    }

    public int size() {
        return children.size();
    }
}
