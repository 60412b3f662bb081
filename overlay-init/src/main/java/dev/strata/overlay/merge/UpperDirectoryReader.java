package dev.strata.overlay.merge;

import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.Node;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads an overlay upper directory (for instance a device's data partition mounted on a PC) as a
 * layer. Java sees only user.* xattrs, so all xattrs, trusted.overlay.* (opaque, redirect, metacopy)
 * among them, are read with one getfattr run; when that is impossible the layer says so and opaque
 * directories are reported as unknown wherever they would change the result. Special files are never
 * opened (an upper holds fifos and device nodes: opening one blocks or reaches a device).
 */
public final class UpperDirectoryReader {
    private static final long GETFATTR_TIMEOUT_SECONDS = 300;

    private final MergeOptions options;
    private final String getfattr;

    public UpperDirectoryReader(MergeOptions options) {
        this(options, "getfattr");
    }

    UpperDirectoryReader(MergeOptions options, String getfattr) {
        this.options = options;
        this.getfattr = getfattr;
    }

    public Layer read(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UpperLayerException(dir + ": not a directory");
        }
        if (Files.isDirectory(dir.resolve("upper")) && Files.isDirectory(dir.resolve("work"))) {
            throw new UpperLayerException(dir + " holds 'upper' and 'work': it looks like the overlay's data"
                    + " volume, not the upper directory itself; pass " + dir.resolve("upper"));
        }
        FileTree tree = new DirectoryTreeLoader(p -> false, false).load(dir);
        Layer layer = Layer.upper(dir.toString(), tree);
        Optional<String> problem = readXattrs(dir, tree);
        if (problem.isPresent()) {
            readUserXattrsWithJava(dir, tree);
            if (!options.userxattr()) {
                return layer.withOpaqueUnknown(problem.get());
            }
        }
        return layer;
    }

    /** The fallback: user.* of directories and regular files, the only files safe to open. */
    private static void readUserXattrsWithJava(Path dir, FileTree tree) {
        tree.walk((path, node) -> {
            if (node.type() != dev.strata.squashfs.tree.NodeType.DIRECTORY
                    && node.type() != dev.strata.squashfs.tree.NodeType.FILE) {
                return;
            }
            Path p = path.equals("/") ? dir : dir.resolve(path.substring(1));
            var view = Files.getFileAttributeView(p, java.nio.file.attribute.UserDefinedFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (view == null) {
                return;
            }
            try {
                for (String name : view.list()) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(view.size(name));
                    view.read(name, buf);
                    node.setXattr("user." + name, java.util.Arrays.copyOf(buf.array(), buf.position()));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // a file system without user xattrs has none to show
            }
        });
    }

    /** Fills all xattrs into the tree; returns why trusted.* could not be read, if it could not. */
    private Optional<String> readXattrs(Path dir, FileTree tree) throws IOException {
        if (!isRoot()) {
            return Optional.of("trusted.overlay.* xattrs are readable only with CAP_SYS_ADMIN (run as root),"
                    + " or give the upper as a tar made with xattrs or a strata-export archive");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        List<String> cmd = List.of(getfattr, "--absolute-names", "-h", "-R", "-d", "-m", "-", "-e", "hex",
                absolute.toString());
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return Optional.of("getfattr is not installed (package 'attr'), so trusted.overlay.opaque cannot be read");
        }
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!process.waitFor(GETFATTR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("getfattr did not finish within " + GETFATTR_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading xattrs of " + dir, e);
        }
        if (process.exitValue() != 0 && out.length == 0) {
            return Optional.of("getfattr failed with exit code " + process.exitValue());
        }
        applyGetfattrOutput(out, absolute.toString().getBytes(StandardCharsets.UTF_8), tree);
        return Optional.empty();
    }

    /** Parses `getfattr -d -e hex` output: "# file: PATH" blocks of "name=0xHEX" lines. */
    static void applyGetfattrOutput(byte[] out, byte[] rootPath, FileTree tree) throws IOException {
        Node current = null;
        int i = 0;
        while (i < out.length) {
            int end = i;
            while (end < out.length && out[end] != '\n') {
                end++;
            }
            String line = new String(out, i, end - i, StandardCharsets.ISO_8859_1);
            if (line.startsWith("# file: ")) {
                byte[] path = unescape(line.substring("# file: ".length()));
                current = nodeAt(tree, rootPath, path);
            } else if (current != null && !line.isEmpty()) {
                int eq = line.indexOf('=');
                String name = eq > 0 ? line.substring(0, eq) : line;
                if (!dev.strata.squashfs.tree.XattrNames.isStorable(name)) {
                    // system.* (ACLs) have no place in the tree model
                } else if (eq > 0 && line.startsWith("0x", eq + 1)) {
                    byte[] value = HexFormat.of().parseHex(line.substring(eq + 3));
                    current.setXattr(line.substring(0, eq), value);
                } else if (eq < 0) {
                    current.setXattr(line, new byte[0]);
                }
            }
            i = end + 1;
        }
    }

    private static Node nodeAt(FileTree tree, byte[] rootPath, byte[] path) throws IOException {
        int start = rootPath.length;
        if (path.length < start || !java.util.Arrays.equals(path, 0, start, rootPath, 0, start)) {
            throw new UpperLayerException("getfattr reported a path outside the upper: "
                    + new String(path, StandardCharsets.UTF_8));
        }
        Node node = tree.root();
        int p = start;
        while (p < path.length) {
            if (path[p] == '/') {
                p++;
                continue;
            }
            int q = p;
            while (q < path.length && path[q] != '/') {
                q++;
            }
            if (!(node instanceof DirectoryNode d)) {
                return null;
            }
            node = d.get(Name.of(java.util.Arrays.copyOfRange(path, p, q)));
            if (node == null) {
                return null; // changed while we read it
            }
            p = q;
        }
        return node;
    }

    /** getfattr escapes bytes outside printable ASCII, and the backslash, as \ooo (and \\). */
    static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1, 3)) {
                b.write(Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i++;
            } else {
                b.write(c);
            }
        }
        return b.toByteArray();
    }

    private static boolean isOctal(String s, int from, int n) {
        if (from + n > s.length()) {
            return false;
        }
        for (int k = from; k < from + n; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

}
