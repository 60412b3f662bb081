package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * mksquashfs -no-hardlinks: a copy of the tree in which every name has a node of its own. The first
 * name of a hard-linked node keeps it, in the order inodes are numbered; later names get copies
 * (files share the content, which duplicate detection then stores once). The caller's tree is left
 * as it is.
 */
final class SeparatedLinks {
    private final Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());

    private SeparatedLinks() {
    }

    static FileTree of(FileTree tree) {
        return new FileTree(new SeparatedLinks().directory(tree.root()));
    }

    private DirectoryNode directory(DirectoryNode dir) {
        DirectoryNode copy = new DirectoryNode(dir.permissions());
        copy.copyMetadataFrom(dir);
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            Node child = e.getValue();
            copy.put(e.getKey(), child instanceof DirectoryNode d ? directory(d) : seen.add(child) ? child : copyOf(child));
        }
        return copy;
    }

    private static Node copyOf(Node node) {
        Node copy;
        if (node instanceof FileNode f) {
            copy = new FileNode(f.content(), f.permissions());
        } else if (node instanceof SymlinkNode s) {
            copy = new SymlinkNode(s.target());
        } else if (node instanceof DeviceNode d) {
            copy = new DeviceNode(d.type(), d.major(), d.minor(), d.permissions());
        } else if (node instanceof IpcNode i) {
            copy = new IpcNode(i.type(), i.permissions());
        } else {
            throw new IllegalArgumentException("unexpected node " + node.type());
        }
        return copy.copyMetadataFrom(node);
    }
}
