package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One name in the merged tree, as the kernel would show it: the node that provides its type,
 * metadata and content, and the layer that node comes from.
 */
public abstract sealed class MergedEntry permits MergedDirectory, MergedLeaf {
    private final MergedTree tree;
    private final MergedDirectory parent;
    private final Name name;
    private String unsupported;

    MergedEntry(MergedTree tree, MergedDirectory parent, Name name) {
        this.tree = tree;
        this.parent = parent;
        this.name = name;
    }

    /** The name in its parent directory; null for the root. */
    public Name name() {
        return name;
    }

    public MergedDirectory parent() {
        return parent;
    }

    public MergedTree tree() {
        return tree;
    }

    /** Absolute path in the merged tree, "/" for the root. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        String p = parent.path();
        return (p.equals("/") ? "" : p) + "/" + name;
    }

    /** The node whose type, metadata and content the merged entry shows (the topmost one). */
    public abstract Node node();

    /** Index into {@link MergedTree#layers()} of the layer providing {@link #node()}. */
    public abstract int layerIndex();

    public Layer layer() {
        return tree.layers().get(layerIndex());
    }

    public NodeType type() {
        return node().type();
    }

    /** The link count stat() would report on the merged mount. */
    public abstract int nlink();

    /** Xattrs as the merged mount lists them: overlayfs's own are hidden. */
    public SortedMap<String, byte[]> xattrs() {
        SortedMap<String, byte[]> all = node().xattrs();
        OverlayXattrs ox = tree.options().xattrs();
        boolean any = false;
        for (String k : all.keySet()) {
            if (ox.isPrivate(k)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return all;
        }
        TreeMap<String, byte[]> visible = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            if (!ox.isPrivate(e.getKey())) {
                visible.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableSortedMap(visible);
    }

    /** Why the kernel's result for this entry cannot be reproduced, or null when it can. */
    public String unsupported() {
        return unsupported;
    }

    void markUnsupported(String reason) {
        this.unsupported = reason;
    }
}
