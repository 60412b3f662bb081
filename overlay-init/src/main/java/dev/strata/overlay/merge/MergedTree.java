package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of merging layers: what the kernel's overlay mount would show, read-only. Build it with
 * {@link OverlayMerge#merge}.
 */
public final class MergedTree {
    private final List<Layer> layers;
    private final MergeOptions options;
    private final List<MergeFinding> findings = new ArrayList<>();
    private final List<Map<Node, Integer>> linkCounts;
    private MergedDirectory root;

    MergedTree(List<Layer> layers, MergeOptions options) {
        this.layers = List.copyOf(layers);
        this.options = options;
        this.linkCounts = new ArrayList<>(Collections.nCopies(layers.size(), null));
    }

    private final java.util.BitSet xattrWhiteoutLayers = new java.util.BitSet();

    void markXattrWhiteoutLayer(int layer) {
        xattrWhiteoutLayers.set(layer);
    }

    /** Whether the kernel would have flagged this layer as holding xattr whiteouts (6.8+ has_xwhiteouts). */
    boolean isXattrWhiteoutLayer(int layer) {
        return xattrWhiteoutLayers.get(layer);
    }

    void setRoot(MergedDirectory root) {
        this.root = root;
    }

    void addFinding(MergeFinding finding) {
        findings.add(finding);
    }

    /** The layers, top first, as given to the merge. */
    public List<Layer> layers() {
        return layers;
    }

    public MergeOptions options() {
        return options;
    }

    public MergedDirectory root() {
        return root;
    }

    /** What could not be merged exactly (unsupported xattrs, unknown opaque state), in path order. */
    public List<MergeFinding> findings() {
        List<MergeFinding> sorted = new ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparing(MergeFinding::path).thenComparing(MergeFinding::kind));
        return sorted;
    }

    /** The entry at an absolute or relative '/'-separated path, or null when the merged tree has none. */
    public MergedEntry find(String path) {
        return find(FileTree.split(path));
    }

    public MergedEntry find(List<Name> names) {
        MergedEntry e = root;
        for (Name n : names) {
            if (!(e instanceof MergedDirectory d)) {
                return null;
            }
            e = d.get(n);
            if (e == null) {
                return null;
            }
        }
        return e;
    }

    /** Visits every merged entry depth-first in name-byte order, the root first. */
    public void walk(Visitor visitor) {
        walk(root, visitor);
    }

    private static void walk(MergedEntry entry, Visitor visitor) {
        visitor.visit(entry);
        if (entry instanceof MergedDirectory d) {
            for (MergedEntry child : d.children().values()) {
                walk(child, visitor);
            }
        }
    }

    @FunctionalInterface
    public interface Visitor {
        void visit(MergedEntry entry);
    }

    int linkCount(int layer, Node node) {
        Map<Node, Integer> counts;
        synchronized (linkCounts) {
            counts = linkCounts.get(layer);
            if (counts == null) {
                counts = countLinks(layers.get(layer).tree());
                linkCounts.set(layer, counts);
            }
        }
        return counts.getOrDefault(node, 1);
    }

    private static Map<Node, Integer> countLinks(FileTree tree) {
        Map<Node, Integer> counts = new IdentityHashMap<>();
        tree.walk((path, node) -> {
            if (!(node instanceof DirectoryNode)) {
                counts.merge(node, 1, Integer::sum);
            }
        });
        return counts;
    }

    /**
     * The merged tree as a plain tree model (for export or writing an image): overlay xattrs removed,
     * hard links within a layer kept as hard links, file content still read lazily from the layers.
     */
    public FileTree toFileTree() {
        DirectoryNode top = new DirectoryNode(root.node().permissions());
        copyMetadata(root, top);
        Map<Node, Node> copies = new IdentityHashMap<>();
        fill(root, top, copies);
        return new FileTree(top);
    }

    private void fill(MergedDirectory from, DirectoryNode to, Map<Node, Node> copies) {
        for (Map.Entry<Name, MergedEntry> e : from.children().entrySet()) {
            MergedEntry child = e.getValue();
            if (child instanceof MergedDirectory d) {
                DirectoryNode dir = new DirectoryNode(d.node().permissions());
                copyMetadata(d, dir);
                fill(d, dir, copies);
                to.put(e.getKey(), dir);
            } else {
                Node copy = copies.get(child.node());
                if (copy == null) {
                    copy = copyLeaf(child.node());
                    copyMetadata(child, copy);
                    copies.put(child.node(), copy);
                }
                to.put(e.getKey(), copy);
            }
        }
    }

    private static Node copyLeaf(Node node) {
        if (node instanceof FileNode f) {
            return new FileNode(f.content(), f.permissions());
        } else if (node instanceof SymlinkNode s) {
            return new SymlinkNode(s.target());
        } else if (node instanceof DeviceNode d) {
            return new DeviceNode(d.type(), d.major(), d.minor(), d.permissions());
        } else if (node instanceof IpcNode i) {
            return new IpcNode(i.type(), i.permissions());
        }
        throw new IllegalStateException("unexpected node " + node.type());
    }

    private static void copyMetadata(MergedEntry from, Node to) {
        Node n = from.node();
        to.setPermissions(n.permissions()).setUid(n.uid()).setGid(n.gid()).setMtime(n.mtime());
        to.clearXattrs();
        for (Map.Entry<String, byte[]> x : from.xattrs().entrySet()) {
            to.setXattr(x.getKey(), x.getValue());
        }
    }
}
