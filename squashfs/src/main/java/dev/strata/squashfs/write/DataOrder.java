package dev.strata.squashfs.write;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which file data goes into the image. Without priorities it is the inode order. With
 * mksquashfs -sort priorities, files are written highest priority first, as mksquashfs 4.5 does: a
 * priority given for one name of a file holds for all its names (mksquashfs matches sort entries by
 * inode); a path without one takes its directory's (0 at the root); within one priority the files
 * come in the reverse of the tree's depth-first name order (mksquashfs keeps them in lists it adds to
 * at the front), a file with several names where the first of them in that order puts it.
 */
final class DataOrder {
    private DataOrder() {
    }

    private record Occurrence(FileNode file, int priority, int index) {
    }

    /**
     * @param priorities paths as {@link FileTree#walk} gives them ("/", "/usr/lib") to priorities
     * @param inodeOrder the distinct files in inode order
     */
    static List<FileNode> of(FileTree tree, Map<String, Integer> priorities, List<FileNode> inodeOrder) {
        if (priorities.isEmpty()) {
            return inodeOrder;
        }
        Map<FileNode, Integer> byFile = new IdentityHashMap<>();
        tree.walk((path, node) -> {
            Integer given = priorities.get(path);
            if (given != null && node instanceof FileNode f) {
                byFile.putIfAbsent(f, given);
            }
        });
        Map<String, Integer> directoryPriority = new HashMap<>();
        List<Occurrence> occurrences = new ArrayList<>();
        tree.walk((path, node) -> {
            int inherited = path.equals("/") ? 0 : directoryPriority.get(parentOf(path));
            if (node instanceof DirectoryNode) {
                directoryPriority.put(path, priorities.getOrDefault(path, inherited));
            } else if (node instanceof FileNode f) {
                occurrences.add(new Occurrence(f, byFile.getOrDefault(f, inherited), occurrences.size()));
            }
        });
        occurrences.sort(Comparator.comparingInt(Occurrence::priority).reversed()
                .thenComparing(Comparator.comparingInt(Occurrence::index).reversed()));
        Set<FileNode> placed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FileNode> order = new ArrayList<>(inodeOrder.size());
        for (Occurrence o : occurrences) {
            if (placed.add(o.file())) {
                order.add(o.file());
            }
        }
        return order;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }
}
