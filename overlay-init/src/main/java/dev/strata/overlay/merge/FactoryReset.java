package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a factory reset leaves: the lowers alone, plus the kept paths restored on top, as a
 * sysupgrade-style backup does it (the kept files as the device showed them are written through a
 * fresh overlay, so they add and replace but never delete and never make directories opaque).
 */
public final class FactoryReset {
    private FactoryReset() {
    }

    /**
     * @param current the merged view now (upper over lowers)
     * @param keep    what the reset keeps
     * @return the merged view after the reset
     */
    public static MergedTree apply(MergedTree current, KeepList keep, OverlayMerge merge) {
        List<Layer> lowers = new ArrayList<>();
        for (Layer l : current.layers()) {
            if (!l.isUpper()) {
                lowers.add(l);
            }
        }
        if (keep.lines().isEmpty()) {
            return merge.merge(lowers);
        }
        DirectoryNode root = new DirectoryNode(current.root().node().permissions());
        root.copyMetadataFrom(current.root().node());
        stripOverlayXattrs(root, current.options().xattrs());
        Map<Node, Node> links = new IdentityHashMap<>();
        restore(current.root(), root, keep, current.options().xattrs(), links);
        List<Layer> layers = new ArrayList<>();
        layers.add(Layer.upper("kept after reset", new FileTree(root)));
        layers.addAll(lowers);
        return merge.merge(layers);
    }

    private static void restore(MergedDirectory from, DirectoryNode to, KeepList keep, OverlayXattrs ox,
                                Map<Node, Node> links) {
        for (Map.Entry<Name, MergedEntry> e : from.children().entrySet()) {
            MergedEntry child = e.getValue();
            String path = child.path();
            if (keep.keeps(path)) {
                to.put(e.getKey(), copy(child, ox, links));
            } else if (child instanceof MergedDirectory d && keep.mayKeepBelow(path)) {
                DirectoryNode dir = new DirectoryNode(d.node().permissions());
                dir.copyMetadataFrom(d.node());
                stripOverlayXattrs(dir, ox);
                restore(d, dir, keep, ox, links);
                if (dir.size() > 0) {
                    to.put(e.getKey(), dir);
                }
            }
        }
    }

    private static Node copy(MergedEntry entry, OverlayXattrs ox, Map<Node, Node> links) {
        if (entry instanceof MergedDirectory d) {
            DirectoryNode dir = new DirectoryNode(d.node().permissions());
            dir.copyMetadataFrom(d.node());
            stripOverlayXattrs(dir, ox);
            for (Map.Entry<Name, MergedEntry> c : d.children().entrySet()) {
                dir.put(c.getKey(), copy(c.getValue(), ox, links));
            }
            return dir;
        }
        // the leaf keeps its node (content, metadata); shared nodes stay hard links
        return links.computeIfAbsent(entry.node(), n -> n);
    }

    private static void stripOverlayXattrs(Node node, OverlayXattrs ox) {
        for (String k : List.copyOf(node.xattrs().keySet())) {
            if (ox.isPrivate(k)) {
                node.removeXattr(k);
            }
        }
    }
}
