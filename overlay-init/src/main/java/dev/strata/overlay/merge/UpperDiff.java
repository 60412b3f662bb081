package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an upper layer changes against factory state: the merge of the lowers alone compared with
 * the merge of upper and lowers. Entries that the upper does not touch are not compared byte by byte.
 */
public final class UpperDiff {
    public enum Change {
        /** The name exists only with the upper. */
        ADDED,
        /** The name exists only in factory state (hidden by a whiteout or an opaque directory). */
        DELETED,
        /** Same type, different data (file bytes, symlink target, device number). */
        MODIFIED_CONTENT,
        /** Same type, different mode, owner, mtime or xattrs. */
        MODIFIED_METADATA,
        /** The name's type changed (file to directory, ...). */
        REPLACED,
        /** An opaque directory of the upper hides a factory directory's content. */
        OPAQUE
    }

    /** One changed path; before/after are null when the path did not / does not exist. */
    public record Entry(String path, Set<Change> changes, NodeType before, NodeType after, String layer) {
        public Entry {
            changes = Set.copyOf(EnumSet.copyOf(changes));
        }
    }

    private UpperDiff() {
    }

    /** Compares factory (lowers only) with current (upper over the same lowers), in path order. */
    public static List<Entry> between(MergedTree factory, MergedTree current) throws IOException {
        List<Entry> out = new ArrayList<>();
        compareDirectories(factory.root(), current.root(), out);
        return out;
    }

    private static void compareDirectories(MergedDirectory before, MergedDirectory after, List<Entry> out)
            throws IOException {
        Set<Name> names = new TreeSet<>(before.children().keySet());
        names.addAll(after.children().keySet());
        for (Name n : names) {
            MergedEntry b = before.get(n);
            MergedEntry a = after.get(n);
            if (a == null) {
                out.add(new Entry(b.path(), EnumSet.of(Change.DELETED), b.type(), null, null));
            } else if (b == null) {
                added(a, out);
            } else if (a.type() != b.type()) {
                out.add(new Entry(a.path(), EnumSet.of(Change.REPLACED), b.type(), a.type(), a.layer().label()));
                if (a instanceof MergedDirectory d) {
                    for (MergedEntry c : d.children().values()) {
                        added(c, out);
                    }
                }
            } else if (a instanceof MergedDirectory ad) {
                MergedDirectory bd = (MergedDirectory) b;
                EnumSet<Change> changes = EnumSet.noneOf(Change.class);
                if (ad.layer().isUpper() && !containsAll(ad, bd)) {
                    changes.add(Change.OPAQUE);
                }
                if (!sameMetadata(a, b)) {
                    changes.add(Change.MODIFIED_METADATA);
                }
                if (!changes.isEmpty()) {
                    out.add(new Entry(a.path(), changes, b.type(), a.type(), a.layer().label()));
                }
                compareDirectories(bd, ad, out);
            } else if (a.layer().isUpper()) {
                EnumSet<Change> changes = EnumSet.noneOf(Change.class);
                if (!sameContent(a.node(), b.node())) {
                    changes.add(Change.MODIFIED_CONTENT);
                }
                if (!sameMetadata(a, b)) {
                    changes.add(Change.MODIFIED_METADATA);
                }
                if (!changes.isEmpty()) {
                    out.add(new Entry(a.path(), changes, b.type(), a.type(), a.layer().label()));
                }
            }
        }
    }

    /** Whether the upper directory still lets every factory layer's directory take part. */
    private static boolean containsAll(MergedDirectory current, MergedDirectory factory) {
        int shift = current.tree().layers().size() - factory.tree().layers().size();
        List<Integer> layers = new ArrayList<>();
        for (MergedDirectory.Part p : current.parts()) {
            layers.add(p.layer() - shift);
        }
        for (MergedDirectory.Part p : factory.parts()) {
            if (!layers.contains(p.layer())) {
                return false;
            }
        }
        return true;
    }

    private static void added(MergedEntry e, List<Entry> out) {
        out.add(new Entry(e.path(), EnumSet.of(Change.ADDED), null, e.type(), e.layer().label()));
        if (e instanceof MergedDirectory d) {
            for (MergedEntry c : d.children().values()) {
                added(c, out);
            }
        }
    }

    private static boolean sameMetadata(MergedEntry a, MergedEntry b) {
        Node x = a.node();
        Node y = b.node();
        if (x.permissions() != y.permissions() || x.uid() != y.uid() || x.gid() != y.gid() || x.mtime() != y.mtime()) {
            return false;
        }
        Map<String, byte[]> xa = a.xattrs();
        Map<String, byte[]> ya = b.xattrs();
        if (!xa.keySet().equals(ya.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : xa.entrySet()) {
            if (!Arrays.equals(e.getValue(), ya.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameContent(Node x, Node y) throws IOException {
        if (x instanceof FileNode fx && y instanceof FileNode fy) {
            if (fx.content().size() != fy.content().size()) {
                return false;
            }
            try (InputStream a = fx.content().open(); InputStream b = fy.content().open()) {
                byte[] ba = new byte[65536];
                byte[] bb = new byte[65536];
                while (true) {
                    int na = a.readNBytes(ba, 0, ba.length);
                    int nb = b.readNBytes(bb, 0, bb.length);
                    if (na != nb || !Arrays.equals(ba, 0, na, bb, 0, nb)) {
                        return false;
                    }
                    if (na == 0) {
                        return true;
                    }
                }
            }
        }
        if (x instanceof SymlinkNode sx && y instanceof SymlinkNode sy) {
            return Arrays.equals(sx.target(), sy.target());
        }
        if (x instanceof DeviceNode dx && y instanceof DeviceNode dy) {
            return dx.major() == dy.major() && dx.minor() == dy.minor();
        }
        return Objects.equals(x.type(), y.type());
    }
}
