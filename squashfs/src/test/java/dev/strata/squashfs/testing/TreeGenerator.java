package dev.strata.squashfs.testing;

import dev.strata.squashfs.testing.GeneratedContent.Style;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trees to write: one that holds every kind of thing a writer must get right, and random ones from a
 * seed. Everything generated is something Linux itself can hold (user.* xattrs only on files and
 * directories, names without '/' or NUL, symlink targets below PATH_MAX), so each tree can also be
 * made on disk for mksquashfs and must read back unchanged through the kernel.
 */
public final class TreeGenerator {
    /** A fixed time (2024-01-01) for nodes whose time is not what a tree tests. */
    public static final long BASE_TIME = 1_704_067_200L;
    private static final int[] OWNERS = {0, 1, 33, 1000, 65534, 65535, 65536, 100_000, 2_000_000_000, Integer.MAX_VALUE - 1};
    /** The longest name Linux disk file systems hold. */
    public static final int NAME_MAX = 255;
    private static final long[] TIMES = {0, 1, BASE_TIME, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    private TreeGenerator() {
    }

    /**
     * Every inode type, hard links of each non-directory kind, sparse and duplicate files, sizes at
     * block boundaries, xattrs of all three namespaces (shared sets, shared long values, empty values),
     * devices with large numbers, directories of more than 256 entries, of listings past 8 KiB and
     * past 64 KiB, 256-byte and non-UTF-8 names, empty files and directories, unusual owners, modes
     * and times.
     */
    public static FileTree everyKind(int blockSize) {
        return everyKind(blockSize, Name.MAX_LENGTH);
    }

    /**
     * {@link #everyKind(int)} with names of at most maxName bytes: SquashFS and the kernel's squashfs
     * driver allow 256, but no disk file system does (NAME_MAX is 255), so a tree that must be made on
     * disk or extracted to it uses {@link #NAME_MAX}.
     */
    public static FileTree everyKind(int blockSize, int maxName) {
        FileTree tree = new FileTree();
        tree.root().setPermissions(0755).setMtime(BASE_TIME);

        DirectoryNode files = dir(tree, "files", 0755);
        long[] sizes = {0, 1, 100, blockSize - 1, blockSize, blockSize + 1, 2L * blockSize, 3L * blockSize - 1,
                3L * blockSize + 7};
        for (long size : sizes) {
            file(files, "random-" + size, Style.RANDOM, size, size);
            file(files, "text-" + size, Style.TEXT, size, size);
        }
        file(files, "zeros-1", Style.ZEROS, 1, 0);
        file(files, "zeros-block", Style.ZEROS, blockSize, 0);
        file(files, "zeros-3-blocks-and-tail", Style.ZEROS, 3L * blockSize + 5, 0);
        files.put("holes", new FileNode(new GeneratedContent(Style.HOLES, 7, 9L * blockSize + 11, blockSize)));
        // same bytes as text-<blockSize+1>: stored once (the writer's dedup)
        file(files, "duplicate-of-text", Style.TEXT, blockSize + 1, blockSize + 1);
        file(files, "duplicate-small", Style.TEXT, 100, 100);

        DirectoryNode links = dir(tree, "links", 0755);
        FileNode linked = new FileNode(GeneratedContent.of(Style.TEXT, 42, 2L * blockSize + 3), 0640);
        linked.setUid(1000).setGid(100).setXattr("user.linked", bytes("three names"));
        links.put("file-a", linked);
        links.put("file-b", linked);
        tree.mkdirs("links/sub").put("file-c", linked);
        FileNode emptyLinked = new FileNode(FileContent0.EMPTY, 0600);
        links.put("empty-a", emptyLinked);
        links.put("empty-b", emptyLinked);
        SymlinkNode linkedSymlink = new SymlinkNode("file-a");
        links.put("symlink-a", linkedSymlink);
        links.put("symlink-b", linkedSymlink);
        DeviceNode linkedDevice = new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666);
        links.put("null-a", linkedDevice);
        links.put("null-b", linkedDevice);
        IpcNode linkedFifo = new IpcNode(NodeType.FIFO, 0600);
        links.put("fifo-a", linkedFifo);
        links.put("fifo-b", linkedFifo);

        DirectoryNode special = dir(tree, "special", 0755);
        special.put("null", new DeviceNode(NodeType.CHAR_DEVICE, 1, 3, 0666));
        special.put("console", new DeviceNode(NodeType.CHAR_DEVICE, 5, 1, 0600));
        special.put("sda", new DeviceNode(NodeType.BLOCK_DEVICE, 8, 0, 0660).setGid(6));
        special.put("whiteout", new DeviceNode(NodeType.CHAR_DEVICE, 0, 0, 0));
        special.put("big-numbers", new DeviceNode(NodeType.BLOCK_DEVICE, 4095, 1_048_575, 0640));
        special.put("minor-256", new DeviceNode(NodeType.CHAR_DEVICE, 259, 256, 0640));
        special.put("fifo", new IpcNode(NodeType.FIFO, 0620));
        special.put("socket", new IpcNode(NodeType.SOCKET, 0777));

        DirectoryNode symlinks = dir(tree, "symlinks", 0755);
        symlinks.put("relative", new SymlinkNode("../files/text-100"));
        // absolute, and dangling so that no test cleanup ever reaches outside its temporary directory
        symlinks.put("absolute", new SymlinkNode("/strata-test/absolute/target"));
        symlinks.put("dangling", new SymlinkNode("does/not/exist"));
        symlinks.put("to-dir", new SymlinkNode("../links"));
        symlinks.put("non-utf8-target", new SymlinkNode(new byte[] {'t', (byte) 0xFF, (byte) 0xFE, 'x'}));
        byte[] longTarget = new byte[4095];
        Arrays.fill(longTarget, (byte) 'a');
        for (int i = 100; i < longTarget.length; i += 100) {
            longTarget[i] = '/';
        }
        symlinks.put("longest-target", new SymlinkNode(longTarget));

        DirectoryNode names = dir(tree, "names", 0755);
        byte[] longest = new byte[maxName];
        Arrays.fill(longest, (byte) 'L');
        names.put(Name.of(longest), new FileNode(GeneratedContent.of(Style.TEXT, 1, 10)));
        byte[] longestDir = longest.clone();
        longestDir[0] = 'D';
        names.put(Name.of(longestDir), new DirectoryNode(0700));
        names.put(Name.of(new byte[] {'l', 'a', 't', 'i', 'n', '1', '-', (byte) 0xE9}), emptyFile());
        names.put(Name.of(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0x80}), emptyFile());
        names.put(Name.of(new byte[] {(byte) 0xC3, 0x28}), emptyFile()); // an invalid UTF-8 sequence
        names.put(Name.of("utf8-\u00e9\u4e2d\u6587"), emptyFile());
        names.put(Name.of("with\nnewline"), emptyFile());
        names.put(Name.of("trailing-newline\n"), emptyFile());
        names.put(Name.of(" spaces and\ttab "), emptyFile());
        names.put(Name.of("back\\slash=eq'quote\"$dollar*"), emptyFile());
        names.put(Name.of("-dash-first"), emptyFile());
        names.put(Name.of(new byte[] {1, 2, 0x7F}), emptyFile());

        DirectoryNode empty = dir(tree, "empty-dirs", 0755);
        empty.put("a", new DirectoryNode(0755));
        empty.put("b", new DirectoryNode(0000));
        tree.mkdirs("empty-dirs/c/d/e/f");

        // > 256 entries: several directory headers; the inodes cross inode-table metadata blocks
        DirectoryNode many = dir(tree, "many-entries", 0755);
        for (int i = 0; i < 300; i++) {
            many.put(String.format("entry-%04d-%s", i, "x".repeat(i % 40)), i % 3 == 0 ? new DirectoryNode(0755)
                    : new FileNode(GeneratedContent.of(Style.TEXT, i, i % 50)));
        }
        // a listing past 8 KiB with fewer than 256 entries (long names)
        DirectoryNode longNames = dir(tree, "long-names", 0755);
        for (int i = 0; i < 40; i++) {
            byte[] n = new byte[maxName - (i % 3)];
            Arrays.fill(n, (byte) ('a' + i % 26));
            byte[] num = String.format("%03d", i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(num, 0, n, 0, num.length);
            longNames.put(Name.of(n), emptyFile());
        }
        // a listing past 64 KiB: no longer fits the basic directory inode's 16-bit size
        DirectoryNode huge = dir(tree, "huge-listing", 0755);
        FileNode shared = emptyFile();
        for (int i = 0; i < 1500; i++) {
            huge.put(String.format("%05d-%s", i, "n".repeat(40)), i % 100 == 0 ? shared : emptyFile());
        }

        DirectoryNode attrs = dir(tree, "xattrs", 0755);
        attrs.setXattr("user.on-dir", bytes("directory"));
        attrs.setXattr("trusted.on-dir", bytes("t"));
        byte[] longValue = new byte[300];
        new SplittableRandom(3).nextBytes(longValue);
        attrs.put("user", emptyFile().setXattr("user.a", bytes("1")).setXattr("user.b", new byte[0]));
        attrs.put("trusted", emptyFile().setXattr("trusted.overlay.opaque", bytes("y")));
        attrs.put("security", emptyFile().setXattr("security.strata-test", bytes("label")));
        attrs.put("all-three", new FileNode(GeneratedContent.of(Style.TEXT, 5, 5000)).setXattr("user.x", bytes("u"))
                .setXattr("trusted.x", bytes("t")).setXattr("security.x", bytes("s")));
        // equal sets share one xattr id; equal long values in different sets are stored out of line
        attrs.put("same-set-1", emptyFile().setXattr("user.long", longValue).setXattr("user.k", bytes("v")));
        attrs.put("same-set-2", emptyFile().setXattr("user.long", longValue).setXattr("user.k", bytes("v")));
        attrs.put("shared-value", emptyFile().setXattr("user.long", longValue).setXattr("user.other", bytes("w")));
        // large, yet small enough for ext4 (all of a file's xattrs share one 4 KiB block there)
        attrs.put("big-value", emptyFile().setXattr("user.big", new byte[3000]));
        FileNode many10 = emptyFile();
        for (int i = 0; i < 20; i++) {
            many10.setXattr(String.format("user.attr-%02d", i), bytes("value " + i));
        }
        attrs.put("twenty", many10);
        attrs.put("symlink", new SymlinkNode("user").setXattr("trusted.on-symlink", bytes("s")));
        attrs.put("device", new DeviceNode(NodeType.CHAR_DEVICE, 1, 5, 0644).setXattr("trusted.dev", bytes("d")));
        attrs.put("fifo", new IpcNode(NodeType.FIFO, 0644).setXattr("security.fifo", bytes("f")));
        attrs.put("sparse-with-xattr", new FileNode(new GeneratedContent(Style.HOLES, 9, 4L * blockSize, blockSize))
                .setXattr("user.sparse", bytes("yes")));

        DirectoryNode owners = dir(tree, "owners", 0755);
        for (int i = 0; i < OWNERS.length; i++) {
            owners.put("owner-" + i, emptyFile().setUid(OWNERS[i]).setGid(OWNERS[OWNERS.length - 1 - i]));
        }
        DirectoryNode ownedDir = new DirectoryNode(0750);
        ownedDir.setUid(1234).setGid(5678).setMtime(BASE_TIME);
        owners.put("owned-dir", ownedDir);

        DirectoryNode modes = dir(tree, "modes", 0755);
        int[] perms = {0, 0777, 04755, 02755, 01777, 07777, 06000, 0400, 0111};
        for (int p : perms) {
            modes.put(String.format("file-%04o", p), emptyFile().setPermissions(p));
            modes.put(String.format("dir-%04o", p), new DirectoryNode(p));
        }

        DirectoryNode times = dir(tree, "times", 0755);
        for (long t : TIMES) {
            times.put("file-" + t, emptyFile().setMtime(t));
            DirectoryNode d = new DirectoryNode(0755);
            d.setMtime(t);
            times.put("dir-" + t, d);
        }
        times.put("symlink-max", new SymlinkNode("x").setMtime(0xFFFF_FFFFL));
        setTimes(tree.root(), BASE_TIME, true);
        return tree;
    }

    /**
     * Counts that push every table past one metadata block: more than 32767 inodes between two
     * entries of one directory (the 16-bit inode delta of a directory header overflows), more than
     * 2048 distinct owner ids, 1024 inodes, 512 fragment blocks and 512 xattr sets. Meant for 4 KiB
     * blocks, where each of the small incompressible files fills a fragment block of its own.
     */
    public static FileTree manyOfEverything() {
        FileTree tree = new FileTree();
        tree.root().setMtime(BASE_TIME);
        tree.put("a-first", new FileNode(GeneratedContent.of(Style.TEXT, 1, 100)).setMtime(BASE_TIME));
        DirectoryNode crowd = tree.mkdirs("b-crowd");
        crowd.setMtime(BASE_TIME);
        GeneratedContent empty = GeneratedContent.of(Style.ZEROS, 0, 0);
        for (int i = 0; i < 34_000; i++) {
            crowd.put(String.format("%05d", i), new FileNode(empty).setUid(10_000 + i % 2100).setGid(i % 7)
                    .setMtime(BASE_TIME + i));
        }
        DirectoryNode fragments = tree.mkdirs("c-fragments");
        fragments.setMtime(BASE_TIME);
        for (int i = 0; i < 1200; i++) {
            fragments.put(String.format("%04d", i), new FileNode(GeneratedContent.of(Style.RANDOM, i, 3000))
                    .setMtime(BASE_TIME));
        }
        DirectoryNode xattrs = tree.mkdirs("d-xattrs");
        xattrs.setMtime(BASE_TIME);
        for (int i = 0; i < 600; i++) {
            xattrs.put(String.format("%03d", i), new FileNode(empty).setXattr("user.n", bytes("set " + i))
                    .setXattr("trusted.same", bytes("shared by all")).setMtime(BASE_TIME));
        }
        tree.put("e-last", new FileNode(GeneratedContent.of(Style.TEXT, 2, 100)).setMtime(BASE_TIME));
        return tree;
    }

    /** Sets t on every node still at time 0 unless it was set deliberately (times/ keeps its own). */
    private static void setTimes(DirectoryNode dir, long t, boolean top) {
        for (var e : dir.children().entrySet()) {
            if (top && e.getKey().equals(Name.of("times"))) {
                continue;
            }
            if (e.getValue().mtime() == 0) {
                e.getValue().setMtime(t);
            }
            if (e.getValue() instanceof DirectoryNode d) {
                setTimes(d, t, false);
            }
        }
    }

    private static DirectoryNode dir(FileTree tree, String name, int perms) {
        DirectoryNode d = tree.mkdirs(name);
        d.setPermissions(perms);
        return d;
    }

    private static void file(DirectoryNode dir, String name, Style style, long size, long seed) {
        dir.put(name, new FileNode(GeneratedContent.of(style, seed, size)));
    }

    private static FileNode emptyFile() {
        return new FileNode(FileContent0.EMPTY, 0644);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An empty content shared by many files. */
    private static final class FileContent0 {
        static final GeneratedContent EMPTY = GeneratedContent.of(Style.ZEROS, 0, 0);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A random tree of about entries names: nested directories, files of random sizes around block
     * boundaries and random styles (incompressible, text, zeros, sparse), symlinks, devices, fifos,
     * sockets, hard links to any earlier non-directory, duplicate contents, random names (sometimes
     * maxName bytes, sometimes arbitrary non-UTF-8 bytes), modes, owners, times and xattrs.
     */
    public static FileTree random(long seed, int entries, int blockSize, int maxName) {
        SplittableRandom r = new SplittableRandom(seed);
        FileTree tree = new FileTree();
        randomMetadata(r, tree.root());
        List<DirectoryNode> dirs = new ArrayList<>(List.of(tree.root()));
        List<Node> linkable = new ArrayList<>();
        List<GeneratedContent> contents = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            DirectoryNode parent = dirs.get(r.nextInt(dirs.size()));
            int kind = r.nextInt(100);
            Node node;
            if (kind < 40) {
                GeneratedContent c = randomContent(r, blockSize);
                contents.add(c);
                node = new FileNode(c);
            } else if (kind < 47 && !contents.isEmpty()) {
                node = new FileNode(contents.get(r.nextInt(contents.size())));
            } else if (kind < 60) {
                DirectoryNode d = new DirectoryNode();
                dirs.add(d);
                node = d;
            } else if (kind < 70) {
                node = new SymlinkNode(randomBytes(r, 1 + r.nextInt(r.nextInt(10) == 0 ? 4095 : 40)));
            } else if (kind < 80 && !linkable.isEmpty()) {
                node = linkable.get(r.nextInt(linkable.size()));
            } else if (kind < 88) {
                node = new DeviceNode(r.nextBoolean() ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE,
                        r.nextInt(4) == 0 ? r.nextInt(4096) : r.nextInt(256),
                        r.nextInt(4) == 0 ? r.nextInt(1 << 20) : r.nextInt(256), 0);
            } else if (kind < 95) {
                node = new IpcNode(NodeType.FIFO, 0);
            } else {
                node = new IpcNode(NodeType.SOCKET, 0);
            }
            boolean isLink = linkable.contains(node);
            if (!isLink) {
                randomMetadata(r, node);
                if (!(node instanceof DirectoryNode)) {
                    linkable.add(node);
                }
            }
            Name name = randomName(r, maxName);
            while (parent.get(name) != null) {
                name = randomName(r, maxName);
            }
            parent.put(name, node);
        }
        return tree;
    }

    private static GeneratedContent randomContent(SplittableRandom r, int blockSize) {
        long size = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1 + r.nextInt(100);
            case 2 -> blockSize - 1;
            case 3 -> blockSize;
            case 4 -> blockSize + 1;
            case 5 -> 2L * blockSize;
            case 6 -> 3L * blockSize - 1 - r.nextInt(10);
            default -> r.nextLong(4L * blockSize);
        };
        Style style = Style.values()[r.nextInt(4)];
        long seed = r.nextLong(5); // few seeds: equal contents turn up by chance, too
        return new GeneratedContent(style, seed, size, style == Style.HOLES ? blockSize : 4096);
    }

    private static void randomMetadata(SplittableRandom r, Node node) {
        if (!(node instanceof SymlinkNode)) {
            node.setPermissions(r.nextInt(3) == 0 ? r.nextInt(010000) : (node instanceof DirectoryNode ? 0755 : 0644));
        }
        node.setUid(r.nextInt(3) == 0 ? OWNERS[r.nextInt(OWNERS.length)] : 0);
        node.setGid(r.nextInt(3) == 0 ? OWNERS[r.nextInt(OWNERS.length)] : r.nextInt(3));
        node.setMtime(r.nextInt(4) == 0 ? TIMES[r.nextInt(TIMES.length)] : r.nextLong(1L << 32));
        if (r.nextInt(4) == 0) {
            int n = 1 + r.nextInt(4);
            boolean userAllowed = node instanceof DirectoryNode || node instanceof FileNode;
            for (int i = 0; i < n; i++) {
                String ns = switch (r.nextInt(3)) {
                    case 0 -> userAllowed ? "user." : "trusted.";
                    case 1 -> "trusted.";
                    default -> "security.";
                };
                byte[] value = switch (r.nextInt(4)) {
                    case 0 -> new byte[0];
                    case 1 -> ("shared-long-value-" + r.nextInt(3)).getBytes(StandardCharsets.US_ASCII);
                    default -> {
                        // at most 4 x 700 bytes: ext4 keeps a file's xattrs in one 4 KiB block
                        byte[] v = new byte[r.nextInt(r.nextInt(8) == 0 ? 700 : 30)];
                        r.nextBytes(v);
                        yield v;
                    }
                };
                node.setXattr(ns + asciiWord(r, 1 + r.nextInt(20)), value);
            }
        }
    }

    private static Name randomName(SplittableRandom r, int maxName) {
        while (true) {
            int length = switch (r.nextInt(20)) {
                case 0 -> maxName;
                case 1 -> 100 + r.nextInt(maxName - 100);
                default -> 1 + r.nextInt(16);
            };
            byte[] b = r.nextInt(4) == 0 ? randomBytes(r, length) : asciiWord(r, length).getBytes(StandardCharsets.US_ASCII);
            if (Name.problemWith(b) == null) {
                return Name.of(b);
            }
        }
    }

    /** Any bytes but NUL and '/'. */
    private static byte[] randomBytes(SplittableRandom r, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            int v;
            do {
                v = 1 + r.nextInt(255);
            } while (v == '/');
            b[i] = (byte) v;
        }
        return b;
    }

    private static String asciiWord(SplittableRandom r, int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789._-";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
