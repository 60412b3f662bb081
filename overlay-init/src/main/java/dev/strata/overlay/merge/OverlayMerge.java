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
        MergedDirectory root = new MergedDirectory(tree, null, null, parts, Stop.BOTTOM);
        tree.setRoot(root);
        fill(tree, root);
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
        MergedDirectory dir = new MergedDirectory(tree, parent, name, found, stop);
        checkDirectory(tree, dir, parentParts, from);
        return dir;
    }

    private boolean isWhiteout(MergedTree tree, Part part, Node node) {
        if (OverlayXattrs.isDeviceWhiteout(node)) {
            return true;
        }
        return options.xattrWhiteouts()
                && !tree.layers().get(part.layer()).isUpper()
                && xattrs.mayHoldXattrWhiteouts(part.dir())
                && xattrs.isXattrWhiteout(node);
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
