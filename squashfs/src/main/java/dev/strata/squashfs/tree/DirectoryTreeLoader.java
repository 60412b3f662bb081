package dev.strata.squashfs.tree;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fills a tree model from a directory on disk: types, modes, owners, times, device numbers, hard
 * links (by device and inode) and xattrs, using the richest attribute view the file system offers
 * (unix, then posix, then basic). Xattrs of every storable namespace (user., trusted., security.)
 * come from getfattr on a Linux host ({@link HostXattrs}); elsewhere, or without getfattr, only the
 * user. ones Java can read, on files and directories.
 */
public final class DirectoryTreeLoader {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Predicate<String> excluded;
    private final boolean readXattrs;
    /** With mksquashfs -one-file-system(-x): what becomes of entries on another file system; null to read them. */
    private final FileSystemBoundary boundary;
    /** The device of the directory being loaded, when entries on other devices are left out. */
    private Object boundaryDevice;
    private final Map<List<Object>, Node> hardLinks = new HashMap<>();
    /** Entries whose xattrs come from a getfattr run that goes on while the tree is walked. */
    private List<Deferred> awaitingXattrs;

    private record Deferred(Path path, Node node) {
    }

    /**
     * @param excluded   given a path relative to the loaded directory ("a/b"), whether to leave it out
     * @param readXattrs whether to read extended attributes
     */
    public DirectoryTreeLoader(Predicate<String> excluded, boolean readXattrs) {
        this(excluded, readXattrs, null);
    }

    /**
     * @param boundary null to cross into other file systems; otherwise entries on another device than
     *                 the directory loaded (mounts) are left out, or kept as empty directories, as it says
     */
    public DirectoryTreeLoader(Predicate<String> excluded, boolean readXattrs, FileSystemBoundary boundary) {
        this.excluded = excluded;
        this.readXattrs = readXattrs;
        this.boundary = boundary;
    }

    public DirectoryTreeLoader() {
        this(p -> false, true);
    }

    /** Loads dir as the root of a new tree; the root takes dir's own metadata. */
    public FileTree load(Path dir) throws IOException {
        Attributes attrs = Attributes.read(dir);
        if (attrs.type() != NodeType.DIRECTORY) {
            throw new TreeLoadException(dir, "not a directory");
        }
        DirectoryNode root = new DirectoryNode(attrs.permissions());
        attrs.applyTo(root);
        boundaryDevice = boundary == null ? null : attrs.device();
        Optional<HostXattrs.Reading> reading = startXattrs(dir);
        readXattrsInto(dir, root);
        loadChildren(dir, "", root);
        applyXattrs(reading);
        return new FileTree(root);
    }

    /** Loads the contents of dir into an existing directory node, replacing same-named entries. */
    public void loadInto(Path dir, DirectoryNode target) throws IOException {
        boundaryDevice = boundary == null ? null : Attributes.read(dir).device();
        Optional<HostXattrs.Reading> reading = startXattrs(dir);
        loadChildren(dir, "", target);
        applyXattrs(reading);
    }

    private void loadChildren(Path dir, String relative, DirectoryNode target) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                entries.add(p);
            }
        } catch (IOException e) {
            throw new TreeLoadException(dir, "cannot list directory: " + reason(e));
        }
        for (Path child : entries) {
            byte[] nameBytes = PathNames.bytesOf(child.getFileName());
            String display = Name.display(nameBytes);
            String childRelative = relative.isEmpty() ? display : relative + "/" + display;
            // excludes first, so that a name the image could not hold can still be left out
            if (excluded.test(childRelative)) {
                continue;
            }
            Name name;
            try {
                name = Name.of(nameBytes);
            } catch (InvalidNameException e) {
                throw new TreeLoadException(child, e.getMessage());
            }
            Node node = loadNode(child, childRelative);
            if (node != null) {
                target.put(name, node);
            }
        }
    }

    private Node loadNode(Path path, String relative) throws IOException {
        Attributes attrs;
        try {
            attrs = Attributes.read(path);
        } catch (IOException e) {
            throw new TreeLoadException(path, "cannot read attributes: " + reason(e));
        }
        if (boundaryDevice != null && !boundaryDevice.equals(attrs.device())) {
            boolean keep = attrs.type() == NodeType.DIRECTORY && boundary.keepsEmptyDirectories();
            boundary.crossed(path, keep);
            if (!keep) {
                return null;
            }
            DirectoryNode mountPoint = new DirectoryNode(attrs.permissions());
            attrs.applyTo(mountPoint);
            readXattrsInto(path, mountPoint);
            return mountPoint;
        }
        if (attrs.type() != NodeType.DIRECTORY && attrs.nlink() > 1 && attrs.inodeKey() != null) {
            Node existing = hardLinks.get(attrs.inodeKey());
            if (existing != null) {
                return existing;
            }
        }
        Node node = switch (attrs.type()) {
            case DIRECTORY -> {
                DirectoryNode d = new DirectoryNode(attrs.permissions());
                loadChildren(path, relative, d);
                yield d;
            }
            case FILE -> {
                if (!Files.isReadable(path)) {
                    throw new TreeLoadException(path, "file is not readable (permission denied)");
                }
                yield new FileNode(FileContent.of(path, attrs.size()), attrs.permissions());
            }
            case SYMLINK -> new SymlinkNode(PathNames.bytesOf(Files.readSymbolicLink(path)));
            case BLOCK_DEVICE, CHAR_DEVICE -> new DeviceNode(attrs.type(),
                    DeviceNode.majorOf(attrs.rdev()), DeviceNode.minorOf(attrs.rdev()), attrs.permissions());
            case FIFO, SOCKET -> new IpcNode(attrs.type(), attrs.permissions());
        };
        attrs.applyTo(node);
        readXattrsInto(path, node);
        if (attrs.type() != NodeType.DIRECTORY && attrs.nlink() > 1 && attrs.inodeKey() != null) {
            hardLinks.put(attrs.inodeKey(), node);
        }
        return node;
    }

    private Optional<HostXattrs.Reading> startXattrs(Path dir) throws IOException {
        Optional<HostXattrs.Reading> reading = readXattrs ? HostXattrs.start(dir) : Optional.empty();
        awaitingXattrs = reading.isPresent() ? new ArrayList<>() : null;
        return reading;
    }

    /** Gives the entries walked their xattrs, once getfattr has read them. */
    private void applyXattrs(Optional<HostXattrs.Reading> reading) throws IOException {
        if (reading.isPresent()) {
            HostXattrs xattrs = reading.get().await();
            for (Deferred d : awaitingXattrs) {
                xattrs.of(d.path()).forEach(d.node()::setXattr);
            }
            awaitingXattrs = null;
        }
    }

    private void readXattrsInto(Path path, Node node) throws IOException {
        if (awaitingXattrs != null) {
            awaitingXattrs.add(new Deferred(path, node));
            return;
        }
        // Only files and directories: Linux allows user.* xattrs on nothing else, and the JDK opens the
        // file to list them, which blocks forever on a fifo and opens the device behind a device node.
        if (!readXattrs || (node.type() != NodeType.FILE && node.type() != NodeType.DIRECTORY)) {
            return;
        }
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW);
        if (view == null) {
            return;
        }
        try {
            for (String name : view.list()) {
                ByteBuffer buf = ByteBuffer.allocate(view.size(name));
                view.read(name, buf);
                node.setXattr("user." + name, java.util.Arrays.copyOf(buf.array(), buf.position()));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // file systems without user xattrs (or devices that refuse them) simply have none
        }
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : " " + m);
    }

    /** What we need from the attribute views, whichever are available. */
    private record Attributes(NodeType type, int permissions, int uid, int gid, long mtime, long size,
                              int rdev, int nlink, List<Object> inodeKey) {

        static Attributes read(Path path) throws IOException {
            FileSystem fs = path.getFileSystem();
            Set<String> views = fs.supportedFileAttributeViews();
            if (views.contains("unix")) {
                Map<String, Object> a = Files.readAttributes(path,
                        "unix:mode,uid,gid,lastModifiedTime,size,rdev,nlink,dev,ino", NOFOLLOW);
                int mode = (Integer) a.get("mode");
                // some providers (jimfs) report only permission bits in unix:mode
                NodeType type = (mode & NodeType.TYPE_MASK) != 0 ? typeOfMode(mode, path) : basicType(path);
                return new Attributes(type, mode & 07777, (Integer) a.get("uid"),
                        (Integer) a.get("gid"), seconds((FileTime) a.get("lastModifiedTime")),
                        (Long) a.get("size"), (int) (long) (Long) a.get("rdev"), (Integer) a.get("nlink"),
                        List.of(a.get("dev"), a.get("ino")));
            }
            BasicFileAttributes basic;
            int permissions;
            if (views.contains("posix")) {
                PosixFileAttributes p = Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
                basic = p;
                permissions = bits(p.permissions());
            } else {
                basic = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
                permissions = basic.isDirectory() ? 0755 : 0644;
            }
            NodeType type = basic.isDirectory() ? NodeType.DIRECTORY
                    : basic.isSymbolicLink() ? NodeType.SYMLINK
                    : basic.isRegularFile() ? NodeType.FILE : NodeType.FIFO;
            Object key = basic.fileKey();
            return new Attributes(type, permissions, 0, 0, seconds(basic.lastModifiedTime()), basic.size(), 0,
                    key == null ? 1 : 2, key == null ? null : List.of(key));
        }

        /** The device the entry is on, where the attribute views tell it; else null. */
        Object device() {
            return inodeKey != null && inodeKey.size() == 2 ? inodeKey.get(0) : null;
        }

        private static NodeType basicType(Path path) throws IOException {
            BasicFileAttributes b = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
            return b.isDirectory() ? NodeType.DIRECTORY
                    : b.isSymbolicLink() ? NodeType.SYMLINK
                    : b.isRegularFile() ? NodeType.FILE : NodeType.FIFO;
        }

        void applyTo(Node node) {
            node.setPermissions(permissions).setUid(uid).setGid(gid).setMtime(mtime);
        }

        private static long seconds(FileTime t) {
            return Math.floorDiv(t.toMillis(), 1000);
        }

        private static int bits(Set<PosixFilePermission> perms) {
            int bits = 0;
            for (PosixFilePermission p : perms) {
                bits |= 0400 >> p.ordinal();
            }
            return bits;
        }

        private static NodeType typeOfMode(int mode, Path path) throws IOException {
            return NodeType.ofMode(mode).orElseThrow(
                    () -> new TreeLoadException(path, "unknown file type in mode " + Integer.toOctalString(mode)));
        }
    }
}
