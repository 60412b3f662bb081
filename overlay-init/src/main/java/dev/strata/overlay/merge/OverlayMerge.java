package dev.strata.overlay.merge;

import dev.strata.overlay.merge.MergedDirectory.Part;
import dev.strata.overlay.merge.MergedDirectory.Stop;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Overlayfs's merge rules (fs/overlayfs/namei.c and readdir.c), applied to layers given top first.
 * A name is looked up from the top layer down through the layers whose parent directory takes part:
 * <ul>
 * <li>a whiteout (0/0 character device; in lower layers also an xattr whiteout) ends the lookup:
 * the name does not exist;</li>
 * <li>a non-directory found first is the entry and hides everything below, directories included;</li>
 * <li>a directory found first starts a merge that collects directories of the same name below it,
 * until an opaque directory, a whiteout, a non-directory (which the directory hides) or the bottom;</li>
 * <li>a merged directory lists the union of its parts' names, each looked up as above; its type,
 * metadata and xattrs come from the topmost part, and it reports nlink 1.</li>
 * </ul>
 * The root merges all layers. Redirect and metacopy xattrs are reported, never followed.
 *
 * <p>Readdir and lookup disagree in a few places, and the kernel shows both: a directory that only
 * one layer provides (and that has no copy-up origin) is listed straight from that layer, whiteouts
 * included, and an xattr whiteout is filtered from listings only where a lower directory that is not
 * the bottom of its stack is marked opaque "x". Such names are listed but cannot be looked up; they
 * are kept as {@link MergedDirectory#phantoms()} and reported.
 */
public final class OverlayMerge {
    private final MergeOptions options;
    private final OverlayXattrs xattrs;

    public OverlayMerge(MergeOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.xattrs = options.xattrs();
    }

    public OverlayMerge() {
        this(MergeOptions.defaults());
    }

    /** Merges layers given top first (an upper, if any, must be the first). */
    public MergedTree merge(List<Layer> layersTopFirst) {
        if (layersTopFirst.isEmpty()) {
            throw new IllegalArgumentException("no layers to merge");
        }
        for (int i = 1; i < layersTopFirst.size(); i++) {
            if (layersTopFirst.get(i).isUpper()) {
                throw new IllegalArgumentException("upper layer '" + layersTopFirst.get(i).label()
                        + "' must be the topmost layer");
            }
        }
        MergedTree tree = new MergedTree(layersTopFirst, options);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < layersTopFirst.size(); i++) {
            parts.add(new Part(i, layersTopFirst.get(i).tree().root()));
        }
        // The root is always read as merged; lower roots above the bottom may carry the "x" marker.
        boolean rootXwhiteouts = false;
        for (int i = 0; i < layersTopFirst.size() - 1; i++) {
            if (!layersTopFirst.get(i).isUpper() && xattrs.mayHoldXattrWhiteouts(layersTopFirst.get(i).tree().root())) {
                rootXwhiteouts = true;
                tree.markXattrWhiteoutLayer(i);
            }
        }
        MergedDirectory root = new MergedDirectory(tree, null, null, parts, Stop.BOTTOM, rootXwhiteouts);
        tree.setRoot(root);
        fill(tree, root);
        findPhantoms(tree, root);
        return tree;
    }

    public MergedTree merge(Layer... layersTopFirst) {
        return merge(List.of(layersTopFirst));
    }

    private void fill(MergedTree tree, MergedDirectory dir) {
        List<Part> parts = dir.parts();
        Set<Name> seen = new HashSet<>();
        for (int p = 0; p < parts.size(); p++) {
            for (Map.Entry<Name, Node> e : parts.get(p).dir().children().entrySet()) {
                if (seen.add(e.getKey())) {
                    MergedEntry child = lookup(tree, dir, e.getKey(), p);
                    if (child != null) {
                        dir.put(e.getKey(), child);
                    }
                }
            }
        }
        for (MergedEntry child : dir.children().values()) {
            if (child instanceof MergedDirectory d) {
                fill(tree, d);
            }
        }
    }

    /** The kernel's lookup of name in parent, starting at the parent's part index from. */
    private MergedEntry lookup(MergedTree tree, MergedDirectory parent, Name name, int from) {
        List<Part> parentParts = parent.parts();
        List<Part> found = new ArrayList<>();
        Stop stop = Stop.BOTTOM;
        boolean xwhiteouts = false;
        for (int p = from; p < parentParts.size(); p++) {
            Part part = parentParts.get(p);
            Node node = part.dir().get(name);
            if (node == null) {
                continue;
            }
            if (isWhiteout(tree, part, node)) {
                stop = Stop.WHITEOUT;
                break;
            }
            if (node instanceof DirectoryNode d) {
                found.add(new Part(part.layer(), d));
                // The kernel skips the marker where "d.last": with redirects followed (the
                // redirect_always_follow default) in the overlay's bottom layer, otherwise in the last
                // lower layer of the parent's stack.
                boolean bottom = options.followRedirects() ? part.layer() == tree.layers().size() - 1
                        : p == parentParts.size() - 1;
                Layer layer = tree.layers().get(part.layer());
                if (!bottom && !layer.isUpper() && xattrs.mayHoldXattrWhiteouts(d)) {
                    xwhiteouts = true;
                    tree.markXattrWhiteoutLayer(part.layer());
                }
                if (xattrs.isOpaque(d)) {
                    stop = Stop.OPAQUE;
                    break;
                }
            } else if (found.isEmpty()) {
                MergedLeaf leaf = new MergedLeaf(tree, parent, name, node, part.layer());
                checkMetacopy(tree, leaf);
                return leaf;
            } else {
                stop = Stop.NON_DIRECTORY;
                break;
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        MergedDirectory dir = new MergedDirectory(tree, parent, name, found, stop, xwhiteouts);
        checkDirectory(tree, dir, parentParts, from);
        return dir;
    }

    /** Lookup's test: any 0/0 device, and (6.7+) any empty file with the whiteout xattr, in any layer. */
    private boolean isWhiteout(MergedTree tree, Part part, Node node) {
        return OverlayXattrs.isDeviceWhiteout(node) || options.xattrWhiteouts() && xattrs.isXattrWhiteout(node);
    }

    /** Readdir's view, compared with lookup's: names listed that lookup does not find. */
    private void findPhantoms(MergedTree tree, MergedDirectory dir) {
        List<Part> parts = dir.parts();
        boolean real = dir.parent() != null && parts.size() == 1
                && !parts.get(0).dir().xattrs().containsKey(xattrs.origin());
        Set<Name> listed = new HashSet<>();
        java.util.Map<Name, Integer> layerOf = new java.util.HashMap<>();
        for (Part part : parts) {
            boolean filterXattrWhiteouts = !real && dir.hasXattrWhiteouts() && tree.isXattrWhiteoutLayer(part.layer());
            for (Map.Entry<Name, Node> e : part.dir().children().entrySet()) {
                if (layerOf.putIfAbsent(e.getKey(), part.layer()) != null) {
                    continue;
                }
                Node node = e.getValue();
                boolean filtered = !real && (OverlayXattrs.isDeviceWhiteout(node)
                        || filterXattrWhiteouts && options.xattrWhiteouts() && xattrs.isXattrWhiteout(node));
                if (!filtered) {
                    listed.add(e.getKey());
                }
            }
        }
        for (Name n : new java.util.TreeSet<>(listed)) {
            if (dir.get(n) == null) {
                dir.addPhantom(n);
                String path = (dir.path().equals("/") ? "" : dir.path()) + "/" + n;
                tree.addFinding(new MergeFinding(MergeFinding.Kind.LISTED_BUT_NOT_FOUND, path,
                        tree.layers().get(layerOf.get(n)).label(), real
                        ? "a whiteout in a directory only this layer provides: readdir lists it, lookup fails (ENOENT)"
                        : "an xattr whiteout where no lower 'opaque=x' marker lets readdir filter it: listed, lookup fails"));
            }
        }
        for (MergedEntry child : dir.children().values()) {
            if (child instanceof MergedDirectory d) {
                findPhantoms(tree, d);
            }
        }
    }

    private void checkMetacopy(MergedTree tree, MergedLeaf leaf) {
        if (leaf.node().xattrs().containsKey(xattrs.metacopy())) {
            String why = xattrs.metacopy() + " is set: the data lives in a lower file that only the kernel's"
                    + " metacopy=on lookup finds; shown as stored in this layer";
            leaf.markUnsupported(why);
            tree.addFinding(new MergeFinding(MergeFinding.Kind.UNSUPPORTED_METACOPY, leaf.path(),
                    leaf.layer().label(), why));
        }
    }

    private void checkDirectory(MergedTree tree, MergedDirectory dir, List<Part> parentParts, int from) {
        for (Part part : dir.parts()) {
            byte[] redirect = part.dir().xattrs().get(xattrs.redirect());
            if (redirect != null) {
                String why = xattrs.redirect() + " = '" + new String(redirect, java.nio.charset.StandardCharsets.UTF_8)
                        + "' (a directory renamed with redirect_dir=on): not followed; merged by name only";
                dir.markUnsupported(why);
                tree.addFinding(new MergeFinding(MergeFinding.Kind.UNSUPPORTED_REDIRECT, dir.path(),
                        tree.layers().get(part.layer()).label(), why));
            }
        }
        // Opaque-ness only matters where a directory of a lower layer would otherwise join.
        Part top = dir.parts().get(0);
        Layer topLayer = tree.layers().get(top.layer());
        if (topLayer.opaqueUnknownReason().isPresent() && dir.parts().size() > 1) {
            tree.addFinding(new MergeFinding(MergeFinding.Kind.OPAQUE_UNKNOWN, dir.path(), topLayer.label(),
                    "merged with the lower directory as if not opaque: " + topLayer.opaqueUnknownReason().get()));
        }
    }
}
