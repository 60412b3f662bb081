package dev.strata.sources;

import dev.strata.sources.SourceTree.Placement;
import dev.strata.sources.SourceTree.ScopedFilter;
import dev.strata.sources.exclude.ExcludeRules;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileSystemBoundary;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.InvalidNameException;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.PathNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Fills one tree from mksquashfs-style sources: a single directory's contents become the root;
 * several sources (or a single file) become entries of a new root, each named by its last path
 * component, clashing names renamed name_1, name_2, ... as mksquashfs does.
 */
public final class SourceTreeBuilder {
    private final ExcludeRules excludes;
    private final boolean readXattrs;
    private final boolean keepAsDirectory;
    private final RootDirectory syntheticRoot;
    private final FileSystemBoundary boundary;
    /** -max-depth: entries deeper in the image than this are not read; empty for no limit. */
    private OptionalInt maxDepth = OptionalInt.empty();

    /**
     * @param syntheticRoot metadata of the root directory when the sources do not supply one
     *                      (mksquashfs: mode 0777, the running user, the current time)
     */
    public SourceTreeBuilder(ExcludeRules excludes, boolean readXattrs, boolean keepAsDirectory,
                             RootDirectory syntheticRoot) {
        this(excludes, readXattrs, keepAsDirectory, syntheticRoot, null);
    }

    /**
     * @param boundary null to read source directories across mount points; otherwise what becomes of
     *                 what is mounted inside a source (-one-file-system, -one-file-system-x)
     */
    public SourceTreeBuilder(ExcludeRules excludes, boolean readXattrs, boolean keepAsDirectory,
                             RootDirectory syntheticRoot, FileSystemBoundary boundary) {
        this.excludes = excludes;
        this.readXattrs = readXattrs;
        this.keepAsDirectory = keepAsDirectory;
        this.syntheticRoot = syntheticRoot;
        this.boundary = boundary;
    }

    /**
     * mksquashfs -max-depth: entries deeper in the image than levels (the root's entries are at 1) are
     * not read, so the directories at that depth are empty.
     */
    public SourceTreeBuilder maxDepth(int levels) {
        if (levels < 0) {
            throw new IllegalArgumentException("max depth " + levels + " is negative");
        }
        maxDepth = OptionalInt.of(levels);
        return this;
    }

    /** Root directory metadata for trees whose root is not a source directory. */
    public record RootDirectory(int permissions, int uid, int gid, long mtime) {
    }

    public SourceTree build(List<Path> sources) throws IOException {
        for (Path source : sources) {
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new SourceException(source, "source " + source + " does not exist; check the path");
            }
        }
        ScopedFilter filter = new ScopedFilter();
        DirectoryTreeLoader loader = new DirectoryTreeLoader(filter, readXattrs, boundary);
        SourceTree.HostEntryLoader hostLoader = file -> SourceTree.loadSingle(loader, filter, file);

        if (sources.size() == 1 && !keepAsDirectory && Files.isDirectory(sources.get(0))) {
            Path dir = sources.get(0);
            filter.current = limited(excludes.forSource(dir, ""), 0);
            FileTree tree = loader.load(dir.toRealPath());
            return new SourceTree(tree, true, List.of(new Placement(dir.toRealPath(), "")), hostLoader);
        }

        DirectoryNode root = new DirectoryNode(syntheticRoot.permissions());
        root.setUid(syntheticRoot.uid()).setGid(syntheticRoot.gid()).setMtime(syntheticRoot.mtime());
        FileTree tree = new FileTree(root);
        List<Placement> placements = new ArrayList<>();
        for (Path source : sources) {
            if (maxDepth.isPresent() && maxDepth.getAsInt() < 1) {
                break; // the sources would be the root's entries, at depth 1
            }
            Name name = uniqueName(root, entryName(source));
            if (excludes.forSource(source, name + "/").test("")) {
                continue;
            }
            Node node;
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                filter.current = limited(excludes.forSource(source, name + "/"), 1);
                node = loader.load(source).root();
                placements.add(new Placement(source.toRealPath(), name.toString()));
            } else {
                node = SourceTree.loadSingle(loader, filter, source);
            }
            root.put(name, node);
        }
        filter.current = relative -> false;
        return new SourceTree(tree, !sources.isEmpty(), List.copyOf(placements), hostLoader);
    }

    /** The exclude rules of a source loaded depth levels below the root, with -max-depth added. */
    private Predicate<String> limited(Predicate<String> excluded, int depth) {
        if (maxDepth.isEmpty()) {
            return excluded;
        }
        int limit = maxDepth.getAsInt();
        // relative paths are a source's own ("a/b" is two levels below it)
        return relative -> depth + relative.split("/", -1).length > limit || excluded.test(relative);
    }

    private static Name entryName(Path source) throws SourceException {
        Path normal = source.toAbsolutePath().normalize();
        Path fileName = normal.getFileName();
        if (fileName == null) {
            throw new SourceException(source, "source " + source + " has no name to use as an image entry;"
                    + " give it as the only source to use its contents as the root");
        }
        try {
            return PathNames.nameOf(fileName);
        } catch (InvalidNameException e) {
            throw new SourceException(source, "source " + source + ": " + e.getMessage());
        }
    }

    private static Name uniqueName(DirectoryNode root, Name name) {
        if (root.get(name) == null) {
            return name;
        }
        for (int i = 1; ; i++) {
            Name candidate = Name.of(name + "_" + i);
            if (root.get(candidate) == null) {
                return candidate;
            }
        }
    }
}
