package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A merged directory: the same name as a directory in one or more layers, top first. */
public final class MergedDirectory extends MergedEntry {
    /** One layer's directory taking part in the merge. */
    public record Part(int layer, DirectoryNode dir) {
    }

    /** Why no further layer below the last part takes part. */
    public enum Stop {
        /** There are no more layers, or none below has this name. */
        BOTTOM,
        /** The last part is opaque. */
        OPAQUE,
        /** A layer below holds a whiteout at this name. */
        WHITEOUT,
        /** A layer below holds a non-directory at this name, which a directory above hides. */
        NON_DIRECTORY
    }

    private final List<Part> parts;
    private final Stop stop;
    private final boolean xattrWhiteouts;
    private final TreeMap<Name, MergedEntry> children = new TreeMap<>();
    private final java.util.TreeSet<Name> phantoms = new java.util.TreeSet<>();

    MergedDirectory(MergedTree tree, MergedDirectory parent, Name name, List<Part> parts, Stop stop,
                    boolean xattrWhiteouts) {
        super(tree, parent, name);
        this.parts = List.copyOf(parts);
        this.stop = stop;
        this.xattrWhiteouts = xattrWhiteouts;
    }

    /** Whether a lower part above the bottom of its stack is marked opaque "x" (may hold xattr whiteouts). */
    public boolean hasXattrWhiteouts() {
        return xattrWhiteouts;
    }

    /**
     * Names the kernel's readdir lists here although looking them up fails (ENOENT): whiteouts that
     * readdir does not filter. They are not entries; `ls` shows them, `ls -l` reports them missing.
     */
    public java.util.NavigableSet<Name> phantoms() {
        return java.util.Collections.unmodifiableNavigableSet(phantoms);
    }

    void addPhantom(Name name) {
        phantoms.add(name);
    }

    public List<Part> parts() {
        return parts;
    }

    public Stop stop() {
        return stop;
    }

    /** Whether directories of several layers merge here (the kernel then reports nlink 1). */
    public boolean isMerged() {
        return parts.size() > 1;
    }

    @Override
    public DirectoryNode node() {
        return parts.get(0).dir();
    }

    @Override
    public int layerIndex() {
        return parts.get(0).layer();
    }

    public NavigableMap<Name, MergedEntry> children() {
        return Collections.unmodifiableNavigableMap(children);
    }

    public MergedEntry get(Name name) {
        return children.get(name);
    }

    public MergedEntry get(String name) {
        return children.get(Name.of(name));
    }

    void put(Name name, MergedEntry entry) {
        children.put(name, entry);
    }

    @Override
    public int nlink() {
        if (isMerged()) {
            return 1;
        }
        int subdirs = 0;
        for (Node child : node().children().values()) {
            if (child instanceof DirectoryNode) {
                subdirs++;
            }
        }
        return 2 + subdirs;
    }
}
