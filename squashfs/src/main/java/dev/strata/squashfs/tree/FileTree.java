package dev.strata.squashfs.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A whole file system: a root directory and path-based access to it. */
public final class FileTree {
    private final DirectoryNode root;

    public FileTree() {
        this(new DirectoryNode(0755));
    }

    public FileTree(DirectoryNode root) {
        this.root = root;
    }

    public DirectoryNode root() {
        return root;
    }

    /** The node at a '/'-separated path relative to the root, or null. */
    public Node find(String path) {
        Node node = root;
        for (Name name : split(path)) {
            if (!(node instanceof DirectoryNode dir)) {
                return null;
            }
            node = dir.get(name);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** The directory at path, creating missing directories (0755, root-owned) on the way. */
    public DirectoryNode mkdirs(String path) {
        return mkdirs(split(path), null);
    }

    /** createdMtime: the time of directories made here; null gives each its parent's. */
    private DirectoryNode mkdirs(List<Name> names, Long createdMtime) {
        DirectoryNode dir = root;
        StringBuilder walked = new StringBuilder();
        for (Name name : names) {
            walked.append('/').append(name);
            Node child = dir.get(name);
            if (child == null) {
                DirectoryNode created = new DirectoryNode(0755);
                created.setMtime(createdMtime != null ? createdMtime : dir.mtime());
                dir.put(name, created);
                dir = created;
            } else if (child instanceof DirectoryNode d) {
                dir = d;
            } else {
                throw new IllegalArgumentException(walked + " exists and is not a directory (" + child.type() + ")");
            }
        }
        return dir;
    }

    /** Places node at path, creating parent directories (with their parent's time); replaces what was there. */
    public void put(String path, Node node) {
        put(path, node, null);
    }

    /** As {@link #put(String, Node)}, the parent directories it makes getting createdMtime. */
    public void put(String path, Node node, long createdMtime) {
        put(path, node, Long.valueOf(createdMtime));
    }

    private void put(String path, Node node, Long createdMtime) {
        List<Name> names = split(path);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("cannot replace the root directory");
        }
        // by name bytes: a parent's display string would not give back a name that is not UTF-8
        mkdirs(names.subList(0, names.size() - 1), createdMtime).put(names.get(names.size() - 1), node);
    }

    public static List<Name> split(String path) {
        List<Name> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                names.add(Name.of(part));
            }
        }
        return names;
    }

    /** Visits every node depth-first in name order; paths are '/'-joined from the root ("" for it). */
    public void walk(Visitor visitor) {
        walk("", root, visitor);
    }

    private static void walk(String path, DirectoryNode dir, Visitor visitor) {
        visitor.visit(path.isEmpty() ? "/" : path, dir);
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            String childPath = path + "/" + e.getKey();
            if (e.getValue() instanceof DirectoryNode d) {
                walk(childPath, d, visitor);
            } else {
                visitor.visit(childPath, e.getValue());
            }
        }
    }

    @FunctionalInterface
    public interface Visitor {
        void visit(String path, Node node);
    }
}
