package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;

/** A merged non-directory: it comes from exactly one layer and hides everything below it. */
public final class MergedLeaf extends MergedEntry {
    private final Node node;
    private final int layer;

    MergedLeaf(MergedTree tree, MergedDirectory parent, Name name, Node node, int layer) {
        super(tree, parent, name);
        this.node = node;
        this.layer = layer;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public int layerIndex() {
        return layer;
    }

    /** The link count within its own layer (hard links of an upper stay hard links). */
    @Override
    public int nlink() {
        return tree().linkCount(layer, node);
    }
}
