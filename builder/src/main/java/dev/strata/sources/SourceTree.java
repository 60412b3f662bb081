package dev.strata.sources;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.PathNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The tree made from the sources, with where each source landed, so that later steps (pseudo hard
 * links to host files) can find a host file's node in the image.
 *
 * @param tree        the merged tree
 * @param fromSources whether the root directory came from the sources (false when there were none)
 * @param placements  each directory source and the image path its contents landed at ("" for the root)
 */
public record SourceTree(FileTree tree, boolean fromSources, List<Placement> placements, HostEntryLoader loader) {

    /** A directory source whose contents appear in the image under imagePath. */
    public record Placement(Path realSource, String imagePath) {
    }

    /** Loads a single host file (not a directory) as a node, sharing hard-link detection with the sources. */
    @FunctionalInterface
    public interface HostEntryLoader {
        Node load(Path hostFile) throws IOException;
    }

    /**
     * The node for a host file: its node in the image when the file is inside a source (so that a
     * pseudo hard link really links to it), otherwise the file loaded on its own.
     */
    public Node hostEntry(Path hostFile) throws IOException {
        if (!Files.exists(hostFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceException(hostFile, hostFile + " does not exist");
        }
        if (Files.isDirectory(hostFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new SourceException(hostFile, hostFile + " is a directory, which cannot be hard-linked");
        }
        Path parent = hostFile.toAbsolutePath().normalize().getParent();
        Path real = parent.toRealPath().resolve(hostFile.getFileName());
        for (Placement p : placements) {
            if (real.startsWith(p.realSource()) && !real.equals(p.realSource())) {
                String relative = p.realSource().relativize(real).toString();
                Node node = tree.find(p.imagePath().isEmpty() ? relative : p.imagePath() + "/" + relative);
                if (node != null && !(node instanceof DirectoryNode)) {
                    return node;
                }
            }
        }
        return loader.load(hostFile);
    }

    /** Loads one entry of a directory through a loader whose filter can be pointed at it. */
    static Node loadSingle(DirectoryTreeLoader loader, ScopedFilter filter, Path entry) throws IOException {
        Path parent = entry.toAbsolutePath().normalize().getParent();
        String name = PathNames.nameOf(entry.getFileName()).toString();
        DirectoryNode holder = new DirectoryNode();
        Predicate<String> previous = filter.current;
        filter.current = relative -> !relative.equals(name) && !relative.startsWith(name + "/");
        try {
            loader.loadInto(parent, holder);
        } finally {
            filter.current = previous;
        }
        Node node = holder.get(name);
        if (node == null) {
            throw new SourceException(entry, entry + " disappeared while it was being read");
        }
        return node;
    }

    /** A loader filter that can be switched between sources, so that one loader sees them all. */
    static final class ScopedFilter implements Predicate<String> {
        Predicate<String> current = relative -> false;

        @Override
        public boolean test(String relative) {
            return current.test(relative);
        }
    }
}
