package dev.strata.cli;

import dev.strata.overlay.merge.FactoryReset;
import dev.strata.overlay.merge.KeepList;
import dev.strata.overlay.merge.MergeFinding;
import dev.strata.overlay.merge.MergeOptions;
import dev.strata.overlay.merge.MergedDirectory;
import dev.strata.overlay.merge.MergedEntry;
import dev.strata.overlay.merge.MergedTree;
import dev.strata.overlay.merge.UpperDiff;
import dev.strata.preview.LowerImageLocator;
import dev.strata.preview.MergedExporter;
import dev.strata.preview.MergedPaths;
import dev.strata.preview.Preview;
import dev.strata.preview.PreviewException;
import dev.strata.preview.UpperSource;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec.Target;

/** strata preview IMAGE... [--upper X] [PATH | cat PATH]: the merged root as the kernel's overlay shows it. */
@Command(name = "preview", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Shows the root a device sees: its squashfs lower and an upper, merged by overlayfs's rules.",
                "The lowers are squashfs images (or flashable images holding one), top first. Nothing is written"
                        + " except --export.",
                "",
                "  strata preview rootfs.squashfs --upper overlay-backup.tar.gz /etc",
                "  strata preview rootfs.squashfs --upper /mnt/data/upper --diff",
                "  strata preview rootfs.squashfs --upper upper.tar cat /etc/config/network"})
public final class PreviewCommand implements Callable<Integer> {
    @ParentCommand
    StrataCli strata;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "ARG", arity = "1..*",
            description = "IMAGE... (files on disk, top lower first), then optionally a PATH in the merged root"
                    + " (shows that subtree), or 'cat PATH' (prints that file).")
    List<String> args;

    @Option(names = "--upper", paramLabel = "DIR|TAR|OCI.tar|EXPORT",
            description = "The upper layer: a directory, a tar of one, an OCI layer tar, or a strata-export archive.")
    Path upper;

    @Option(names = "--upper-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "How to read --upper: auto, dir, tar (0/0 devices as whiteouts) or oci (.wh. markers).")
    String upperFormat;

    @Option(names = "--userxattr", description = "Overlay xattrs live in user.overlay.* (mounted with userxattr).")
    boolean userxattr;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Option(names = "--diff", description = "What the upper changes against factory state.")
    boolean diff;

    @Option(names = "--reset", description = "Show what a factory reset would leave.")
    boolean reset;

    @Option(names = "--keep", paramLabel = "FILE",
            description = "With --reset: paths kept across the reset (sysupgrade.conf style).")
    Path keep;

    @Option(names = "--export", paramLabel = "DIR|FILE.tar",
            description = "Write the merged root (or PATH) to a new directory or a tar archive.")
    Path export;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        List<Path> images = new ArrayList<>();
        String path = null;
        boolean cat = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("cat") && i == args.size() - 2 && !images.isEmpty()) {
                cat = true;
                path = args.get(++i);
            } else if (path == null && Files.isRegularFile(Path.of(a))
                    && (i < args.size() - 1 || images.isEmpty() || LowerImageLocator.holdsSquashfs(Path.of(a)))) {
                // the last argument may be a path in the merged root that also exists on this host
                images.add(Path.of(a));
            } else if (path == null && !images.isEmpty() && i == args.size() - 1) {
                path = a;
            } else {
                Path given = Path.of(a);
                String what = Files.isDirectory(given) ? "a directory, not an image file (an upper directory goes"
                        + " after --upper)" : Files.exists(given) ? "not an image file" : "no such image file";
                err.println("strata: error: " + a + ": " + what + (images.isEmpty() ? "" : ", and only the"
                        + " last argument can be a PATH in the merged root"));
                return ErrorReporter.USAGE;
            }
        }
        if (keep != null && !reset) {
            err.println("strata: error: --keep goes with --reset");
            return ErrorReporter.USAGE;
        }
        UpperSource.Kind kind = switch (upperFormat.toLowerCase(Locale.ROOT)) {
            case "auto" -> UpperSource.Kind.AUTO;
            case "dir", "directory" -> UpperSource.Kind.DIRECTORY;
            case "tar", "export", "strata-export" -> UpperSource.Kind.TAR;
            case "oci" -> UpperSource.Kind.OCI;
            default -> null;
        };
        if (kind == null) {
            err.println("strata: error: --upper-format must be auto, dir, tar or oci, not '" + upperFormat + "'");
            return ErrorReporter.USAGE;
        }
        try (Preview preview = Preview.open(images, Optional.ofNullable(upper), kind, new MergeOptions(userxattr, true))) {
            MergedTree view = preview.merged();
            if (reset) {
                KeepList list = keep == null ? KeepList.none() : KeepList.parse(Files.readAllLines(keep));
                view = FactoryReset.apply(view, list, preview.merge());
            }
            for (MergeFinding f : view.findings()) {
                err.println("strata: warning: " + OneLine.of(f.toString()));
            }
            if (diff) {
                printDiff(UpperDiff.between(preview.factory(), view), out);
                return 0;
            }
            MergedEntry top = path == null ? view.root() : MergedPaths.resolve(view, path, cat);
            if (cat) {
                return cat(top, path, err);
            }
            if (export != null) {
                return export(top, err);
            }
            if (json) {
                printJson(top, out);
            } else {
                printListing(top, out);
            }
            return 0;
        } catch (PreviewException | dev.strata.overlay.merge.UpperLayerException e) {
            err.println("strata: error: " + e.getMessage());
            return ErrorReporter.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int cat(MergedEntry e, String path, PrintWriter err) throws IOException {
        if (!(e.node() instanceof FileNode f)) {
            err.println("strata: error: " + path + ": not a regular file (" + e.type().name().toLowerCase(Locale.ROOT) + ")");
            return ErrorReporter.FAILURE;
        }
        command.commandLine().getOut().flush();
        // bytes, not characters: the file may be binary
        OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
        try (InputStream in = f.content().open()) {
            in.transferTo(stdout);
        }
        stdout.flush();
        return 0;
    }

    private int export(MergedEntry top, PrintWriter err) throws IOException {
        MergedExporter exporter = new MergedExporter();
        MergedExporter.Report report;
        String name = export.getFileName() == null ? "" : export.getFileName().toString();
        if (name.endsWith(".tar") || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            if (Files.exists(export, LinkOption.NOFOLLOW_LINKS)) {
                err.println("strata: error: " + export + ": exists; export does not overwrite");
                return ErrorReporter.FAILURE;
            }
            Path tmp = export.toAbsolutePath().resolveSibling("." + name + ".partial");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 OutputStream body = name.endsWith(".tar") ? os : new java.util.zip.GZIPOutputStream(os, 1 << 16)) {
                report = exporter.toTar(top, body);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, export, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else {
            report = exporter.toDirectory(top, export);
        }
        for (String s : report.skipped()) {
            err.println("strata: warning: " + OneLine.of(s));
        }
        err.println("exported " + Counted.of(report.entries(), "entry", "entries") + ", "
                + Counted.of(report.bytes(), "byte", "bytes") + " to " + export);
        return 0;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private static void printListing(MergedEntry top, PrintWriter out) {
        List<MergedEntry> all = new ArrayList<>();
        collect(top, all);
        for (MergedEntry e : all) {
            Node n = e.node();
            String size = switch (n.type()) {
                case FILE -> Long.toString(((FileNode) n).content().size());
                case SYMLINK -> Integer.toString(((SymlinkNode) n).targetLength());
                case CHAR_DEVICE, BLOCK_DEVICE -> ((DeviceNode) n).major() + ", " + ((DeviceNode) n).minor();
                default -> "-";
            };
            StringBuilder line = new StringBuilder();
            line.append(modeString(n)).append(String.format(" %3d %5d %5d %10s ", e.nlink(), n.uid(), n.gid(), size))
                    .append(TIME.format(Instant.ofEpochSecond(n.mtime()))).append(' ').append(e.path());
            if (n instanceof SymlinkNode s) {
                line.append(" -> ").append(s.targetString());
            }
            line.append("  [").append(e.layer().isUpper() ? "upper" : e.layer().label()).append(']');
            if (e.unsupported() != null) {
                line.append("  (unsupported: ").append(e.unsupported()).append(')');
            }
            out.println(line);
            if (e instanceof MergedDirectory d) {
                for (Name phantom : d.phantoms()) {
                    out.println("?????????? " + (d.path().equals("/") ? "" : d.path()) + "/" + phantom
                            + "  (listed by readdir, but lookup fails: an unfiltered whiteout)");
                }
            }
        }
    }

    private static void collect(MergedEntry e, List<MergedEntry> all) {
        all.add(e);
        if (e instanceof MergedDirectory d) {
            for (MergedEntry c : d.children().values()) {
                collect(c, all);
            }
        }
    }

    static String modeString(Node n) {
        char type = switch (n.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case FIFO -> 'p';
            case SOCKET -> 's';
            default -> '-';
        };
        int m = n.permissions();
        StringBuilder sb = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            sb.setCharAt(3, (m & 0100) != 0 ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            sb.setCharAt(6, (m & 010) != 0 ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            sb.setCharAt(9, (m & 01) != 0 ? 't' : 'T');
        }
        return sb.toString();
    }

    private static void printJson(MergedEntry top, PrintWriter out) {
        List<MergedEntry> all = new ArrayList<>();
        collect(top, all);
        out.println("[");
        for (int i = 0; i < all.size(); i++) {
            MergedEntry e = all.get(i);
            Node n = e.node();
            Map<String, Object> o = new TreeMap<>();
            o.put("path", e.path());
            o.put("type", n.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            o.put("mode", String.format("%04o", n.permissions()));
            o.put("uid", n.uid());
            o.put("gid", n.gid());
            o.put("nlink", e.nlink());
            o.put("mtime", n.mtime());
            o.put("layer", e.layer().isUpper() ? "upper" : e.layer().label());
            if (n instanceof FileNode f) {
                o.put("size", f.content().size());
            } else if (n instanceof SymlinkNode s) {
                o.put("target", s.targetString());
            } else if (n instanceof DeviceNode d) {
                o.put("major", d.major());
                o.put("minor", d.minor());
            }
            if (!e.xattrs().isEmpty()) {
                o.put("xattrs", new ArrayList<>(e.xattrs().keySet()));
            }
            if (e instanceof MergedDirectory d && !d.phantoms().isEmpty()) {
                List<String> names = new ArrayList<>();
                d.phantoms().forEach(p -> names.add(p.toString()));
                o.put("listedButMissing", names);
            }
            if (e.unsupported() != null) {
                o.put("unsupported", e.unsupported());
            }
            out.println("  " + Json.object(o) + (i + 1 < all.size() ? "," : ""));
        }
        out.println("]");
    }

    private void printDiff(List<UpperDiff.Entry> entries, PrintWriter out) {
        if (json) {
            out.println("[");
            for (int i = 0; i < entries.size(); i++) {
                UpperDiff.Entry e = entries.get(i);
                Map<String, Object> o = new TreeMap<>();
                o.put("path", e.path());
                List<String> changes = new ArrayList<>();
                e.changes().stream().sorted().forEach(c -> changes.add(c.name().toLowerCase(Locale.ROOT).replace('_', '-')));
                o.put("changes", changes);
                if (e.before() != null) {
                    o.put("before", e.before().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                if (e.after() != null) {
                    o.put("after", e.after().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                }
                out.println("  " + Json.object(o) + (i + 1 < entries.size() ? "," : ""));
            }
            out.println("]");
            return;
        }
        for (UpperDiff.Entry e : entries) {
            List<String> what = new ArrayList<>();
            String code = "";
            for (UpperDiff.Change c : UpperDiff.Change.values()) {
                if (!e.changes().contains(c)) {
                    continue;
                }
                switch (c) {
                    case ADDED -> { code = "A"; what.add("added " + kind(e.after())); }
                    case DELETED -> { code = "D"; what.add("deleted " + kind(e.before())); }
                    case REPLACED -> { code = "R"; what.add(kind(e.before()) + " replaced by " + kind(e.after())); }
                    case MODIFIED_CONTENT -> { code = "M"; what.add("content"); }
                    case MODIFIED_METADATA -> { code = code.isEmpty() ? "m" : code; what.add("metadata"); }
                    case OPAQUE -> { code = code.isEmpty() || code.equals("m") ? "O" : code; what.add("opaque: hides the factory content"); }
                }
            }
            out.println(code + " " + e.path() + "  (" + String.join(", ", what) + ")");
        }
    }

    private static String kind(NodeType t) {
        return t == null ? "" : t.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
