package dev.strata.build;

import dev.strata.spec.Spec;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * manifest.json: the firmware, the image, the packages and one entry per path (type, mode, owner,
 * size, sha256, target or device numbers, the step it came from and the steps it replaced). Built
 * from the tree in name order, so the same build gives the same bytes. Also fills the size report.
 */
final class ManifestWriter {
    private ManifestWriter() {
    }

    record Output(String json, SizeReport report) {
    }

    static Output write(Spec spec, long epoch, RootAssembly assembly, List<InstalledPackage> packages,
                        WriteResult result, String imageSha256, String compression, ImageAccounts accounts)
            throws IOException {
        Map<Integer, String> users = accounts.userNames();
        Map<Integer, String> groups = accounts.groupNames();
        Map<String, String> packageOf = new HashMap<>();
        for (InstalledPackage p : packages) {
            packageOf.put(p.label(), p.label());
        }
        FileFacts facts = new FileFacts();
        SizeReport.Builder sizes = new SizeReport.Builder();
        Set<String> countedContent = new HashSet<>();
        Map<Node, String> firstPath = new IdentityHashMap<>();

        JsonWriter json = new JsonWriter().beginObject();
        json.member("manifest-version", 1);
        json.member("name", spec.name()).member("version", spec.version());
        spec.profile().ifPresent(p -> json.member("profile", p));
        json.member("source-date-epoch", epoch);
        json.key("spec").beginObject().member("file", spec.file().getFileName().toString())
                .member("sha256", spec.sha256()).endObject();
        json.key("image").beginObject()
                .member("file", "rootfs.squashfs")
                .member("size", result.imageSize())
                .member("bytes-used", result.bytesUsed())
                .member("data-bytes", result.dataBytes())
                .member("sha256", imageSha256)
                .member("compression", compression)
                .member("block-size", spec.squashfs().blockSize())
                .member("inodes", result.inodes())
                .endObject();
        json.key("packages").beginArray();
        for (InstalledPackage p : packages) {
            json.beginObject().member("name", p.name()).member("version", p.version())
                    .member("architecture", p.architecture()).member("format", p.format().key())
                    .member("file", p.file()).endObject();
        }
        json.endArray();
        json.key("entries").beginArray();
        try {
            assembly.tree().walk((path, node) -> {
                try {
                    entry(json, path, node, assembly, users, groups, facts, firstPath, sizes, countedContent,
                            packageOf);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        json.endArray();
        json.endObject();
        return new Output(json.toString(), sizes.build(result.imageSize(), result.dataBytes(), spec.squashfs().maxSize()));
    }

    private static void entry(JsonWriter json, String path, Node node, RootAssembly assembly,
                              Map<Integer, String> users, Map<Integer, String> groups, FileFacts facts,
                              Map<Node, String> firstPath, SizeReport.Builder sizes, Set<String> countedContent,
                              Map<String, String> packageOf) throws IOException {
        json.beginObject();
        json.member("path", path);
        json.member("type", typeName(node.type()));
        json.member("mode", String.format("%04o", node.permissions()));
        json.member("uid", Integer.toUnsignedLong(node.uid()));
        json.member("gid", Integer.toUnsignedLong(node.gid()));
        String user = users.get(node.uid());
        String group = groups.get(node.gid());
        if (user != null) {
            json.member("owner", user);
        }
        if (group != null) {
            json.member("group", group);
        }
        String earlier = node instanceof DirectoryNode ? null : firstPath.putIfAbsent(node, path);
        if (earlier != null) {
            json.member("hardlink-of", earlier);
        }
        if (node instanceof FileNode f) {
            FileFacts.Facts ff = facts.of(f);
            json.member("size", ff.size());
            json.member("sha256", ff.sha256());
            RootAssembly.Origin origin = assembly.originOf(path);
            if (earlier == null && countedContent.add(ff.sha256())) {
                sizes.add(path, origin == null ? null : packageOf.get(origin.source()), ff.size(), ff.deflated());
            }
        } else if (node instanceof SymlinkNode s) {
            json.member("target", s.targetString());
        } else if (node instanceof DeviceNode d) {
            json.member("major", d.major());
            json.member("minor", d.minor());
        }
        if (!node.xattrs().isEmpty()) {
            json.key("xattrs").beginArray();
            for (String name : node.xattrs().keySet()) {
                json.value(name);
            }
            json.endArray();
        }
        RootAssembly.Origin origin = assembly.originOf(path);
        if (origin != null) {
            json.member("source", origin.source());
            if (!origin.replaced().isEmpty()) {
                json.key("replaced").beginArray();
                for (String r : origin.replaced()) {
                    json.value(r);
                }
                json.endArray();
            }
        }
        json.endObject();
    }

    static String typeName(NodeType type) {
        return switch (type) {
            case DIRECTORY -> "dir";
            case FILE -> "file";
            case SYMLINK -> "symlink";
            case CHAR_DEVICE -> "char";
            case BLOCK_DEVICE -> "block";
            case FIFO -> "fifo";
            case SOCKET -> "socket";
        };
    }

}
