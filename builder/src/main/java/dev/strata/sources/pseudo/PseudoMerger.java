package dev.strata.sources.pseudo;

import dev.strata.sources.SourceTree;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.InvalidNameException;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Adds pseudo definitions to a tree made from the sources, with mksquashfs's rules:
 * <ul>
 * <li>definitions are placed parents first, so their order in the file does not matter except that
 * the first definition of a path wins and an L link needs its target defined before it;</li>
 * <li>an entry that exists in the sources is kept and the definition ignored with a warning (exclude
 * the source entry to replace it), except m/M definitions, which change it;</li>
 * <li>a definition whose parent directory exists neither in the sources nor as a pseudo directory is
 * an error (mksquashfs 4.6 and later stop there too);</li>
 * <li>a root definition "/ d ..." gives the root's attributes only when there are no sources.</li>
 * </ul>
 */
public final class PseudoMerger {
    private final long now;
    private final DynamicFiles commands;
    private final Consumer<String> warnings;
    private final Map<PseudoDefinition, Node> nodes = new IdentityHashMap<>();
    private final Map<String, PseudoDefinition> byPath = new LinkedHashMap<>();

    /**
     * @param now      the time of lower-case definitions, which carry none
     * @param commands runs f definitions
     * @param warnings receives one line per ignored definition
     */
    public PseudoMerger(long now, DynamicFiles commands, Consumer<String> warnings) {
        this.now = now;
        this.commands = commands;
        this.warnings = warnings;
    }

    public void merge(SourceTree sources, List<PseudoDefinition> definitions) throws IOException {
        FileTree tree = sources.tree();
        List<PseudoDefinition.Xattr> xattrs = new ArrayList<>();
        for (PseudoDefinition d : definitions) {
            checkNames(d);
            if (d instanceof PseudoDefinition.Xattr x) {
                xattrs.add(x);
                continue;
            }
            PseudoDefinition first = byPath.get(d.path());
            if (first != null) {
                warnings.accept(d.location() + ": /" + d.path() + " was already defined at " + first.location()
                        + "; ignoring this definition");
                continue;
            }
            if (d.path().isEmpty() && !(d instanceof PseudoDefinition.Directory)) {
                warnings.accept(d.location() + ": the pseudo definition for / must be a directory (d); ignoring it");
                continue;
            }
            if (d instanceof PseudoDefinition.PseudoLink link) {
                PseudoDefinition target = byPath.get(link.target());
                if (target == null) {
                    throw new PseudoDefinitionException(d.location(), "L target /" + link.target()
                            + " is not defined by an earlier pseudo definition");
                }
                if (target instanceof PseudoDefinition.Directory || target instanceof PseudoDefinition.Modify) {
                    throw new PseudoDefinitionException(d.location(), "L target /" + link.target()
                            + " is a pseudo directory or modify definition, which cannot be hard-linked");
                }
            }
            byPath.put(d.path(), d);
        }

        PseudoDefinition rootDefinition = byPath.remove("");
        if (rootDefinition instanceof PseudoDefinition.Directory root && !sources.fromSources()) {
            applyAttributes(tree.root(), root.attributes(), true);
        }

        List<PseudoDefinition> ordered = new ArrayList<>(byPath.values());
        ordered.sort(Comparator.comparingInt(d -> FileTree.split(d.path()).size()));
        for (PseudoDefinition d : ordered) {
            place(sources, d);
        }
        for (PseudoDefinition.Xattr x : xattrs) {
            Node node = tree.find(x.path());
            if (node == null) {
                warnings.accept(x.location() + ": /" + x.path() + " does not exist; ignoring its xattr " + x.name());
                continue;
            }
            node.setXattr(x.name(), x.value());
        }
    }

    private void place(SourceTree sources, PseudoDefinition d) throws IOException {
        List<Name> names = FileTree.split(d.path());
        StringBuilder parentPath = new StringBuilder();
        Node parent = sources.tree().root();
        for (int i = 0; i < names.size() - 1; i++) {
            parentPath.append('/').append(names.get(i));
            parent = ((DirectoryNode) parent).get(names.get(i));
            if (parent == null) {
                throw new PseudoDefinitionException(d.location(), "cannot create /" + d.path() + ": " + parentPath
                        + " exists neither in the sources nor as a pseudo directory (define it first, e.g. '"
                        + parentPath + " d 755 0 0')");
            }
            if (!(parent instanceof DirectoryNode)) {
                throw new PseudoDefinitionException(d.location(), "cannot create /" + d.path() + ": " + parentPath
                        + " is not a directory");
            }
        }
        DirectoryNode dir = (DirectoryNode) parent;
        Name name = names.get(names.size() - 1);
        Node existing = dir.get(name);
        if (d instanceof PseudoDefinition.Modify m) {
            if (existing == null) {
                warnings.accept(d.location() + ": /" + d.path() + " does not exist in the sources; ignoring its"
                        + " m definition");
            } else {
                applyAttributes(existing, m.attributes(), m.attributes().mtime().isPresent());
            }
            return;
        }
        if (existing != null) {
            warnings.accept(d.location() + ": /" + d.path() + " exists in the sources; ignoring its pseudo definition"
                    + " (exclude it with -e to replace it)");
            return;
        }
        dir.put(name, nodeFor(sources, d));
    }

    private Node nodeFor(SourceTree sources, PseudoDefinition d) throws IOException {
        Node made = nodes.get(d);
        if (made != null) {
            return made;
        }
        Node node;
        if (d instanceof PseudoDefinition.Directory dir) {
            node = attributed(new DirectoryNode(dir.attributes().mode()), dir.attributes());
        } else if (d instanceof PseudoDefinition.Device dev) {
            node = attributed(new DeviceNode(dev.type(), dev.major(), dev.minor(), dev.attributes().mode()),
                    dev.attributes());
        } else if (d instanceof PseudoDefinition.Symlink s) {
            node = attributed(new SymlinkNode(s.target()), s.attributes()).setPermissions(0777);
        } else if (d instanceof PseudoDefinition.Ipc ipc) {
            node = attributed(new IpcNode(ipc.type(), ipc.attributes().mode()), ipc.attributes());
        } else if (d instanceof PseudoDefinition.DynamicFile f) {
            node = attributed(new FileNode(commands.run(f.command(), f.location()), f.attributes().mode()),
                    f.attributes());
        } else if (d instanceof PseudoDefinition.InlineFile f) {
            node = attributed(new FileNode(f.content(), f.attributes().mode()), f.attributes());
        } else if (d instanceof PseudoDefinition.HostLink l) {
            node = hostEntry(sources, l);
        } else if (d instanceof PseudoDefinition.PseudoLink l) {
            node = nodeFor(sources, byPath.get(l.target()));
        } else {
            throw new IllegalStateException("definition makes no node: " + d);
        }
        nodes.put(d, node);
        return node;
    }

    private static Node hostEntry(SourceTree sources, PseudoDefinition.HostLink l) throws PseudoDefinitionException {
        try {
            return sources.hostEntry(Path.of(l.hostPath()));
        } catch (IOException e) {
            throw new PseudoDefinitionException(l.location(), "cannot link to " + l.hostPath() + ": " + e.getMessage());
        }
    }

    private Node attributed(Node node, PseudoAttributes a) {
        applyAttributes(node, a, true);
        return node;
    }

    private void applyAttributes(Node node, PseudoAttributes a, boolean setTime) {
        node.setPermissions(a.mode()).setUid(a.uid()).setGid(a.gid());
        if (setTime) {
            node.setMtime(a.mtime().orElse(now));
        }
    }

    private static void checkNames(PseudoDefinition d) throws PseudoDefinitionException {
        try {
            FileTree.split(d.path());
        } catch (InvalidNameException e) {
            throw new PseudoDefinitionException(d.location(), "bad file name /" + d.path() + ": " + e.getMessage());
        }
    }
}
