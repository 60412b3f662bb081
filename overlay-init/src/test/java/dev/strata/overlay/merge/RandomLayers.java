package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random layer trees from a seed, with names drawn from a small pool so that layers collide. */
final class RandomLayers {
    /** Names shared by all layers and operations; ".wh.x" is an ordinary name on overlayfs. */
    static final String[] NAMES = {"a", "b", "c", "etc", "bin", "x y", "lib", ".wh.x", "data.bin", "zz"};
    static final Name NOT_UTF8 = Name.of(new byte[] {'b', (byte) 0xff, 'n'});
    static final int[] FILE_MODES = {0644, 0600, 0755, 0444, 04755, 0640, 0000};
    static final int[] DIR_MODES = {0755, 0700, 0750, 01777, 0555};
    static final int[] IDS = {0, 1000, 65534};

    private final Random random;
    private final boolean markers;
    private final OverlayXattrs xattrs;
    private final List<Node> files = new ArrayList<>();

    /**
     * @param markers whether the layer may hold overlay markers of its own (whiteouts, opaque
     *                directories, xattr whiteouts), as an upper lower of several can
     */
    RandomLayers(Random random, boolean markers) {
        this(random, markers, OverlayXattrs.trusted());
    }

    /** With markers written as xattrs says (trusted.overlay.*, or user.overlay.* for userxattr mounts). */
    RandomLayers(Random random, boolean markers, OverlayXattrs xattrs) {
        this.random = random;
        this.markers = markers;
        this.xattrs = xattrs;
    }

    FileTree tree() {
        DirectoryNode root = new DirectoryNode(0755);
        root.setMtime(1_600_000_000L);
        fill(root, 0);
        return new FileTree(root);
    }

    private void fill(DirectoryNode dir, int depth) {
        int n = random.nextInt(depth == 0 ? 8 : 6);
        boolean xwhiteouts = markers && random.nextInt(6) == 0;
        if (xwhiteouts) {
            dir.setXattr(xattrs.opaque(), new byte[] {'x'});
        }
        for (int i = 0; i < n; i++) {
            // now and then a name that is not UTF-8: names are bytes all the way through
            Name name = random.nextInt(40) == 0 ? NOT_UTF8 : Name.of(NAMES[random.nextInt(NAMES.length)]);
            if (dir.get(name) != null) {
                continue;
            }
            int kind = random.nextInt(100);
            Node node;
            if (kind < 28 && depth < 3) {
                DirectoryNode d = new DirectoryNode(DIR_MODES[random.nextInt(DIR_MODES.length)]);
                if (markers && random.nextInt(5) == 0) {
                    d.setXattr(xattrs.opaque(), new byte[] {'y'});
                }
                fill(d, depth + 1);
                node = d;
            } else if (kind < 75) {
                if (!files.isEmpty() && random.nextInt(12) == 0) {
                    node = files.get(random.nextInt(files.size())); // a hard link
                } else {
                    node = new FileNode(FileContent.of(content()), FILE_MODES[random.nextInt(FILE_MODES.length)]);
                    files.add(node);
                }
            } else if (kind < 85) {
                node = new SymlinkNode(random.nextBoolean() ? "../" + NAMES[random.nextInt(NAMES.length)]
                        : "/target/" + random.nextInt(1000));
            } else if (kind < 89) {
                node = new DeviceNode(random.nextBoolean() ? NodeType.CHAR_DEVICE : NodeType.BLOCK_DEVICE,
                        240 + random.nextInt(15), random.nextInt(300), 0660); // majors for local use: no real device
            } else if (kind < 92) {
                node = new IpcNode(NodeType.FIFO, 0644);
            } else if (markers && kind < 97) {
                node = OverlayXattrs.newWhiteout();
            } else if (xwhiteouts) {
                node = new FileNode(FileContent.of(new byte[0]), 0644)
                        .setXattr(xattrs.whiteout(), new byte[0]);
            } else {
                node = new FileNode(FileContent.of(content()), 0644);
            }
            node.setUid(IDS[random.nextInt(IDS.length)]).setGid(IDS[random.nextInt(IDS.length)]);
            node.setMtime(1_500_000_000L + random.nextInt(100_000_000));
            dir.put(name, node);
        }
    }

    byte[] content() {
        int size = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 131072 + random.nextInt(200_000); // several data blocks
            case 2 -> 131072;
            default -> random.nextInt(5000);
        };
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + (i % 7));
        }
        return b;
    }
}
