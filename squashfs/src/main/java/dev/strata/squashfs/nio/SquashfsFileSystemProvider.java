package dev.strata.squashfs.nio;

import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
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
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The "squashfs" file system provider: read-only file systems over SquashFS images.
 *
 * <p>{@code FileSystems.newFileSystem(imagePath)} opens an image (a file whose first bytes are not a
 * SquashFS superblock is declined with UnsupportedOperationException, so other providers get their
 * turn); {@code FileSystems.newFileSystem(URI.create("squashfs:" + imagePath.toUri()), env)} opens
 * one that {@code getFileSystem} and {@code Path.of(URI)} then find. Paths have URIs of the form
 * {@code squashfs:file:///images/root.sqfs!/etc/passwd}. The environment may hold "offset" (a Number
 * or decimal String): where the image starts inside the file, for a partition of a disk image.
 */
public final class SquashfsFileSystemProvider extends FileSystemProvider {
    public static final String SCHEME = "squashfs";
    /** Environment key: the image's byte offset in the file. */
    public static final String OFFSET = "offset";

    private final Map<URI, SquashfsFileSystem> byUri = new HashMap<>();

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        URI image = imageUri(uri);
        Path file = Path.of(image);
        synchronized (byUri) {
            if (byUri.containsKey(image)) {
                throw new FileSystemAlreadyExistsException(image.toString());
            }
            SquashfsFileSystem fs = open(file, env, image);
            byUri.put(image, fs);
            return fs;
        }
    }

    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        long offset = offset(env);
        if (!Files.isRegularFile(path) || !hasMagic(path, offset)) {
            throw new UnsupportedOperationException(path + " is not a SquashFS image");
        }
        return open(path, env, null);
    }

    private SquashfsFileSystem open(Path file, Map<String, ?> env, Object key) throws IOException {
        SquashfsImage image = SquashfsImage.open(file, offset(env));
        return new SquashfsFileSystem(this, image, file, key);
    }

    private static boolean hasMagic(Path path, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && ch.read(magic, offset + magic.position()) > 0) {
                // read all four bytes
            }
            return !magic.hasRemaining() && magic.getInt(0) == Superblock.MAGIC;
        }
    }

    private static long offset(Map<String, ?> env) {
        Object v = env == null ? null : env.get(OFFSET);
        if (v == null) {
            return 0;
        }
        long offset = v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        if (offset < 0) {
            throw new IllegalArgumentException("negative image offset " + offset);
        }
        return offset;
    }

    void closed(SquashfsFileSystem fs) {
        synchronized (byUri) {
            if (fs.key() != null) {
                byUri.remove(fs.key(), fs);
            }
        }
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        URI image = imageUri(uri);
        synchronized (byUri) {
            SquashfsFileSystem fs = byUri.get(image);
            if (fs == null) {
                throw new FileSystemNotFoundException(image.toString());
            }
            return fs;
        }
    }

    @Override
    public Path getPath(URI uri) {
        SquashfsFileSystem fs = (SquashfsFileSystem) getFileSystem(uri);
        String spec = uri.getRawSchemeSpecificPart();
        int sep = spec.indexOf("!/");
        return fs.getPath(sep < 0 ? new byte[] {'/'} : percentDecode(spec.substring(sep + 1)));
    }

    /** The image file's URI inside a squashfs: URI ("squashfs:file:///x.sqfs!/a" gives "file:///x.sqfs"). */
    private URI imageUri(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not '" + SCHEME + "': " + uri);
        }
        String spec = uri.getRawSchemeSpecificPart();
        int sep = spec.indexOf("!/");
        if (sep >= 0) {
            spec = spec.substring(0, sep);
        }
        try {
            return new URI(spec).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a file URI inside " + uri + ": " + e.getMessage(), e);
        }
    }

    URI uriOf(SquashfsFileSystem fs, SquashfsPath absolute) {
        return URI.create(SCHEME + ":" + fs.imageFile().toUri() + "!" + percentEncode(absolute.bytes()));
    }

    private static String percentEncode(byte[] path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path) {
            int u = b & 0xFF;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "/-._~".indexOf(u) >= 0) {
                sb.append((char) u);
            } else {
                sb.append(String.format("%%%02X", u));
            }
        }
        return sb.toString();
    }

    private static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------
    // reading

    static SquashfsPath check(Path path) {
        if (!(path instanceof SquashfsPath p)) {
            throw new ProviderMismatchException(path == null ? "null path"
                    : "'" + path + "' is not a path of a SquashFS file system");
        }
        return p;
    }

    static boolean followLinks(LinkOption... options) {
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                return false;
            }
        }
        return true;
    }

    private static boolean followLinks(Set<? extends OpenOption> options) {
        return !options.contains(LinkOption.NOFOLLOW_LINKS);
    }

    private static void checkReadOnly(Set<? extends OpenOption> options) {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND
                    || o == StandardOpenOption.DELETE_ON_CLOSE) {
                throw new ReadOnlyFileSystemException();
            }
        }
    }

    /** The regular file at path, opened the way open(2) would follow links. */
    private ImageInode regularFile(SquashfsPath p, boolean follow) throws IOException {
        ImageInode inode = p.getFileSystem().inode(p, follow);
        if (inode.isDirectory()) {
            throw new FileSystemException(p.toString(), null, "Is a directory");
        }
        if (inode.isSymlink()) {
            throw new FileSystemException(p.toString(), null, "Too many levels of symbolic links or unable to"
                    + " access attributes of symbolic link");
        }
        if (!inode.isFile()) {
            throw new FileSystemException(p.toString(), null, "Not a regular file (a " + inode.type()
                    + "): an image holds no data for it");
        }
        return inode;
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attrs) throws IOException {
        SquashfsPath p = check(path);
        p.getFileSystem().ensureOpen();
        checkReadOnly(options);
        return p.getFileSystem().image().newByteChannel(regularFile(p, followLinks(options)));
    }

    @Override
    public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        SquashfsPath p = check(path);
        p.getFileSystem().ensureOpen();
        boolean follow = true;
        for (OpenOption o : options) {
            if (o == StandardOpenOption.APPEND || o == StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("'" + o + "' not allowed");
            }
            if (o == LinkOption.NOFOLLOW_LINKS) {
                follow = false;
            }
        }
        return p.getFileSystem().image().openFile(regularFile(p, follow));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        SquashfsPath p = check(dir);
        SquashfsFileSystem fs = p.getFileSystem();
        ImageInode inode = fs.inode(p, true);
        if (!inode.isDirectory()) {
            throw new NotDirectoryException(p.toString());
        }
        return new SquashfsDirectoryStream(fs, p, fs.image().list(inode), filter);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        SquashfsPath p = check(link);
        SquashfsFileSystem fs = p.getFileSystem();
        ImageInode inode = fs.inode(p, false);
        if (!inode.isSymlink()) {
            throw new NotLinkException(p.toString());
        }
        return fs.getPath(fs.image().readlink(inode));
    }

    @Override
    public boolean isSameFile(Path a, Path b) throws IOException {
        SquashfsPath p = check(a);
        if (p.equals(b)) {
            return true;
        }
        if (!(b instanceof SquashfsPath q) || q.getFileSystem() != p.getFileSystem()) {
            return false;
        }
        return p.getFileSystem().inode(p, true).number() == q.getFileSystem().inode(q, true).number();
    }

    @Override
    public boolean isHidden(Path path) {
        Path name = check(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        SquashfsPath p = check(path);
        p.getFileSystem().inode(p, true);
        return p.getFileSystem().store();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        SquashfsPath p = check(path);
        ImageInode inode = p.getFileSystem().inode(p, true);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(p.toString(), null, "Read-only file system");
            }
            if (m == AccessMode.EXECUTE && !inode.isDirectory() && (inode.permissions() & 0111) == 0) {
                throw new AccessDeniedException(p.toString(), null, "no execute permission bit set");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // attributes

    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        SquashfsPath p = check(path);
        boolean follow = followLinks(options);
        if (type == BasicFileAttributeView.class) {
            return (V) new PosixView(p, follow, "basic");
        }
        if (type == PosixFileAttributeView.class) {
            return (V) new PosixView(p, follow, "posix");
        }
        if (type == FileOwnerAttributeView.class) {
            return (V) new PosixView(p, follow, "owner");
        }
        if (type == UserDefinedFileAttributeView.class) {
            return (V) new XattrView(p, follow);
        }
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        SquashfsPath p = check(path);
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            return (A) p.getFileSystem().attributes(p, followLinks(options));
        }
        throw new UnsupportedOperationException("attributes of type " + type.getName());
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        return AttributeNames.read(check(path), attributes, followLinks(options));
    }

    // ---------------------------------------------------------------------------------------------
    // everything that would change the image

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        check(dir).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
        check(link).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void createLink(Path link, Path existing) {
        check(link).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void delete(Path path) {
        check(path).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        check(source).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) {
        check(source).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        check(path).getFileSystem().ensureOpen();
        throw new ReadOnlyFileSystemException();
    }
}
