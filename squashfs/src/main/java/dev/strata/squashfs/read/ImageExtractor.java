package dev.strata.squashfs.read;

import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.PathNames;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * Extracts an image (or some of its paths) into a new or empty directory, as {@code unsquashfs -d}
 * does: contents (several files decompressed at once), sparse files with holes, modes, times,
 * symbolic links, hard links, fifos and sockets; owners, device nodes and trusted and security xattrs
 * only when running as root, and user.* xattrs where the file system takes them. What could not be
 * made is listed in the report, never silently dropped.
 *
 * <p>Nothing is written outside the destination: names come from the image already checked (no '/',
 * "..", NUL, duplicates), every entry is created new without following symbolic links, hard links
 * point at files made by this extraction, and symbolic links are written as they are and never
 * followed.
 */
public final class ImageExtractor {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final FileAttribute<?>[] NO_MODE = new FileAttribute<?>[0];

    /**
     * @param asRoot  restore owners, make device nodes and write trusted and security xattrs
     * @param threads files decompressed and written at once
     */
    public record Options(boolean asRoot, int threads) {
        public Options {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }

        /** As root when this process runs as root; one thread per processor. */
        public static Options forThisProcess() {
            return new Options(runningAsRoot(), Runtime.getRuntime().availableProcessors());
        }
    }

    /** What was extracted, and what could not be made on this host (path: reason). */
    public record Report(long entries, long bytes, List<String> skipped) {
    }

    private final SquashfsImage image;
    private final Options options;
    private final List<String> skipped = Collections.synchronizedList(new ArrayList<>());
    private final boolean haveSetfattr;
    /** Owner, group and permissions that entries created under the destination get. */
    private CreationDefaults creation;
    /** Host paths of the current walk's entries. */
    private DirectoryStack hostPaths;
    private long entries;
    private long bytes;

    public ImageExtractor(SquashfsImage image, Options options) {
        this.image = image;
        this.options = options;
        this.haveSetfattr = options.asRoot() && onPath("setfattr");
    }

    /**
     * Extracts the whole image into dest, which must not exist or be an empty directory; the image's
     * root directory's mode, owner and time go to dest itself.
     */
    public Report extract(Path dest) throws IOException {
        return extract(dest, List.of());
    }

    /**
     * Extracts the given image paths (their whole subtrees) into dest at the same paths, the
     * directories leading to them made with their image metadata; no paths means everything.
     */
    public Report extract(Path dest, List<String> paths) throws IOException {
        prepare(dest);
        creation = CreationDefaults.probe(dest);
        List<Runnable> metadata = new ArrayList<>();
        Map<Long, Path> firstLink = new HashMap<>();
        List<HardLink> links = new ArrayList<>();
        List<PendingSpecial> specials = new ArrayList<>();
        Map<List<Name>, Boolean> made = new HashMap<>();
        try (FileWriters writers = new FileWriters(options.threads())) {
            Set<List<Name>> failed = new HashSet<>();
            SquashfsImage.Visitor visitor = (path, inode) -> {
                if (!failed.isEmpty() && !path.isEmpty() && failed.contains(path.subList(0, path.size() - 1))) {
                    if (inode.isDirectory()) {
                        failed.add(path); // below a directory that could not be made: reported there
                    }
                    return;
                }
                // one walk of the whole image reaches each path once; walks of several paths may overlap
                if (paths.isEmpty() || made.putIfAbsent(path, Boolean.TRUE) == null) {
                    try {
                        make(hostPaths.at(path), path, inode, writers, metadata, firstLink, links, specials);
                    } catch (FileSystemException e) {
                        // this host cannot hold it (a name too long for its file system, say); go on, as unsquashfs does
                        notMade(path, inode.isDirectory(), e);
                        if (inode.isDirectory()) {
                            failed.add(path);
                        }
                    }
                }
            };
            if (paths.isEmpty()) {
                hostPaths = new DirectoryStack(dest);
                image.walk(visitor);
            } else {
                for (String p : paths) {
                    makeLeadingDirectories(dest, p, made, metadata);
                    hostPaths = new DirectoryStack(dest);
                    image.walk(p, visitor);
                }
            }
            writers.finish();
            makeSpecials(specials);
            // after the writes: the file a link names is made by a writing thread
            for (HardLink link : links) {
                try {
                    Files.createLink(link.path(), link.target());
                } catch (FileSystemException e) {
                    notMade(link.imagePath(), false, e);
                }
            }
        }
        // children before their directories: a read-only directory gets its mode after its contents
        for (int i = metadata.size() - 1; i >= 0; i--) {
            metadata.get(i).run();
        }
        return new Report(entries, bytes, List.copyOf(skipped));
    }

    private static void prepare(Path dest) throws IOException {
        if (Files.exists(dest, NOFOLLOW)) {
            if (!Files.isDirectory(dest, NOFOLLOW)) {
                throw new FileSystemException(dest.toString(), null, "exists and is not a directory");
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dest)) {
                if (s.iterator().hasNext()) {
                    throw new FileSystemException(dest.toString(), null,
                            "not empty; extraction wants a new or empty directory");
                }
            }
        } else {
            Files.createDirectories(dest);
        }
    }

    /** The directories above an extracted path, with their metadata from the image. */
    private void makeLeadingDirectories(Path dest, String path, Map<List<Name>, Boolean> made,
                                        List<Runnable> metadata) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                names.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Name> canonical = image.canonicalPath(names, false, path);
        for (int depth = 0; depth < canonical.size(); depth++) {
            List<Name> prefix = List.copyOf(canonical.subList(0, depth));
            if (made.putIfAbsent(prefix, Boolean.TRUE) == null) {
                ImageInode dir = image.lookup(bytes(prefix), false, SquashfsImage.display(prefix));
                Path p = target(dest, prefix);
                if (!prefix.isEmpty()) {
                    Files.createDirectory(p);
                }
                metadata.add(() -> applyMetadata(dir, p));
            }
        }
    }

    private void notMade(List<Name> path, boolean directory, FileSystemException e) {
        skipped.add(display(path) + ": not made: " + (e.getReason() != null ? e.getReason()
                : e.getClass().getSimpleName()) + (directory ? " (nor anything below it)" : ""));
    }

    /** A second name of a file, made once the file is written. */
    private record HardLink(Path path, Path target, List<Name> imagePath) {
    }

    /** A device node or fifo of the image, made with the others after the walk (at a plain temporary name). */
    private record PendingSpecial(List<Name> imagePath, Path at, Path p, ImageInode inode,
                                  SortedMap<String, byte[]> xattrs) {
    }

    private void make(Path p, List<Name> path, ImageInode inode, FileWriters writers, List<Runnable> metadata,
                      Map<Long, Path> firstLink, List<HardLink> links, List<PendingSpecial> specials)
            throws IOException {
        entries++;
        if (!inode.isDirectory()) {
            Path first = firstLink.get(inode.number());
            if (first != null) {
                links.add(new HardLink(p, first, List.copyOf(path)));
                return;
            }
        }
        NodeType type = inode.type();
        SortedMap<String, byte[]> xattrs = image.xattrs(inode);
        if (xattrs.isEmpty() && type == NodeType.FILE) { // most entries: nothing goes on before the contents
            firstLink.put(inode.number(), p);
            queueFile(p, path, inode, writers, null);
            return;
        }
        if (xattrs.isEmpty() && type == NodeType.DIRECTORY) {
            if (!path.isEmpty()) {
                Files.createDirectory(p);
            }
            metadata.add(() -> applyMetadata(inode, p));
            return;
        }
        makeWithXattrsOrSpecial(p, path, inode, type, xattrs, metadata, firstLink, specials, writers);
    }

    /** What {@link #make} leaves: entries with xattrs, symbolic links, device nodes, fifos and sockets. */
    private void makeWithXattrsOrSpecial(Path p, List<Name> path, ImageInode inode, NodeType type,
                                         SortedMap<String, byte[]> xattrs, List<Runnable> metadata,
                                         Map<Long, Path> firstLink, List<PendingSpecial> specials,
                                         FileWriters writers) throws IOException {
        // external tools take names as text, which cannot carry every byte: they work on a plain
        // temporary name in the same directory, renamed to the real name afterwards
        if (type == NodeType.BLOCK_DEVICE || type == NodeType.CHAR_DEVICE || type == NodeType.FIFO) {
            if (type != NodeType.FIFO && !options.asRoot()) {
                skipped.add(display(path) + ": device node " + inode.major() + ":" + inode.minor()
                        + " not made (needs root)");
                return;
            }
            specials.add(new PendingSpecial(List.copyOf(path), temporaryName(p), p, inode, xattrs));
            firstLink.put(inode.number(), p);
            return;
        }
        boolean socket = type == NodeType.SOCKET;
        boolean toolXattrs = false;
        for (String name : xattrs.keySet()) {
            toolXattrs |= !name.startsWith("user.") || inode.isSymlink();
        }
        Path at = socket || (toolXattrs && options.asRoot()) ? temporaryName(p) : p;
        if (inode.isDirectory() && path.isEmpty()) {
            at = p;
        }
        FileChannel content = null;
        switch (type) {
            case DIRECTORY -> {
                if (!path.isEmpty()) {
                    Files.createDirectory(at);
                }
            }
            case FILE -> {
                if (!xattrs.isEmpty()) { // xattrs go on before the contents; otherwise a writer creates it
                    content = FileChannel.open(at, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(at, PathNames.path(p.getFileSystem(), image.readlink(inode)));
            case BLOCK_DEVICE, CHAR_DEVICE, FIFO -> throw new IllegalStateException("made by makeSpecials");
            case SOCKET -> {
                try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.bind(UnixDomainSocketAddress.of(at)); // the socket file stays after close
                } catch (IOException | UnsupportedOperationException e) {
                    skipped.add(display(path) + ": socket not made: " + e.getMessage());
                    return;
                }
            }
        }
        try {
            writeXattrs(path, xattrs, at, inode.isSymlink());
            if (socket) {
                applyMetadata(inode, at); // nothing later changes it
            }
            if (!at.equals(p)) {
                Files.move(at, p, LinkOption.NOFOLLOW_LINKS);
            }
            if (!inode.isDirectory()) {
                firstLink.put(inode.number(), p);
            }
            if (type == NodeType.FILE) {
                FileChannel created = content;
                content = null; // the last run closes it
                queueFile(p, path, inode, writers, created);
                return;
            }
        } finally {
            if (content != null) {
                content.close();
            }
        }
        if (!socket) {
            metadata.add(() -> applyMetadata(inode, p));
        }
    }

    /**
     * Hands a regular file to the writing threads.
     *
     * @param content the file, already created to carry xattrs, or null: a writing thread creates it
     */
    private void queueFile(Path p, List<Name> path, ImageInode inode, FileWriters writers, FileChannel content)
            throws IOException {
        try {
            FileData data = image.fileData(inode);
            bytes += data.size();
            List<Name> imagePath = List.copyOf(path);
            Consumer<FileSystemException> notMade = e -> notMade(imagePath, false, e);
            FileAttribute<?>[] mode = content == null ? creation.modeAtCreation(inode.permissions()) : NO_MODE;
            boolean modeSet = mode.length > 0;
            Runnable whenWritten = () -> applyMetadata(inode, p, modeSet);
            if (content == null && data.onlyFragmentTail()) {
                writers.writeTail(p, mode, data, notMade, whenWritten);
            } else {
                writers.write(new FileRuns(p, mode, content, data, notMade, whenWritten)); // the last run closes it
            }
        } catch (IOException | RuntimeException e) {
            if (content != null) {
                content.close();
            }
            throw e;
        }
    }

    private Path temporaryName(Path p) {
        return p.resolveSibling(".strata-extract-" + entries);
    }

    /**
     * Makes the device nodes and fifos found by the walk, with one host command for all, then gives
     * each its xattrs, owner and mode, and its real name.
     */
    private void makeSpecials(List<PendingSpecial> specials) throws IOException {
        SpecialNodeBatch batch = new SpecialNodeBatch();
        for (PendingSpecial s : specials) {
            batch.add(s.at(), s.inode().type(), s.inode().major(), s.inode().minor(), s.inode().mtime());
        }
        String[] failures = batch.makeAll();
        for (int i = 0; i < specials.size(); i++) {
            PendingSpecial s = specials.get(i);
            if (failures[i] != null) {
                skipped.add(display(s.imagePath()) + ": not made: " + failures[i]);
                continue;
            }
            try {
                writeXattrs(s.imagePath(), s.xattrs(), s.at(), false);
                applyMetadata(s.inode(), s.at()); // owner and mode: the batch set the time
                Files.move(s.at(), s.p(), LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException e) {
                notMade(s.imagePath(), false, e);
            }
        }
    }

    private void writeXattrs(List<Name> path, SortedMap<String, byte[]> xattrs, Path p, boolean symlink)
            throws IOException {
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            String name = x.getKey();
            if (name.startsWith("user.") && !symlink) {
                try {
                    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW)
                            .write(name.substring(5), ByteBuffer.wrap(x.getValue()));
                } catch (IOException | UnsupportedOperationException e) {
                    skipped.add(display(path) + ": xattr " + name + " not written: " + e.getMessage());
                }
                continue;
            }
            if (!options.asRoot() || !haveSetfattr) {
                skipped.add(display(path) + ": xattr " + name + " not written ("
                        + (options.asRoot() ? "setfattr is not installed" : "needs root") + ")");
                continue;
            }
            run(display(path), "setfattr", "-h", "-n", name, "-v", "0x" + HexFormat.of().formatHex(x.getValue()),
                    p.toString());
        }
    }

    /**
     * Owner before mode (chown clears setuid), then time; never through a symbolic link, and never by
     * opening the file: opening a fifo blocks, opening a device node talks to its driver.
     */
    private void applyMetadata(ImageInode inode, Path p) {
        applyMetadata(inode, p, false);
    }

    /** @param modeSet the entry was created with its permissions: no chmod */
    private void applyMetadata(ImageInode inode, Path p, boolean modeSet) {
        try {
            if (options.asRoot()) {
                // lchown only what differs from the owner the entry was created with (mostly nothing)
                if (inode.uid() != creation.uid()) {
                    Files.setAttribute(p, "unix:uid", (int) inode.uid(), NOFOLLOW);
                }
                if (inode.gid() != creation.gid()) {
                    Files.setAttribute(p, "unix:gid", (int) inode.gid(), NOFOLLOW);
                }
            }
            if (!inode.isSymlink() && !modeSet) {
                Files.setAttribute(p, "unix:mode", inode.permissions()); // chmod(2) by path; p is no symlink
            }
            boolean special = inode.type() == NodeType.FIFO || inode.type() == NodeType.CHAR_DEVICE
                    || inode.type() == NodeType.BLOCK_DEVICE;
            if (special) {
                return; // SpecialNodeBatch set the time: the JDK would open the node to do it
            }
            if (!inode.isSymlink() && faithfulAsText(p)) {
                // utimes(2) by path, without the open the JDK's setTimes does (one open a file fewer)
                if (!p.toFile().setLastModified(inode.mtime() * 1000)) {
                    throw new IOException("cannot set the modification time");
                }
            } else {
                FileTime t = FileTime.fromMillis(inode.mtime() * 1000);
                Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW).setTimes(t, t, null);
            }
        } catch (IOException | UnsupportedOperationException e) {
            skipped.add(p + ": owner, mode or time not set: " + e.getMessage());
        }
    }

    private boolean run(String what, String... command) throws IOException {
        String failure = HostCommand.run(command);
        if (failure != null) {
            skipped.add(what + ": " + failure);
        }
        return failure == null;
    }

    /** Whether p's string names exactly p's bytes (java.io.File sees paths only as strings). */
    private static boolean faithfulAsText(Path p) {
        return java.util.Arrays.equals(PathNames.bytesOf(p), p.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Path target(Path dest, List<Name> path) {
        Path p = dest;
        for (Name n : path) {
            p = PathNames.resolve(p, n.bytes());
        }
        return p;
    }

    /**
     * The host path of each entry of one walk, resolved against its parent directory's path: a walk
     * visits a directory before its contents, depth first.
     */
    private static final class DirectoryStack {
        private final List<Path> directories = new ArrayList<>();

        DirectoryStack(Path dest) {
            directories.add(dest);
        }

        /** The host path of path, the walk's current entry. */
        Path at(List<Name> path) {
            int depth = path.size();
            while (directories.size() > Math.max(depth, 1)) {
                directories.remove(directories.size() - 1);
            }
            if (depth == 0) {
                return directories.get(0);
            }
            while (directories.size() < depth) { // a walk that starts below the root
                int d = directories.size();
                directories.add(PathNames.resolve(directories.get(d - 1), path.get(d - 1).bytes()));
            }
            Path p = PathNames.resolve(directories.get(depth - 1), path.get(depth - 1).bytes());
            directories.add(p); // a directory's children come next; anything else is dropped by the next entry
            return p;
        }
    }

    private static List<byte[]> bytes(List<Name> path) {
        List<byte[]> out = new ArrayList<>(path.size());
        for (Name n : path) {
            out.add(n.bytes());
        }
        return out;
    }

    private static String display(List<Name> path) {
        return SquashfsImage.display(path);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
