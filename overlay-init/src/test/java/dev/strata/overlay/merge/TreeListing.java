package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.PathNames;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A canonical text listing of a tree, one line per entry, so that our merge and the kernel's
 * mounted overlay can be compared line by line: path, type, mode, owner, size, link count, mtime,
 * and the content hash, symlink target or device number.
 */
final class TreeListing {
    private TreeListing() {
    }

    /** Our merged view. */
    static List<String> of(MergedTree tree) throws IOException {
        List<String> lines = new ArrayList<>();
        list(tree.root(), lines);
        return lines;
    }

    private static void list(MergedEntry e, List<String> lines) throws IOException {
        lines.add(line(e.path(), e.node(), e.nlink()));
        if (e instanceof MergedDirectory d) {
            TreeMap<Name, MergedEntry> all = new TreeMap<>(d.children());
            for (Name phantom : d.phantoms()) {
                all.put(phantom, null);
            }
            String prefix = d.path().equals("/") ? "" : d.path();
            for (Map.Entry<Name, MergedEntry> c : all.entrySet()) {
                if (c.getValue() == null) {
                    lines.add(prefix + "/" + c.getKey() + " listed by readdir but lookup says ENOENT");
                } else {
                    list(c.getValue(), lines);
                }
            }
        }
    }

    private static String line(String path, Node n, int nlink) throws IOException {
        String extra = switch (n.type()) {
            case FILE -> {
                FileNode f = (FileNode) n;
                try (InputStream in = f.content().open()) {
                    yield f.content().size() + " " + sha(in);
                }
            }
            case SYMLINK -> ((SymlinkNode) n).targetLength() + " -> " + HexFormat.of().formatHex(((SymlinkNode) n).target());
            case CHAR_DEVICE, BLOCK_DEVICE -> "dev " + ((DeviceNode) n).major() + ":" + ((DeviceNode) n).minor();
            default -> "";
        };
        return format(path, n.type(), n.permissions(), n.uid(), n.gid(), nlink, n.mtime(), extra);
    }

    private static String format(String path, NodeType type, int mode, int uid, int gid, int nlink, long mtime,
                                 String extra) {
        return path + " " + type + " " + Integer.toOctalString(mode) + " " + uid + ":" + gid + " n" + nlink
                + " t" + mtime + " " + extra;
    }

    /** The kernel's view: a mounted directory, read with lstat semantics. */
    static List<String> of(Path root) throws IOException {
        List<String> lines = new ArrayList<>();
        list(root, "/", lines);
        return lines;
    }

    private static void list(Path p, String path, List<String> lines) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            lines.add(path + " listed by readdir but lookup says ENOENT");
            return;
        }
        int mode = (Integer) a.get("mode");
        NodeType type = switch (mode & 0170000) {
            case 0040000 -> NodeType.DIRECTORY;
            case 0100000 -> NodeType.FILE;
            case 0120000 -> NodeType.SYMLINK;
            case 0060000 -> NodeType.BLOCK_DEVICE;
            case 0020000 -> NodeType.CHAR_DEVICE;
            case 0010000 -> NodeType.FIFO;
            default -> NodeType.SOCKET;
        };
        long size = (Long) a.get("size");
        String extra = switch (type) {
            case FILE -> {
                try (InputStream in = Files.newInputStream(p)) {
                    yield size + " " + sha(in);
                }
            }
            case SYMLINK -> size + " -> " + HexFormat.of().formatHex(PathNames.bytesOf(Files.readSymbolicLink(p)));
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                int rdev = (int) (long) (Long) a.get("rdev");
                yield "dev " + DeviceNode.majorOf(rdev) + ":" + DeviceNode.minorOf(rdev);
            }
            default -> "";
        };
        long mtime = Math.floorDiv(((FileTime) a.get("lastModifiedTime")).toMillis(), 1000);
        lines.add(format(path, type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                (Integer) a.get("nlink"), mtime, extra));
        if (type == NodeType.DIRECTORY) {
            TreeMap<Name, Path> children = new TreeMap<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                for (Path c : s) {
                    children.put(PathNames.nameOf(c.getFileName()), c);
                }
            }
            for (Map.Entry<Name, Path> c : children.entrySet()) {
                list(c.getValue(), (path.equals("/") ? "" : path) + "/" + c.getKey(), lines);
            }
        }
    }

    private static String sha(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short unified-style difference, for failure messages. */
    static String difference(List<String> expected, List<String> actual) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> a = new java.util.LinkedHashSet<>(actual);
        java.util.Set<String> e = new java.util.LinkedHashSet<>(expected);
        int shown = 0;
        for (String s : expected) {
            if (!a.contains(s) && shown++ < 30) {
                sb.append("  kernel: ").append(s).append('\n');
            }
        }
        for (String s : actual) {
            if (!e.contains(s) && shown++ < 60) {
                sb.append("  ours:   ").append(s).append('\n');
            }
        }
        return sb.toString();
    }
}
