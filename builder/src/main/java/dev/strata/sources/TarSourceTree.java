package dev.strata.sources;

import dev.strata.sources.SourceTreeBuilder.RootDirectory;
import dev.strata.sources.archive.ContentSpool;
import dev.strata.sources.archive.EntrySink;
import dev.strata.sources.archive.TarUnpacker;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Node;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The tree of mksquashfs -tar: an uncompressed tar archive, read once as a stream, whose entries
 * become the image. As in mksquashfs, owners are the archive's numbers, a leading '/' or '../' is
 * dropped, the archive's own root entry ("./") is ignored (the root is made as for several sources),
 * and of two entries for one path the first is kept, with a warning. Directories the archive implies
 * before their own entry get {@link ImpliedDirectories}' mode and owner (0755, uid 0 unless -default-*
 * say otherwise) and the time of the run (the root's), and take the entry's mode, owner and time when
 * it comes. File contents wait in a spool until the image is written.
 */
public final class TarSourceTree {
    private TarSourceTree() {
    }

    /**
     * @param archive  the archive's name in messages ("<stdin>")
     * @param excluded given a path relative to the root ("etc/config"), whether to leave it out with
     *                 everything below it
     */
    public static SourceTree read(String archive, InputStream in, ContentSpool spool, Predicate<String> excluded,
                                  RootDirectory root, ImpliedDirectories implied, boolean readHostXattrs,
                                  Consumer<String> warnings) throws IOException {
        DirectoryNode rootNode = new DirectoryNode(root.permissions());
        rootNode.setUid(root.uid()).setGid(root.gid()).setMtime(root.mtime());
        FileTree tree = new FileTree(rootNode);
        Set<String> entries = new HashSet<>();
        Set<Node> fromEntries = Collections.newSetFromMap(new IdentityHashMap<>());
        fromEntries.add(rootNode);
        EntrySink sink = new EntrySink() {
            @Override
            public void put(String relativePath, Node node) {
                if (relativePath.isEmpty()) {
                    return; // the archive's "./": mksquashfs ignores it too
                }
                if (!entries.add(relativePath)) {
                    warnings.accept(archive + ": entry '" + relativePath + "' comes again; the first one is kept, as"
                            + " mksquashfs -tar does (GNU tar would extract the last)");
                    return;
                }
                Node existing = tree.find(relativePath);
                if (node instanceof DirectoryNode && existing instanceof DirectoryNode made) {
                    made.copyMetadataFrom(node); // made for an earlier entry below it
                    fromEntries.add(made);
                } else {
                    tree.put(relativePath, node, root.mtime());
                    fromEntries.add(node);
                }
            }

            @Override
            public Node lookup(String relativePath) {
                return tree.find(relativePath);
            }
        };
        TarUnpacker.Options options = new TarUnpacker.Options(true, 0, excluded, true);
        new TarUnpacker(archive, spool, options, sink, warnings).unpack(in);
        tree.walk((path, node) -> {
            if (node instanceof DirectoryNode && !fromEntries.contains(node)) {
                node.setPermissions(implied.permissions()).setUid(implied.uid()).setGid(implied.gid());
            }
        });
        // pseudo hard links (l) to host files load them on their own: no host directory is a source
        SourceTree.ScopedFilter filter = new SourceTree.ScopedFilter();
        DirectoryTreeLoader loader = new DirectoryTreeLoader(filter, readHostXattrs);
        return new SourceTree(tree, true, List.of(), file -> SourceTree.loadSingle(loader, filter, file));
    }
}
