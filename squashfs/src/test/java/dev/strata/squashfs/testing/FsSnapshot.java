package dev.strata.squashfs.testing;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.PathNames;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Everything observable about a file system, one entry per path: what a tree model promises and what
 * a real directory (a kernel mount, an unsquashfs extraction, a directory made with shell tools)
 * shows. Two snapshots are compared entry by entry, so a failure names the path and the field.
 *
 * <p>Paths are '/'-joined raw name bytes, rendered with every byte outside printable ASCII (and the
 * backslash) as \xNN, which keeps non-UTF-8 names distinct and readable. Hard links are captured as
 * a link group: the first path (in walk order) of the same inode, so equal groups mean the same
 * sharing of inodes on both sides.
 */
public final class FsSnapshot {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /**
     * One path.
     *
     * @param size    file length, symlink target length; -1 where not compared (directories, devices, ipc)
     * @param digest  SHA-256 of a regular file's content, else null
     * @param target  symlink target, escaped, else null
     * @param xattrs  name to hex value
     * @param linkGroup the first path of the same inode for non-directories, else null
     */
    public record Entry(NodeType type, int permissions, int uid, int gid, long mtime, long size, int major, int minor,
                        String target, String digest, SortedMap<String, String> xattrs, long nlink,
                        String linkGroup) {
        String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(type).append(' ').append(String.format("%04o", permissions)).append(' ').append(uid).append(':')
                    .append(gid).append(" mtime=").append(mtime).append(" nlink=").append(nlink);
            if (size >= 0) {
                sb.append(" size=").append(size);
            }
            if (type == NodeType.BLOCK_DEVICE || type == NodeType.CHAR_DEVICE) {
                sb.append(" dev=").append(major).append(':').append(minor);
            }
            if (target != null) {
                sb.append(" -> ").append(target);
            }
            if (digest != null) {
                sb.append(" sha256=").append(digest, 0, 16);
            }
            if (!xattrs.isEmpty()) {
                sb.append(" xattrs=").append(xattrs);
            }
            if (linkGroup != null) {
                sb.append(" inode-of=").append(linkGroup);
            }
            return sb.toString();
        }
    }

    private final SortedMap<String, Entry> entries;

    private FsSnapshot(SortedMap<String, Entry> entries) {
        this.entries = Collections.unmodifiableSortedMap(entries);
    }

    public SortedMap<String, Entry> entries() {
        return entries;
    }

    /** The same snapshot without the entries that match (e.g. sockets, which unsquashfs does not create). */
    public FsSnapshot without(Predicate<Entry> drop) {
        TreeMap<String, Entry> kept = new TreeMap<>();
        entries.forEach((path, e) -> {
            if (!drop.test(e)) {
                kept.put(path, e);
            }
        });
        return new FsSnapshot(kept);
    }

    /** The same snapshot with every entry passed through a function (to blank a field not compared). */
    public FsSnapshot map(java.util.function.UnaryOperator<Entry> f) {
        TreeMap<String, Entry> mapped = new TreeMap<>();
        entries.forEach((path, e) -> mapped.put(path, f.apply(e)));
        return new FsSnapshot(mapped);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        entries.forEach((p, e) -> sb.append(p).append("  ").append(e.render()).append('\n'));
        return sb.toString();
    }

    /** Differences, one line each, empty when the snapshots agree. */
    public List<String> differencesFrom(FsSnapshot actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry other = actual.entries.get(e.getKey());
            if (other == null) {
                out.add("missing: " + e.getKey() + "  " + e.getValue().render());
            } else if (!e.getValue().equals(other)) {
                out.add("differs: " + e.getKey() + "\n    expected " + e.getValue().render() + "\n    actual   "
                        + other.render());
            }
        }
        for (Map.Entry<String, Entry> e : actual.entries.entrySet()) {
            if (!entries.containsKey(e.getKey())) {
                out.add("unexpected: " + e.getKey() + "  " + e.getValue().render());
            }
        }
        return out;
    }

    /** Fails with every difference (the first 40) and the given context, e.g. the seed of a random tree. */
    public void assertMatches(FsSnapshot actual, String context) {
        List<String> diffs = differencesFrom(actual);
        if (!diffs.isEmpty()) {
            StringBuilder sb = new StringBuilder(context).append(": ").append(diffs.size()).append(" difference(s)\n");
            diffs.stream().limit(40).forEach(d -> sb.append(d).append('\n'));
            if (entries.size() <= 80) {
                sb.append("expected tree:\n").append(render());
            }
            throw new AssertionError(sb.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // from a tree model

    /** What the tree promises a reader will see. */
    public static FsSnapshot of(FileTree tree) {
        TreeMap<String, Entry> out = new TreeMap<>();
        Map<Node, String> firstPath = new IdentityHashMap<>();
        Map<Node, Integer> names = new IdentityHashMap<>();
        countNames(tree.root(), names);
        addTree("/", tree.root(), out, firstPath, names);
        return new FsSnapshot(out);
    }

    private static void countNames(DirectoryNode dir, Map<Node, Integer> names) {
        for (Node child : dir.children().values()) {
            names.merge(child, 1, Integer::sum);
            if (child instanceof DirectoryNode d) {
                countNames(d, names);
            }
        }
    }

    private static void addTree(String path, Node node, TreeMap<String, Entry> out, Map<Node, String> firstPath,
                                Map<Node, Integer> names) {
        long size = -1;
        int major = 0;
        int minor = 0;
        String target = null;
        String digest = null;
        long nlink;
        String group = null;
        if (node instanceof DirectoryNode d) {
            nlink = 2 + d.children().values().stream().filter(c -> c instanceof DirectoryNode).count();
        } else {
            nlink = names.get(node);
            group = firstPath.computeIfAbsent(node, n -> path);
        }
        if (node instanceof FileNode f) {
            size = f.content().size();
            digest = sha256(f);
        } else if (node instanceof SymlinkNode s) {
            size = s.targetLength();
            target = escape(s.target());
        } else if (node instanceof DeviceNode dev) {
            major = dev.major();
            minor = dev.minor();
        }
        SortedMap<String, String> xattrs = new TreeMap<>();
        node.xattrs().forEach((k, v) -> xattrs.put(k, HexFormat.of().formatHex(v)));
        out.put(path, new Entry(node.type(), node.permissions(), node.uid(), node.gid(), node.mtime() & 0xFFFFFFFFL,
                size, major, minor, target, digest, Collections.unmodifiableSortedMap(xattrs), nlink, group));
        if (node instanceof DirectoryNode d) {
            for (Map.Entry<Name, Node> c : d.children().entrySet()) {
                String childPath = (path.equals("/") ? "/" : path + "/") + escape(c.getKey().bytes());
                addTree(childPath, c.getValue(), out, firstPath, names);
            }
        }
    }

    private static String sha256(FileNode f) {
        try (InputStream in = f.content().open()) {
            return digest(in);
        } catch (IOException e) {
            throw new UncheckedIOException(f.content().origin(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // from a directory on disk

    /**
     * What a real directory shows. Xattrs (all namespaces) are read with getfattr, since Java sees
     * only user.*; pass readXattrs false where the directory cannot have any.
     */
    public static FsSnapshot of(Path root, boolean readXattrs) throws IOException {
        Map<String, SortedMap<String, String>> xattrs = readXattrs ? Xattrs.readTree(root) : Map.of();
        TreeMap<String, Entry> out = new TreeMap<>();
        Map<List<Object>, String> firstPath = new java.util.HashMap<>();
        addDisk("/", root, out, firstPath, xattrs);
        return new FsSnapshot(out);
    }

    private static void addDisk(String path, Path file, TreeMap<String, Entry> out, Map<List<Object>, String> firstPath,
                                Map<String, SortedMap<String, String>> xattrs) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,gid,lastModifiedTime,size,rdev,nlink,dev,ino",
                NOFOLLOW);
        int mode = (Integer) a.get("mode");
        NodeType type = switch (mode & 0170000) {
            case 0040000 -> NodeType.DIRECTORY;
            case 0100000 -> NodeType.FILE;
            case 0120000 -> NodeType.SYMLINK;
            case 0060000 -> NodeType.BLOCK_DEVICE;
            case 0020000 -> NodeType.CHAR_DEVICE;
            case 0010000 -> NodeType.FIFO;
            case 0140000 -> NodeType.SOCKET;
            default -> throw new IOException(file + ": unknown file type in mode " + Integer.toOctalString(mode));
        };
        long size = -1;
        int major = 0;
        int minor = 0;
        String target = null;
        String digest = null;
        String group = null;
        if (type != NodeType.DIRECTORY) {
            group = firstPath.computeIfAbsent(List.of(a.get("dev"), a.get("ino")), k -> path);
        }
        switch (type) {
            case FILE -> {
                size = (Long) a.get("size");
                try (InputStream in = Files.newInputStream(file)) {
                    digest = digest(in);
                }
            }
            case SYMLINK -> {
                byte[] t = PathNames.bytesOf(Files.readSymbolicLink(file));
                size = t.length;
                target = escape(t);
            }
            case BLOCK_DEVICE, CHAR_DEVICE -> {
                long rdev = (Long) a.get("rdev");
                major = (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
                minor = (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
            }
            default -> {
            }
        }
        long mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
        SortedMap<String, String> x = xattrs.getOrDefault(path, Collections.emptySortedMap());
        out.put(path, new Entry(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), mtime, size, major,
                minor, target, digest, x, ((Integer) a.get("nlink")).longValue(), group));
        if (type == NodeType.DIRECTORY) {
            for (Path child : sortedChildren(file)) {
                byte[] name = PathNames.bytesOf(child.getFileName());
                addDisk((path.equals("/") ? "/" : path + "/") + escape(name), child, out, firstPath, xattrs);
            }
        }
    }

    /** Children in unsigned byte order of their names: the tree model's walk order. */
    static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        children.sort((x, y) -> Arrays.compareUnsigned(PathNames.bytesOf(x.getFileName()),
                PathNames.bytesOf(y.getFileName())));
        return children;
    }

    // ---------------------------------------------------------------------------------------------

    /** Printable ASCII as is, everything else (and '\') as \xNN. */
    public static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int u = b & 0xFF;
            if (u > 0x20 && u < 0x7F && u != '\\') {
                sb.append((char) u);
            } else {
                sb.append(String.format("\\x%02x", u));
            }
        }
        return sb.toString();
    }

    static String digest(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FsSnapshot s && entries.equals(s.entries);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries);
    }

    @Override
    public String toString() {
        return render();
    }
}
