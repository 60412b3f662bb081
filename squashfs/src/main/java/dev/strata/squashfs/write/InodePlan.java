package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers every distinct inode before anything is written, as mksquashfs 4.5 numbers them: depth
 * first with children in name order, each entry numbered when first reached and a directory's
 * contents right after the directory itself, the root last. (The inodes are written in another order,
 * each directory after its contents; a directory inode needs its parent's number, which this fixes in
 * advance.) Hard links are the same node reached through several names; they get one number and a
 * link count.
 */
final class InodePlan {
    private final Map<Node, Integer> numbers = new IdentityHashMap<>();
    private final Map<Node, Integer> links = new IdentityHashMap<>();
    private final List<FileNode> files = new ArrayList<>();
    private int count;

    static InodePlan of(FileTree tree) {
        InodePlan plan = new InodePlan();
        plan.visit(tree.root(), "/");
        if (plan.numbers.containsKey(tree.root())) {
            throw new IllegalArgumentException("the root directory contains itself; directories cannot be hard-linked");
        }
        plan.numbers.put(tree.root(), ++plan.count);
        return plan;
    }

    private void visit(DirectoryNode dir, String path) {
        for (Map.Entry<dev.strata.squashfs.tree.Name, Node> e : dir.children().entrySet()) {
            Node child = e.getValue();
            String childPath = path.equals("/") ? "/" + e.getKey() : path + "/" + e.getKey();
            if (child instanceof DirectoryNode d) {
                if (numbers.containsKey(d)) {
                    throw new IllegalArgumentException("directory " + childPath
                            + " appears at two places in the tree; directories cannot be hard-linked");
                }
                numbers.put(d, ++count);
                visit(d, childPath);
            } else if (numbers.containsKey(child)) {
                links.merge(child, 1, Integer::sum);
            } else {
                numbers.put(child, ++count);
                links.put(child, 1);
                if (child instanceof FileNode f) {
                    files.add(f);
                }
            }
        }
    }

    int numberOf(Node node) {
        return numbers.get(node);
    }

    /** Names that refer to a non-directory node. */
    int linksOf(Node node) {
        return links.getOrDefault(node, 1);
    }

    int inodeCount() {
        return count;
    }

    /** Distinct regular files in inode-number order. */
    List<FileNode> files() {
        return files;
    }
}
