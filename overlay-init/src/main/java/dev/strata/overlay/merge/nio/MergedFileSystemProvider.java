package dev.strata.overlay.merge.nio;

import dev.strata.overlay.merge.MergedDirectory;
import dev.strata.overlay.merge.MergedEntry;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The provider behind {@link MergedFileSystem}: everything read-only, writes refused. */
final class MergedFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "strata-overlay";

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("use MergedFileSystems.of(mergedTree)");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("merged file systems are not registered by URI");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("merged file systems are not registered by URI");
    }

    private static MergedPath check(Path p) {
        if (!(p instanceof MergedPath m)) {
            throw new ProviderMismatchException("not a merged-view path: " + p);
        }
        return m;
    }

    private static boolean follow(LinkOption... options) {
        return !Arrays.asList(options).contains(LinkOption.NOFOLLOW_LINKS);
    }

    private static MergedAttributes attributes(Path p, boolean follow) throws IOException {
        return new MergedAttributes(entry(p, follow), (MergedFileSystem) check(p).getFileSystem());
    }

    private static MergedEntry entry(Path p, boolean follow) throws IOException {
        MergedPath m = check(p);
        return ((MergedFileSystem) m.getFileSystem()).lookup(m, follow);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.DELETE_ON_CLOSE
                    || o == StandardOpenOption.TRUNCATE_EXISTING) {
                throw new ReadOnlyFileSystemException();
            }
        }
        MergedEntry e = entry(path, !options.contains(LinkOption.NOFOLLOW_LINKS));
        if (e instanceof MergedDirectory) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        if (!(e.node() instanceof FileNode f)) {
            throw new FileSystemException(path.toString(), null, "not a regular file (" + e.type() + ")");
        }
        return new MergedByteChannel(f.content());
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        MergedEntry e = entry(dir, true);
        if (!(e instanceof MergedDirectory d)) {
            throw new NotDirectoryException(dir.toString());
        }
        // as the kernel's readdir: names lookup cannot find (unfiltered whiteouts) are listed too
        java.util.TreeSet<dev.strata.squashfs.tree.Name> names = new java.util.TreeSet<>(d.children().keySet());
        names.addAll(d.phantoms());
        List<Path> children = new ArrayList<>();
        for (dev.strata.squashfs.tree.Name n : names) {
            Path p = ((MergedPath) dir).child(n.bytes());
            if (filter.accept(p)) {
                children.add(p);
            }
        }
        return new DirectoryStream<>() {
            private boolean iterated;

            @Override
            public Iterator<Path> iterator() {
                if (iterated) {
                    throw new IllegalStateException("iterator() already called");
                }
                iterated = true;
                return List.copyOf(children).iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createLink(Path link, Path existing) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        MergedEntry e = entry(link, false);
        if (!(e.node() instanceof SymlinkNode s)) {
            throw new NotLinkException(link.toString());
        }
        return MergedPath.fromBytes((MergedFileSystem) link.getFileSystem(), s.target());
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        if (path.equals(path2)) {
            return true;
        }
        if (!(path2 instanceof MergedPath) || path.getFileSystem() != path2.getFileSystem()) {
            return false;
        }
        MergedEntry a = entry(path, true);
        MergedEntry b = entry(path2, true);
        return a == b || a.node() == b.node() && a.layerIndex() == b.layerIndex() && !(a instanceof MergedDirectory);
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) {
        return new MergedFileStore((MergedFileSystem) check(path).getFileSystem());
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        entry(path, true);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(path.toString(), null, "read-only merged view");
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        if (type != BasicFileAttributeView.class && type != PosixFileAttributeView.class) {
            return null;
        }
        boolean follow = follow(options);
        return (V) new PosixFileAttributeView() {
            @Override
            public String name() {
                return type == BasicFileAttributeView.class ? "basic" : "posix";
            }

            @Override
            public PosixFileAttributes readAttributes() throws IOException {
                return attributes(path, follow);
            }

            @Override
            public void setTimes(FileTime m, FileTime a, FileTime c) {
                throw new ReadOnlyFileSystemException();
            }

            @Override
            public void setPermissions(Set<PosixFilePermission> perms) {
                throw new ReadOnlyFileSystemException();
            }

            @Override
            public void setGroup(GroupPrincipal group) {
                throw new ReadOnlyFileSystemException();
            }

            @Override
            public UserPrincipal getOwner() throws IOException {
                return readAttributes().owner();
            }

            @Override
            public void setOwner(UserPrincipal owner) {
                throw new ReadOnlyFileSystemException();
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class && type != PosixFileAttributes.class) {
            throw new UnsupportedOperationException(type.getName());
        }
        return (A) attributes(path, follow(options));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String names = colon < 0 ? attributes : attributes.substring(colon + 1);
        if (!Set.of("basic", "posix", "unix", "owner").contains(view)) {
            throw new UnsupportedOperationException("view '" + view + "' (basic, posix, unix)");
        }
        Map<String, Object> all = attributes(path, follow(options)).view(view);
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("'" + n + "' not recognized in view " + view);
            }
            out.put(n, all.get(n));
        }
        return out;
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw new ReadOnlyFileSystemException();
    }
}
