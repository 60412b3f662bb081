package dev.strata.build;

import dev.strata.sources.archive.ContentSpool;
import dev.strata.sources.archive.EntrySink;
import dev.strata.sources.archive.TarUnpacker;
import dev.strata.sources.devtable.MakedevsTable;
import dev.strata.sources.devtable.PackFile;
import dev.strata.sources.devtable.TableEntry;
import dev.strata.sources.devtable.TableException;
import dev.strata.sources.devtable.TableLine;
import dev.strata.sources.packages.PackageFile;
import dev.strata.sources.pseudo.PseudoDefinition;
import dev.strata.sources.pseudo.PseudoDefinitionException;
import dev.strata.sources.pseudo.PseudoParser;
import dev.strata.spec.PackageFormat;
import dev.strata.spec.PathGlob;
import dev.strata.spec.SourceSpec;
import dev.strata.spec.SpecPath;
import dev.strata.spec.TableFormat;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.tree.TreeLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Applies each kind of spec step to the assembly. */
final class SourceSteps {
    private final RootAssembly assembly;
    private final ContentSpool spool;
    private final Consumer<String> warnings;
    private final long epoch;
    private final Map<String, String> environment;
    private final PackageDatabases databases;
    private final List<InstalledPackage> installed = new ArrayList<>();

    private final boolean normalizeHostModes;

    SourceSteps(RootAssembly assembly, ContentSpool spool, Consumer<String> warnings, long epoch,
                Map<String, String> environment, boolean normalizeHostModes) {
        this.normalizeHostModes = normalizeHostModes;
        this.assembly = assembly;
        this.spool = spool;
        this.warnings = warnings;
        this.epoch = epoch;
        this.environment = environment;
        this.databases = new PackageDatabases(assembly, epoch);
    }

    List<InstalledPackage> installed() {
        return List.copyOf(installed);
    }

    void apply(SourceSpec step) throws IOException {
        if (step instanceof SourceSpec.Directory d) {
            directory(d);
        } else if (step instanceof SourceSpec.Tar t) {
            tar(t);
        } else if (step instanceof SourceSpec.Package p) {
            for (SpecPath file : p.paths()) {
                installPackage(p, file);
            }
        } else if (step instanceof SourceSpec.InlineFile f) {
            inlineFile(f);
        } else if (step instanceof SourceSpec.InlineDirectory d) {
            inlineDirectory(d);
        } else if (step instanceof SourceSpec.InlineSymlink s) {
            SymlinkNode link = new SymlinkNode(s.target());
            applyOwner(link, s.owner(), s.location().toString());
            link.setMtime(epoch);
            assembly.place(ImagePaths.names(s.path()), link, s.label());
        } else if (step instanceof SourceSpec.Removal r) {
            for (PathGlob pattern : r.patterns()) {
                if (assembly.remove(pattern).isEmpty()) {
                    warnings.accept(pattern.location() + ": remove '" + pattern.text() + "' matched nothing");
                }
            }
        } else if (step instanceof SourceSpec.DeviceTable t) {
            table(t);
        }
    }

    // ---- directories and archives

    private void directory(SourceSpec.Directory d) throws IOException {
        Predicate<String> excluded = excludes(d.exclude(), d.to());
        FileTree loaded;
        try {
            loaded = new DirectoryTreeLoader(excluded, true).load(d.path().path());
        } catch (TreeLoadException e) {
            throw new AssemblyException(d.location() + ": dir " + d.path().written() + ": " + e.getMessage());
        }
        if (!d.keepOwners()) {
            rootOwned(loaded.root());
        }
        if (normalizeHostModes) {
            Map<Node, Boolean> seen = new IdentityHashMap<>();
            loaded.walk((p, n) -> {
                if (seen.put(n, Boolean.TRUE) == null) {
                    dev.strata.sources.packages.HostModes.normalize(n);
                }
            });
        }
        List<Name> dest = ImagePaths.names(d.to());
        assembly.directory(dest, d.label());
        for (Map.Entry<Name, Node> e : loaded.root().children().entrySet()) {
            assembly.place(ImagePaths.child(dest, e.getKey()), e.getValue(), d.label(), false);
        }
    }

    private static void rootOwned(DirectoryNode root) {
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        new FileTree(root).walk((p, n) -> {
            if (seen.put(n, Boolean.TRUE) == null) {
                n.setUid(0).setGid(0);
            }
        });
    }

    private static Predicate<String> excludes(List<PathGlob> patterns, String to) {
        if (patterns.isEmpty()) {
            return p -> false;
        }
        String prefix = to.equals("/") ? "/" : to + "/";
        return relative -> {
            String image = prefix + relative;
            for (PathGlob g : patterns) {
                if (g.matches(image)) {
                    return true;
                }
            }
            return false;
        };
    }

    private void tar(SourceSpec.Tar t) throws IOException {
        TarUnpacker.Options options = new TarUnpacker.Options(t.keepOwners(), t.stripComponents(),
                excludes(t.exclude(), t.to()));
        List<Name> dest = ImagePaths.names(t.to());
        assembly.directory(dest, t.label());
        try (InputStream in = Files.newInputStream(t.path().path())) {
            new TarUnpacker(t.path().written(), spool, options, sink(dest, t.label(), true), warnings).unpack(in);
        }
    }

    /** @param directoryMetadata whether directory entries change existing directories (tar: yes, packages: no) */
    private EntrySink sink(List<Name> dest, String label, boolean directoryMetadata) {
        return new EntrySink() {
            @Override
            public void put(String relativePath, Node node) throws IOException {
                assembly.place(concat(dest, relativePath), node, label, directoryMetadata);
            }

            @Override
            public Node lookup(String relativePath) throws IOException {
                return assembly.find(concat(dest, relativePath), false);
            }
        };
    }

    private static List<Name> concat(List<Name> dest, String relative) {
        List<Name> out = new ArrayList<>(dest);
        out.addAll(ImagePaths.names(relative));
        return out;
    }

    // ---- packages

    private void installPackage(SourceSpec.Package p, SpecPath file) throws IOException {
        PackageFile pkg = PackageFile.open(file.path(), file.written(), p.format(), spool);
        String label = p.format().key() + " " + pkg.name() + " " + pkg.version();
        List<String> previous = previousFiles(p.format(), pkg.name());
        TarUnpacker.Options options = new TarUnpacker.Options(p.keepOwners(), 0, x -> false);
        TarUnpacker.Unpacked unpacked = pkg.unpackData(spool, options, normalizeHostModes, sink(List.of(), label, false),
                warnings);
        List<String> paths = new ArrayList<>();
        for (String rel : unpacked.paths()) {
            if (!rel.isEmpty()) {
                paths.add("/" + rel);
            }
        }
        removeLeftovers(previous, paths, label);
        if (p.register()) {
            if (p.format() == PackageFormat.IPK) {
                databases.registerOpkg(pkg, paths, label);
            } else {
                databases.registerDpkg(pkg, paths, label);
            }
        }
        installed.add(new InstalledPackage(p.format(), pkg.name(), pkg.version(), pkg.architecture().orElse(""),
                file.written(), label, List.copyOf(paths)));
    }

    /** The files an earlier install of the same package recorded in the image's database. */
    private List<String> previousFiles(PackageFormat format, String name) throws IOException {
        String list = (format == PackageFormat.IPK ? PackageDatabases.OPKG_INFO : PackageDatabases.DPKG_INFO)
                + name + ".list";
        Node node = assembly.find(ImagePaths.names(list), true);
        if (!(node instanceof FileNode f)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (InputStream in = f.content().open()) {
            for (String line : new String(in.readNBytes(64 << 20), StandardCharsets.UTF_8).split("\n")) {
                String path = line.split("\t")[0].strip();
                if (path.startsWith("/") && !path.equals("/.")) {
                    out.add(path);
                }
            }
        }
        return out;
    }

    /** An upgrade removes what the old version installed and the new one does not (as opkg and dpkg do). */
    private void removeLeftovers(List<String> previous, List<String> installed, String label) {
        java.util.Set<String> now = new java.util.HashSet<>(installed);
        for (String old : previous) {
            if (now.contains(old)) {
                continue;
            }
            try {
                Node n = assembly.find(ImagePaths.names(old), false);
                if (n != null && !(n instanceof DirectoryNode)) {
                    assembly.remove(ImagePaths.names(old));
                }
            } catch (IOException | IllegalArgumentException e) {
                warnings.accept(label + ": could not remove " + old + " left by the earlier version: " + e.getMessage());
            }
        }
    }

    // ---- inline entries

    private void inlineFile(SourceSpec.InlineFile f) throws IOException {
        FileContent content;
        int mode = 0644;
        if (f.content().isPresent()) {
            content = FileContent.of(f.content().get().getBytes(StandardCharsets.UTF_8));
        } else {
            Path host = f.from().orElseThrow().path();
            content = FileContent.of(host);
            mode = Files.isExecutable(host) ? 0755 : 0644;
        }
        FileNode node = new FileNode(content, f.mode().orElse(mode));
        node.setMtime(epoch);
        applyOwner(node, f.owner(), f.location().toString());
        assembly.place(ImagePaths.names(f.path()), node, f.label());
    }

    private void inlineDirectory(SourceSpec.InlineDirectory d) throws IOException {
        List<Name> path = ImagePaths.names(d.path());
        Node existing = assembly.find(path, true);
        if (existing instanceof DirectoryNode dir) {
            d.mode().ifPresent(dir::setPermissions);
            applyOwner(dir, d.owner(), d.location().toString());
            return;
        }
        DirectoryNode dir = new DirectoryNode(d.mode().orElse(0755));
        dir.setMtime(epoch);
        applyOwner(dir, d.owner(), d.location().toString());
        assembly.place(path, dir, d.label());
    }

    private void applyOwner(Node node, java.util.Optional<SourceSpec.Owner> owner, String at) throws IOException {
        if (owner.isEmpty()) {
            return;
        }
        ImageAccounts accounts = ImageAccounts.of(assembly);
        try {
            if (owner.get().user().isPresent()) {
                node.setUid(accounts.uid(owner.get().user().get()));
            }
            if (owner.get().group().isPresent()) {
                node.setGid(accounts.gid(owner.get().group().get()));
            }
        } catch (IllegalArgumentException e) {
            throw new AssemblyException(owner.get().location() + ": " + e.getMessage());
        }
    }

    // ---- tables

    private void table(SourceSpec.DeviceTable t) throws IOException {
        if (t.format() == TableFormat.PSEUDO) {
            pseudo(t);
            return;
        }
        List<TableLine> lines = new ArrayList<>();
        if (t.file().isPresent()) {
            String text = Files.readString(t.file().get().path(), StandardCharsets.UTF_8);
            lines.addAll(TableLine.of(text, t.file().get().written()));
        } else {
            for (SourceSpec.InlineLine l : t.lines()) {
                lines.add(new TableLine(l.text(), l.location().toString()));
            }
        }
        List<TableEntry> entries = switch (t.format()) {
            case MAKEDEVS -> MakedevsTable.parse(lines);
            case GEN_INIT_CPIO -> new PackFile(PackFile.Dialect.GEN_INIT_CPIO, t.base(), environment).parse(lines);
            case GENSQUASHFS -> new PackFile(PackFile.Dialect.GENSQUASHFS, t.base(), environment).parse(lines);
            case PSEUDO -> throw new IllegalStateException();
        };
        for (TableEntry e : entries) {
            applyEntry(e, t.label());
        }
    }

    private void applyEntry(TableEntry e, String label) throws IOException {
        String at = e.location();
        List<Name> path = ImagePaths.names(e.path());
        if (e instanceof TableEntry.Modify m) {
            Node node = assembly.find(path, false);
            if (node == null) {
                throw new TableException(at, e.path() + " does not exist in the image (makedevs '"
                        + (m.recursive() ? "r" : "f") + "' changes an existing entry; use 'd' to create a directory)");
            }
            int uid = uid(m.owner(), at);
            int gid = gid(m.owner(), at);
            if (m.recursive() && node instanceof DirectoryNode d) {
                Map<Node, Boolean> seen = new IdentityHashMap<>();
                new FileTree(d).walk((p, n) -> {
                    if (seen.put(n, Boolean.TRUE) == null) {
                        n.setUid(uid).setGid(gid);
                        if (!(n instanceof SymlinkNode)) {
                            m.mode().ifPresent(n::setPermissions);
                        }
                    }
                });
            } else {
                node.setUid(uid).setGid(gid);
                if (!(node instanceof SymlinkNode)) {
                    m.mode().ifPresent(node::setPermissions);
                }
            }
            return;
        }
        if (e instanceof TableEntry.HardLink h) {
            Node target = assembly.find(ImagePaths.names(h.target()), false);
            if (target == null || target instanceof DirectoryNode) {
                throw new TableException(at, "hard link target " + h.target()
                        + (target == null ? " does not exist in the image" : " is a directory"));
            }
            assembly.place(path, target, label + " (" + brief(at) + ")");
            return;
        }
        Node node;
        TableEntry.Owner owner;
        if (e instanceof TableEntry.Directory d) {
            node = new DirectoryNode(d.mode());
            owner = d.owner();
        } else if (e instanceof TableEntry.Device d) {
            node = new DeviceNode(d.type(), d.major(), d.minor(), d.mode());
            owner = d.owner();
        } else if (e instanceof TableEntry.Ipc i) {
            node = new IpcNode(i.type(), i.mode());
            owner = i.owner();
        } else if (e instanceof TableEntry.Symlink s) {
            node = new SymlinkNode(s.target());
            owner = s.owner();
        } else {
            TableEntry.File f = (TableEntry.File) e;
            node = new FileNode(FileContent.of(f.hostFile()), f.mode());
            owner = f.owner();
        }
        node.setUid(uid(owner, at)).setGid(gid(owner, at)).setMtime(epoch);
        assembly.place(path, node, label + " (" + brief(at) + ")");
    }

    /** A table location without directories, so manifests do not depend on where the build ran. */
    private static String brief(String at) {
        int slash = at.lastIndexOf('/');
        return slash < 0 ? at : at.substring(slash + 1);
    }

    private int uid(TableEntry.Owner owner, String at) throws IOException {
        try {
            return ImageAccounts.of(assembly).uid(owner.user());
        } catch (IllegalArgumentException ex) {
            throw new TableException(at, ex.getMessage());
        }
    }

    private int gid(TableEntry.Owner owner, String at) throws IOException {
        try {
            return ImageAccounts.of(assembly).gid(owner.group());
        } catch (IllegalArgumentException ex) {
            throw new TableException(at, ex.getMessage());
        }
    }

    private void pseudo(SourceSpec.DeviceTable t) throws IOException {
        PseudoParser parser = new PseudoParser(ImageAccounts.of(assembly).asAccounts());
        List<PseudoDefinition> definitions = new ArrayList<>();
        List<String> locations = new ArrayList<>();
        if (t.file().isPresent()) {
            byte[] bytes = Files.readAllBytes(t.file().get().path());
            for (PseudoDefinition d : parser.parse(bytes, t.file().get().written())) {
                definitions.add(d);
                locations.add(d.location().toString());
            }
        } else {
            for (SourceSpec.InlineLine line : t.lines()) {
                try {
                    definitions.add(parser.parseOption(line.text()));
                } catch (PseudoDefinitionException e) {
                    throw new TableException(line.location().toString(), e.problem());
                }
                locations.add(line.location().brief());
            }
        }
        for (int i = 0; i < definitions.size(); i++) {
            applyPseudo(definitions.get(i), locations.get(i), t.label());
        }
    }

    private void applyPseudo(PseudoDefinition d, String at, String label) throws IOException {
        List<Name> path = ImagePaths.names(d.path());
        String source = label + " (" + at + ")";
        if (d instanceof PseudoDefinition.Modify m) {
            Node node = assembly.find(path, false);
            if (node == null) {
                throw new TableException(at, "/" + d.path() + " does not exist in the image (type m changes an"
                        + " existing entry)");
            }
            node.setPermissions(m.attributes().mode()).setUid(m.attributes().uid()).setGid(m.attributes().gid());
            m.attributes().mtime().ifPresent(node::setMtime);
            return;
        }
        if (d instanceof PseudoDefinition.Xattr x) {
            Node node = assembly.find(path, false);
            if (node == null) {
                throw new TableException(at, "/" + d.path() + " does not exist in the image (type x adds an"
                        + " attribute to an existing entry)");
            }
            node.setXattr(x.name(), x.value());
            return;
        }
        if (d instanceof PseudoDefinition.PseudoLink l) {
            Node target = assembly.find(ImagePaths.names(l.target()), false);
            if (target == null || target instanceof DirectoryNode) {
                throw new TableException(at, "hard link target /" + l.target()
                        + (target == null ? " does not exist in the image" : " is a directory"));
            }
            assembly.place(path, target, source);
            return;
        }
        if (d instanceof PseudoDefinition.DynamicFile) {
            throw new TableException(at, "type f runs a command at build time, which strata build does not do"
                    + " (builds must not depend on the host): use a 'file:' step with 'from:'");
        }
        if (d instanceof PseudoDefinition.HostLink) {
            throw new TableException(at, "type l links to a build host file, which strata build does not do: use a"
                    + " 'file:' step or a gensquashfs 'link' line");
        }
        Node node;
        dev.strata.sources.pseudo.PseudoAttributes attrs;
        if (d instanceof PseudoDefinition.Directory x) {
            node = new DirectoryNode(x.attributes().mode());
            attrs = x.attributes();
        } else if (d instanceof PseudoDefinition.Device x) {
            node = new DeviceNode(x.type(), x.major(), x.minor(), x.attributes().mode());
            attrs = x.attributes();
        } else if (d instanceof PseudoDefinition.Symlink x) {
            node = new SymlinkNode(x.target());
            attrs = x.attributes();
        } else if (d instanceof PseudoDefinition.Ipc x) {
            node = new IpcNode(x.type(), x.attributes().mode());
            attrs = x.attributes();
        } else {
            PseudoDefinition.InlineFile x = (PseudoDefinition.InlineFile) d;
            node = new FileNode(x.content(), x.attributes().mode());
            attrs = x.attributes();
        }
        node.setUid(attrs.uid()).setGid(attrs.gid()).setMtime(attrs.mtime().orElse(epoch));
        if (path.isEmpty() && node instanceof DirectoryNode) {
            assembly.root().copyMetadataFrom(node);
            return;
        }
        assembly.place(path, node, source);
    }
}
