package dev.strata.squashfs.testing;

import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Makes a real directory equal to a tree model, so mksquashfs can pack the same tree and the loader
 * can read it back. Every node is first made under a plain numbered name in a staging directory (by
 * Java, or by mknod, mkfifo and setfattr for what Java cannot do: device nodes, fifos, trusted.* and
 * security.* xattrs), then moved to its real name. Real names are raw bytes, so the paths are built
 * from bytes (the JDK's Unix path type, opened to tests by the surefire argLine like
 * {@link dev.strata.squashfs.tree.PathNames}); no String or locale sits in between. Owners, modes
 * and times are set last, a directory after its contents. Needs root.
 */
public final class TreeMaterializer {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Constructor<?> UNIX_PATH = unixPathConstructor();

    private final Path staging;
    private final Map<Node, Path> stagedAt = new IdentityHashMap<>();
    private final Map<Node, Path> placedAt = new IdentityHashMap<>();
    private final StringBuilder script = new StringBuilder("set -e\n");
    private int counter;

    private TreeMaterializer(Path staging) {
        this.staging = staging;
    }

    /** Whether paths can be made from raw bytes on this JVM (needs --add-opens java.base/sun.nio.fs). */
    public static boolean available() {
        return UNIX_PATH != null;
    }

    /**
     * Skips the calling test unless every kind of entry can be made on disk here: root (device nodes,
     * owners, trusted.* xattrs), the attr and coreutils tools, and raw-byte paths.
     */
    public static void assumeCanMaterialize() {
        TestEnvironment.assumeRoot("making device nodes, owners and trusted.* xattrs on disk");
        TestEnvironment.assumeTools("getfattr", "setfattr", "mknod", "mkfifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(available(),
                "raw-byte paths need --add-opens java.base/sun.nio.fs=ALL-UNNAMED (surefire argLine)");
    }

    /**
     * Fills target (an existing empty directory, which takes the root's metadata) with tree. scratch
     * is a directory on the same file system, for staging.
     */
    public static void materialize(FileTree tree, Path target, Path scratch) throws IOException {
        if (!available()) {
            throw new IllegalStateException("raw-byte paths need --add-opens java.base/sun.nio.fs=ALL-UNNAMED");
        }
        Path staging = Files.createTempDirectory(scratch, "staging");
        TreeMaterializer m = new TreeMaterializer(staging);
        m.stage(tree.root());
        m.xattrs(tree.root(), target.toAbsolutePath());
        Path scriptFile = scratch.resolve("materialize-" + System.nanoTime() + ".sh");
        Files.writeString(scriptFile, m.script.toString(), StandardCharsets.US_ASCII);
        try {
            ExternalCommand.runChecked("sh", scriptFile.toString());
        } finally {
            Files.delete(scriptFile);
        }
        Path root = raw(target.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        m.place(tree.root(), root);
        m.metadata(tree.root(), root);
        Files.delete(staging);
    }

    /** Makes every node (once, however many names it has) under a numbered name in staging. */
    private void stage(DirectoryNode dir) throws IOException {
        for (Node node : dir.children().values()) {
            if (stagedAt.containsKey(node)) {
                continue;
            }
            Path at = staging.resolve(Integer.toString(++counter));
            stagedAt.put(node, at);
            if (node instanceof DirectoryNode d) {
                Files.createDirectory(at);
                stage(d);
            } else if (node instanceof FileNode f) {
                try (InputStream in = f.content().open()) {
                    Files.copy(in, at);
                }
            } else if (node instanceof SymlinkNode s) {
                Files.createSymbolicLink(at, raw(s.target()));
            } else if (node instanceof DeviceNode d) {
                script.append("mknod ").append(at).append(d.type() == NodeType.BLOCK_DEVICE ? " b " : " c ")
                        .append(d.major()).append(' ').append(d.minor()).append('\n');
                specialMetadata(node, at);
            } else if (node instanceof IpcNode && node.type() == NodeType.FIFO) {
                script.append("mkfifo ").append(at).append('\n');
                specialMetadata(node, at);
            } else {
                // binding creates the socket file; it stays after the channel is closed
                try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.bind(UnixDomainSocketAddress.of(at));
                }
                specialMetadata(node, at);
            }
            if (!(node instanceof DirectoryNode)) {
                xattrs(node, at);
            }
        }
    }

    /**
     * Devices, fifos and sockets get owner, mode and time from the tools, in staging: the JDK opens a
     * file to chmod it, and opening a fifo blocks (touch -h does not open it either). A rename keeps all
     * three.
     */
    private void specialMetadata(Node node, Path at) {
        script.append("chown ").append(node.uid()).append(':').append(node.gid()).append(' ').append(at).append('\n')
                .append("chmod ").append(String.format("%04o", node.permissions())).append(' ').append(at).append('\n')
                .append("touch -h -d @").append(node.mtime()).append(' ').append(at).append('\n');
    }

    private void xattrs(Node node, Path at) {
        node.xattrs().forEach((name, value) -> script.append("setfattr -h -n ").append(name).append(" -v 0x")
                .append(HexFormat.of().formatHex(value)).append(' ').append(at).append('\n'));
        if (node instanceof DirectoryNode d) {
            for (Node child : d.children().values()) {
                if (child instanceof DirectoryNode) {
                    xattrs(child, stagedAt.get(child));
                }
            }
        }
    }

    /** Moves staged nodes to their names; further names of a node become hard links. */
    private void place(DirectoryNode dir, Path dirPath) throws IOException {
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            Node node = e.getValue();
            Path path = child(dirPath, e.getKey());
            Path first = placedAt.get(node);
            if (first != null) {
                Files.createLink(path, first);
                continue;
            }
            Files.move(stagedAt.get(node), path);
            placedAt.put(node, path);
        }
        for (Map.Entry<Name, Node> e : dir.children().entrySet()) {
            if (e.getValue() instanceof DirectoryNode d) {
                place(d, placedAt.get(d));
            }
        }
    }

    /** Owner before mode (chown clears setuid bits), time last, a directory after its contents. */
    private void metadata(Node node, Path path) throws IOException {
        if (node instanceof DirectoryNode d) {
            for (Node child : d.children().values()) {
                metadata(child, placedAt.get(child));
            }
        }
        if (node instanceof DeviceNode || node instanceof IpcNode) {
            return; // done in staging, see specialMetadata
        }
        Files.setAttribute(path, "unix:uid", node.uid(), NOFOLLOW);
        Files.setAttribute(path, "unix:gid", node.gid(), NOFOLLOW);
        if (node.type() != NodeType.SYMLINK) {
            Files.setAttribute(path, "unix:mode", node.permissions(), NOFOLLOW);
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.fromMillis(node.mtime() * 1000), null, null);
    }

    private static Path child(Path dir, Name name) {
        byte[] parent = dev.strata.squashfs.tree.PathNames.bytesOf(dir);
        byte[] n = name.bytes();
        byte[] joined = java.util.Arrays.copyOf(parent, parent.length + 1 + n.length);
        joined[parent.length] = '/';
        System.arraycopy(n, 0, joined, parent.length + 1, n.length);
        return raw(joined);
    }

    /** A path with exactly these bytes. */
    public static Path raw(byte[] bytes) {
        try {
            return (Path) UNIX_PATH.newInstance(FileSystems.getDefault(), bytes);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a path from bytes", e);
        }
    }

    private static Constructor<?> unixPathConstructor() {
        try {
            Class<?> path = Class.forName("sun.nio.fs.UnixPath");
            Constructor<?> c = path.getDeclaredConstructor(Class.forName("sun.nio.fs.UnixFileSystem"), byte[].class);
            c.setAccessible(true);
            return c;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
