package dev.strata.build;

import dev.strata.spec.PathGlob;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The image being assembled: one tree that the spec's steps fill in order, and for every path the
 * step that put it there and the earlier steps it replaced.
 *
 * <p>Placement rules: a directory placed on a directory merges into it (the later step's mode,
 * owner and time win when the step says so: archives and tables do, host directories and packages
 * keep what is there, as cp and dpkg do); anything else placed on an existing path replaces it, subtree included,
 * and the replacement is recorded. Parent directories that do not exist are created 0755 root.
 * Symlinks on the way to a path are resolved inside the image, never on the build host (a
 * {@code /bin -> usr/bin} link takes /bin/sh to /usr/bin/sh, as dpkg and opkg do); a directory
 * placed on a symlink to a directory merges into the target and keeps the link.
 */
public final class RootAssembly {
    private static final int MAX_SYMLINK_HOPS = 40;

    private final FileTree tree;
    private final long createdTime;
    private final TreeMap<String, Origin> origins = new TreeMap<>();

    /** Who put a path there, and whom it replaced. */
    public static final class Origin {
        private final String source;
        private final List<String> replaced;

        Origin(String source, List<String> replaced) {
            this.source = source;
            this.replaced = List.copyOf(replaced);
        }

        public String source() {
            return source;
        }

        /** Earlier steps whose entry at this path (or below it) this one replaced, oldest first. */
        public List<String> replaced() {
            return replaced;
        }
    }

    /** @param createdTime mtime of directories the assembly creates itself */
    public RootAssembly(long createdTime) {
        DirectoryNode root = new DirectoryNode(0755);
        root.setMtime(createdTime);
        this.tree = new FileTree(root);
        this.createdTime = createdTime;
        origins.put("/", new Origin("image root", List.of()));
    }

    public FileTree tree() {
        return tree;
    }

    public DirectoryNode root() {
        return tree.root();
    }

    /** The origin of a path as the tree walk shows it ("/", "/etc/passwd"), or null. */
    public Origin originOf(String displayPath) {
        return origins.get(displayPath);
    }

    /**
     * Puts node at path (names from the root), following the rules in the class comment.
     *
     * @return the node now at the path (the existing directory when a directory was merged)
     */
    public Node place(List<Name> path, Node node, String source) throws AssemblyException {
        return place(path, node, source, true);
    }

    /**
     * @param directoryMetadata whether a directory merged into an existing one brings its mode,
     *                          owner, time and xattrs (false: the existing directory keeps its own)
     */
    public Node place(List<Name> path, Node node, String source, boolean directoryMetadata)
            throws AssemblyException {
        if (path.isEmpty()) {
            if (!(node instanceof DirectoryNode d)) {
                throw new AssemblyException(source + ": cannot replace the image root with a " + node.type());
            }
            if (directoryMetadata) {
                root().copyMetadataFrom(d);
            }
            mergeChildren(List.of(), root(), d, source, directoryMetadata);
            return root();
        }
        Located parent = parentOf(path, source);
        Name name = path.get(path.size() - 1);
        List<Name> real = ImagePaths.child(parent.realPath, name);
        Node existing = parent.dir.get(name);
        if (node instanceof DirectoryNode dir && existing != null) {
            if (existing instanceof DirectoryNode target) {
                if (directoryMetadata) {
                    target.copyMetadataFrom(dir);
                    origins.put(ImagePaths.display(real), mergedOrigin(ImagePaths.display(real), source));
                }
                mergeChildren(real, target, dir, source, directoryMetadata);
                return target;
            }
            if (existing instanceof SymlinkNode) {
                Resolved r = resolve(real, true);
                if (r != null && r.node instanceof DirectoryNode target) {
                    mergeChildren(r.realPath, target, dir, source, directoryMetadata);
                    return existing;
                }
            }
        }
        List<String> replaced = existing == null ? List.of() : forget(ImagePaths.display(real), source);
        parent.dir.put(name, node);
        record(real, node, source, replaced);
        return node;
    }

    private void mergeChildren(List<Name> realPath, DirectoryNode target, DirectoryNode from, String source,
                               boolean directoryMetadata) throws AssemblyException {
        if (from == target) {
            return;
        }
        for (Map.Entry<Name, Node> e : new ArrayList<>(from.children().entrySet())) {
            place(ImagePaths.child(realPath, e.getKey()), e.getValue(), source, directoryMetadata);
        }
    }

    private Origin mergedOrigin(String display, String source) {
        Origin old = origins.get(display);
        return new Origin(source, old == null ? List.of() : old.replaced);
    }

    /** Records origins for node and, for an adopted directory, everything below it. */
    private void record(List<Name> real, Node node, String source, List<String> replaced) {
        String display = ImagePaths.display(real);
        origins.put(display, new Origin(source, replaced));
        if (node instanceof DirectoryNode d) {
            for (Map.Entry<Name, Node> e : d.children().entrySet()) {
                record(ImagePaths.child(real, e.getKey()), e.getValue(), source, List.of());
            }
        }
    }

    /** Drops the origins at and below display; returns the distinct earlier sources, oldest first. */
    private List<String> forget(String display, String source) {
        Set<String> replaced = new LinkedHashSet<>();
        Origin at = origins.remove(display);
        if (at != null) {
            replaced.addAll(at.replaced);
            replaced.add(at.source);
        }
        String prefix = display.equals("/") ? "/" : display + "/";
        SortedMap<String, Origin> below = origins.subMap(prefix, prefix + Character.MAX_VALUE);
        for (Origin o : below.values()) {
            replaced.add(o.source);
        }
        below.clear();
        replaced.remove(source);
        return new ArrayList<>(replaced);
    }

    /**
     * Records source as the origin of every path that has none: entries added to the tree directly
     * (not through {@link #place}), such as the overlay init's files.
     */
    public void recordUnplaced(String source) {
        tree.walk((path, node) -> origins.putIfAbsent(path, new Origin(source, List.of())));
    }

    /** The node at path, following symlinks on the way (and at the end when followLast), or null. */
    public Node find(List<Name> path, boolean followLast) throws AssemblyException {
        Resolved r = resolve(path, followLast);
        return r == null ? null : r.node;
    }

    /** The real path (symlinks resolved in the image) of an existing entry, or null. */
    public List<Name> realPath(List<Name> path, boolean followLast) throws AssemblyException {
        Resolved r = resolve(path, followLast);
        return r == null ? null : r.realPath;
    }

    /** The directory at path, created (0755, root) with its parents when missing. */
    public DirectoryNode directory(List<Name> path, String source) throws AssemblyException {
        if (path.isEmpty()) {
            return root();
        }
        Located parent = parentOf(path, source);
        Name name = path.get(path.size() - 1);
        List<Name> real = ImagePaths.child(parent.realPath, name);
        Node existing = parent.dir.get(name);
        if (existing instanceof DirectoryNode d) {
            return d;
        }
        if (existing instanceof SymlinkNode) {
            Resolved r = resolve(real, true);
            if (r != null && r.node instanceof DirectoryNode d) {
                return d;
            }
        }
        if (existing != null) {
            throw new AssemblyException(source + ": " + ImagePaths.display(real) + " is a "
                    + existing.type().name().toLowerCase(java.util.Locale.ROOT) + " (from "
                    + originLabel(real) + "), not a directory");
        }
        DirectoryNode created = newDirectory();
        parent.dir.put(name, created);
        record(real, created, source, List.of());
        return created;
    }

    /**
     * Removes every entry matching the pattern (subtrees included), not following symlinks.
     *
     * @return the removed paths, in tree order
     */
    public List<String> remove(PathGlob pattern) {
        List<String> removed = new ArrayList<>();
        removeMatching(List.of(), root(), pattern, removed);
        return removed;
    }

    private void removeMatching(List<Name> path, DirectoryNode dir, PathGlob pattern, List<String> removed) {
        for (Map.Entry<Name, Node> e : new ArrayList<>(dir.children().entrySet())) {
            List<Name> child = ImagePaths.child(path, e.getKey());
            List<String> names = new ArrayList<>();
            for (Name n : child) {
                names.add(n.toString());
            }
            if (pattern.matches(names)) {
                dir.remove(e.getKey());
                String display = ImagePaths.display(child);
                forget(display, "");
                removed.add(display);
            } else if (e.getValue() instanceof DirectoryNode d) {
                removeMatching(child, d, pattern, removed);
            }
        }
    }

    /** Removes the entry at path (symlinks on the way resolved, the last one not); false when there is none. */
    public boolean remove(List<Name> path) throws AssemblyException {
        if (path.isEmpty()) {
            return false;
        }
        Resolved parent = resolve(path.subList(0, path.size() - 1), true);
        if (parent == null || !(parent.node instanceof DirectoryNode dir)) {
            return false;
        }
        Name name = path.get(path.size() - 1);
        if (dir.remove(name) == null) {
            return false;
        }
        forget(ImagePaths.display(ImagePaths.child(parent.realPath, name)), "");
        return true;
    }

    String originLabel(List<Name> real) {
        Origin o = origins.get(ImagePaths.display(real));
        return o == null ? "an earlier step" : o.source;
    }

    private DirectoryNode newDirectory() {
        DirectoryNode d = new DirectoryNode(0755);
        d.setMtime(createdTime);
        return d;
    }

    private record Located(DirectoryNode dir, List<Name> realPath) {
    }

    private record Resolved(Node node, List<Name> realPath) {
    }

    /** The parent directory of path, created when missing; symlinks on the way resolved in the image. */
    private Located parentOf(List<Name> path, String source) throws AssemblyException {
        DirectoryNode dir = root();
        List<Name> real = new ArrayList<>();
        for (int i = 0; i < path.size() - 1; i++) {
            Name name = path.get(i);
            Node child = dir.get(name);
            List<Name> childPath = ImagePaths.child(real, name);
            if (child == null) {
                DirectoryNode created = newDirectory();
                dir.put(name, created);
                record(childPath, created, source, List.of());
                dir = created;
                real = childPath;
            } else if (child instanceof DirectoryNode d) {
                dir = d;
                real = childPath;
            } else if (child instanceof SymlinkNode link) {
                Resolved r = resolve(childPath, true);
                if (r == null || !(r.node instanceof DirectoryNode d)) {
                    throw new AssemblyException(source + ": cannot place " + ImagePaths.display(path) + ": "
                            + ImagePaths.display(childPath) + " is a symlink to '" + link.targetString()
                            + "', which is not a directory in the image");
                }
                dir = d;
                real = r.realPath;
            } else {
                throw new AssemblyException(source + ": cannot place " + ImagePaths.display(path) + ": "
                        + ImagePaths.display(childPath) + " is a " + child.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " (from " + originLabel(childPath) + "), not a directory");
            }
        }
        return new Located(dir, real);
    }

    /** Marker components of a symlink target still to be walked. */
    private static final Object DOT_DOT = new Object();

    /**
     * Walks path from the root inside the image, following symlinks in the middle (and at the end
     * when followLast); ".." stops at the root, as it does in a chroot. Null when something is missing.
     */
    private Resolved resolve(List<Name> path, boolean followLast) throws AssemblyException {
        Deque<Object> todo = new ArrayDeque<>(path);
        List<Name> real = new ArrayList<>();
        List<DirectoryNode> dirs = new ArrayList<>();
        dirs.add(root());
        Node current = root();
        int hops = 0;
        while (!todo.isEmpty()) {
            Object step = todo.pollFirst();
            if (step == DOT_DOT) {
                if (!real.isEmpty()) {
                    real.remove(real.size() - 1);
                    dirs.remove(dirs.size() - 1);
                }
                current = dirs.get(dirs.size() - 1);
                continue;
            }
            if (!(current instanceof DirectoryNode dir)) {
                return null;
            }
            Name name = (Name) step;
            Node child = dir.get(name);
            if (child == null) {
                return null;
            }
            if (child instanceof SymlinkNode link && (!todo.isEmpty() || followLast)) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new AssemblyException("too many levels of symlinks at " + ImagePaths.display(path));
                }
                byte[] target = link.target();
                List<Object> parts = targetComponents(target);
                if (parts == null) {
                    return null;
                }
                if (target[0] == '/') {
                    real.clear();
                    dirs.subList(1, dirs.size()).clear();
                }
                current = dirs.get(dirs.size() - 1);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            real.add(name);
            current = child;
            dirs.add(child instanceof DirectoryNode d ? d : null);
        }
        return new Resolved(current, real);
    }

    private static List<Object> targetComponents(byte[] target) {
        List<Object> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= target.length; i++) {
            if (i == target.length || target[i] == '/') {
                int len = i - start;
                if (len == 1 && target[start] == '.') {
                    // nothing
                } else if (len == 2 && target[start] == '.' && target[start + 1] == '.') {
                    parts.add(DOT_DOT);
                } else if (len > 0) {
                    byte[] bytes = java.util.Arrays.copyOfRange(target, start, i);
                    if (Name.problemWith(bytes) != null) {
                        return null;
                    }
                    parts.add(Name.of(bytes));
                }
                start = i + 1;
            }
        }
        return parts;
    }
}
