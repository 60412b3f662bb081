package dev.strata.preview;

import dev.strata.overlay.merge.MergedDirectory;
import dev.strata.overlay.merge.MergedEntry;
import dev.strata.squashfs.read.SpecialNodeBatch;
import dev.strata.squashfs.read.ThreadPools;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a merged tree (or a subtree) out: into a new directory, as unsquashfs -d does, or as a tar
 * archive. Hard links stay hard links; the order is the tree's name order.
 */
public final class MergedExporter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** What could not be reproduced on this host (device nodes without root, xattrs outside user.*). */
    public record Report(long entries, long bytes, List<String> skipped) {
    }

    private final List<String> skipped = new ArrayList<>();
    private long entries;
    private long bytes;
    /** Device nodes and fifos, made together once the walk is done (one shell for all). */
    private final SpecialNodeBatch specials = new SpecialNodeBatch();
    private final List<Special> queuedSpecials = new ArrayList<>();
    /** Second and later names of device nodes and fifos, linked once the first name exists. */
    private final List<Link> specialLinks = new ArrayList<>();

    private record Special(Node node, Path path) {
    }

    private record Link(Path path, Path first) {
    }

    /** Extracts into dir, which must not exist or be empty. Owners are kept only when running as root. */
    public Report toDirectory(MergedEntry top, Path dir) throws IOException {
        if (Files.exists(dir, NOFOLLOW)) {
            if (!Files.isDirectory(dir, NOFOLLOW)) {
                throw new PreviewException(dir + ": exists and is not a directory");
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                if (s.iterator().hasNext()) {
                    throw new PreviewException(dir + ": not empty; export wants a new or empty directory");
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        boolean root = isRoot();
        // one more thread than cores: while one waits on the disk, the others decompress
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() + 1);
        List<Future<?>> writes = new ArrayList<>();
        List<Runnable> finish = new ArrayList<>();
        try {
            if (top instanceof MergedDirectory d) {
                extractChildren(d, dir, root, pool, writes, finish, new IdentityHashMap<>());
                finish.add(() -> applyMetadata(d.node(), dir, root));
            } else {
                extract(top, dir.resolve(top.name().toString()), root, pool, writes, finish, new IdentityHashMap<>());
            }
            for (Future<?> f : writes) {
                f.get();
            }
            makeSpecials(root);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            ThreadPools.stopAndWait(pool); // a failed export leaves nothing still being written
        }
        for (Runnable r : finish) {
            r.run(); // children before their directory, so its mode and time are set last
        }
        return new Report(entries, bytes, List.copyOf(skipped));
    }

    private void extractChildren(MergedDirectory d, Path dir, boolean root, ExecutorService pool,
                                 List<Future<?>> writes, List<Runnable> finish, Map<Node, Path> links)
            throws IOException {
        for (MergedEntry child : d.children().values()) {
            extract(child, dir.resolve(child.name().toString()), root, pool, writes, finish, links);
        }
    }

    private void extract(MergedEntry e, Path p, boolean root, ExecutorService pool, List<Future<?>> writes,
                         List<Runnable> finish, Map<Node, Path> links) throws IOException {
        Node n = e.node();
        entries++;
        if (e instanceof MergedDirectory d) {
            Files.createDirectory(p);
            extractChildren(d, p, root, pool, writes, finish, links);
            finish.add(() -> applyMetadata(n, p, root));
            return;
        }
        Path first = links.putIfAbsent(n, p);
        if (first != null) {
            if (isSpecial(n.type())) {
                specialLinks.add(new Link(p, first));
            } else {
                Files.createLink(p, first);
            }
            return;
        }
        switch (n.type()) {
            case FILE -> {
                FileNode f = (FileNode) n;
                bytes += f.content().size();
                Files.createFile(p);
                writes.add(pool.submit(() -> {
                    copy(f, p);
                    return null;
                }));
            }
            case SYMLINK -> Files.createSymbolicLink(p, Path.of(new String(((SymlinkNode) n).target(),
                    StandardCharsets.UTF_8)));
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> {
                queueSpecial(n, p, root);
                return;
            }
            default -> throw new IllegalStateException(n.type().toString());
        }
        finish.add(() -> applyMetadata(n, p, root));
        writeXattrs(e, p);
    }

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[1 << 20]);

    /** Copies with a buffer of a whole maximum-size block, so each image block is fetched once. */
    private static void copy(FileNode f, Path p) throws IOException {
        byte[] buf = BUFFERS.get();
        try (InputStream in = f.content().open();
             OutputStream out = Files.newOutputStream(p, StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
        }
    }

    private static boolean isSpecial(NodeType type) {
        return type == NodeType.FIFO || type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE
                || type == NodeType.SOCKET;
    }

    private void queueSpecial(Node n, Path p, boolean root) {
        if (n instanceof DeviceNode d) {
            if (!root) {
                skipped.add(p + ": device node " + d.major() + ":" + d.minor() + " needs root");
                return;
            }
            specials.add(p, d.type(), d.major(), d.minor(), n.mtime());
        } else if (n.type() == NodeType.FIFO) {
            specials.add(p, NodeType.FIFO, 0, 0, n.mtime());
        } else {
            skipped.add(p + ": sockets cannot be created by export");
            return;
        }
        queuedSpecials.add(new Special(n, p));
    }

    /** Makes the queued device nodes and fifos with their times, then their owners, modes and other names. */
    private void makeSpecials(boolean root) throws IOException {
        String[] failures = specials.makeAll();
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < queuedSpecials.size(); i++) {
            Special s = queuedSpecials.get(i);
            if (failures[i] != null) {
                skipped.add(s.path() + ": " + failures[i]);
                continue;
            }
            made.add(s.path());
            applyMetadata(s.node(), s.path(), root);
        }
        for (Link l : specialLinks) {
            if (made.contains(l.first())) {
                Files.createLink(l.path(), l.first());
            } else {
                skipped.add(l.path() + ": not linked, " + l.first() + " was not made");
            }
        }
    }

    private void applyMetadata(Node n, Path p, boolean root) {
        try {
            if (root) {
                Files.setAttribute(p, "unix:uid", n.uid(), NOFOLLOW);
                Files.setAttribute(p, "unix:gid", n.gid(), NOFOLLOW);
            }
            if (n.type() != NodeType.SYMLINK) {
                // chmod(2) by path: never opens the file (a fifo would block)
                Files.setAttribute(p, "unix:mode", n.permissions());
            }
            // device nodes and fifos got their times when made: the JDK sets times through an open
            // descriptor, and opening a fifo blocks, a device opens its driver
            if (n.type() != NodeType.SYMLINK && !isSpecial(n.type())) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(n.mtime() * 1000));
            }
        } catch (IOException | UnsupportedOperationException e) {
            skipped.add(p + ": metadata not applied: " + e.getMessage());
        }
    }

    private void writeXattrs(MergedEntry e, Path p) {
        if (e.type() != NodeType.FILE && e.type() != NodeType.DIRECTORY) {
            return;
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            if (!x.getKey().startsWith("user.")) {
                skipped.add(p + ": xattr " + x.getKey() + " not written (only user.* from Java)");
                continue;
            }
            try {
                UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
                v.write(x.getKey().substring(5), ByteBuffer.wrap(x.getValue()));
            } catch (IOException | UnsupportedOperationException ex) {
                skipped.add(p + ": xattr " + x.getKey() + ": " + ex.getMessage());
            }
        }
    }

    /**
     * GNU tar's SCHILY.xattr record where the value is text; a binary value (security.capability,
     * trusted.overlay.origin) cannot pass through commons-compress's text records unchanged, so it goes
     * in bsdtar's base64 LIBARCHIVE.xattr record instead, which bsdtar and Strata restore exactly.
     */
    private static void addXattr(TarArchiveEntry t, String name, byte[] value) {
        if (isUtf8(value)) {
            t.addPaxHeader("SCHILY.xattr." + name, new String(value, StandardCharsets.UTF_8));
        } else {
            t.addPaxHeader("LIBARCHIVE.xattr." + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8),
                    java.util.Base64.getEncoder().encodeToString(value));
        }
    }

    private static boolean isUtf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** Writes the tree as a POSIX (pax) tar to out, with xattrs as SCHILY.xattr records. */
    public Report toTar(MergedEntry top, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        writeTar(tar, top, top instanceof MergedDirectory ? "." : top.name().toString(), new IdentityHashMap<>());
        tar.finish();
        tar.flush();
        return new Report(entries, bytes, List.copyOf(skipped));
    }

    private void writeTar(TarArchiveOutputStream tar, MergedEntry e, String name, Map<Node, String> links)
            throws IOException {
        Node n = e.node();
        entries++;
        TarArchiveEntry t;
        String earlier = e instanceof MergedDirectory ? null : links.putIfAbsent(n, name);
        if (earlier != null) {
            t = new TarArchiveEntry(name, TarConstants.LF_LINK);
            t.setLinkName(earlier);
        } else {
            t = switch (n.type()) {
                case DIRECTORY -> new TarArchiveEntry(name + "/");
                case FILE -> {
                    TarArchiveEntry f = new TarArchiveEntry(name);
                    f.setSize(((FileNode) n).content().size());
                    yield f;
                }
                case SYMLINK -> {
                    TarArchiveEntry s = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                    s.setLinkName(new String(((SymlinkNode) n).target(), StandardCharsets.UTF_8));
                    yield s;
                }
                case CHAR_DEVICE, BLOCK_DEVICE -> {
                    DeviceNode d = (DeviceNode) n;
                    TarArchiveEntry c = new TarArchiveEntry(name,
                            d.type() == NodeType.CHAR_DEVICE ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                    c.setDevMajor(d.major());
                    c.setDevMinor(d.minor());
                    yield c;
                }
                case FIFO -> new TarArchiveEntry(name, TarConstants.LF_FIFO);
                case SOCKET -> null;
            };
            if (t == null) {
                skipped.add(name + ": sockets have no tar representation");
                return;
            }
            t.setMode(n.type().mode(n.permissions()));
        }
        t.setUserId(n.uid());
        t.setGroupId(n.gid());
        t.setModTime(n.mtime() * 1000);
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            addXattr(t, x.getKey(), x.getValue());
        }
        tar.putArchiveEntry(t);
        if (earlier == null && n instanceof FileNode f) {
            bytes += f.content().size();
            try (InputStream in = f.content().open()) {
                in.transferTo(tar);
            }
        }
        tar.closeArchiveEntry();
        if (e instanceof MergedDirectory d) {
            for (MergedEntry c : d.children().values()) {
                writeTar(tar, c, name + "/" + c.name(), links);
            }
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
