package dev.strata.squashfs.nio;

import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.read.SquashfsImage;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.SurrogateEscape;
import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A read-only file system over one SquashFS image. Paths are Unix paths of raw name bytes (see
 * {@link SurrogateEscape} for how they map to strings); the working directory is the root. Closing the file
 * system closes the image.
 */
public final class SquashfsFileSystem extends FileSystem {
    static final Set<String> VIEWS = Set.of("basic", "posix", "unix", "owner", "user", "xattr");
    private static final AtomicLong DEVICES = new AtomicLong(0x5173);

    private final SquashfsFileSystemProvider provider;
    private final SquashfsImage image;
    private final Path imageFile;
    private final Object key;
    private final long device = DEVICES.incrementAndGet();
    private final SquashfsPath root;
    private final SquashfsFileStore store;
    private volatile boolean open = true;

    SquashfsFileSystem(SquashfsFileSystemProvider provider, SquashfsImage image, Path imageFile, Object key) {
        this.provider = provider;
        this.image = image;
        this.imageFile = imageFile;
        this.key = key;
        this.root = new SquashfsPath(this, true, List.of());
        this.store = new SquashfsFileStore(this);
    }

    /** The image this file system reads, for what the NIO API has no words for. */
    public SquashfsImage image() {
        return image;
    }

    /** The image file this file system was opened from. */
    public Path imageFile() {
        return imageFile;
    }

    Object key() {
        return key;
    }

    long device() {
        return device;
    }

    SquashfsPath root() {
        return root;
    }

    SquashfsFileStore store() {
        return store;
    }

    @Override
    public SquashfsFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            provider.closed(this);
            image.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    void ensureOpen() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        ensureOpen();
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        ensureOpen();
        return List.of(store);
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return VIEWS;
    }

    @Override
    public Path getPath(String first, String... more) {
        return SquashfsPath.of(this, PathParser.parse(PathParser.join(first, more)));
    }

    /** A path from raw bytes, as stored in the image (for symlink targets). */
    Path getPath(byte[] path) {
        return SquashfsPath.of(this, PathParser.parse(path));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("expected syntax:pattern, got '" + syntaxAndPattern + "'");
        }
        String syntax = syntaxAndPattern.substring(0, colon);
        String pattern = syntaxAndPattern.substring(colon + 1);
        Pattern regex;
        if (syntax.equalsIgnoreCase("glob")) {
            regex = Pattern.compile(Globs.toRegex(pattern));
        } else if (syntax.equalsIgnoreCase("regex")) {
            regex = Pattern.compile(pattern);
        } else {
            throw new UnsupportedOperationException("syntax '" + syntax + "' (glob and regex are supported)");
        }
        return path -> regex.matcher(path.toString()).matches();
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("an image stores numeric owners only");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("a SquashFS image never changes: nothing to watch");
    }

    /** The inode at path (relative paths start at the root), following a final symlink when asked. */
    ImageInode inode(SquashfsPath path, boolean followLinks) throws IOException {
        ensureOpen();
        return image.lookup(path.names(), followLinks, path.toString());
    }

    SquashfsFileAttributes attributes(SquashfsPath path, boolean followLinks) throws IOException {
        return new SquashfsFileAttributes(inode(path, followLinks), device);
    }

    Path realPath(SquashfsPath path, boolean followLinks) throws IOException {
        ensureOpen();
        List<byte[]> names = new ArrayList<>();
        for (Name n : image.canonicalPath(path.names(), followLinks, path.toString())) {
            names.add(n.bytes());
        }
        return new SquashfsPath(this, true, names);
    }

    @Override
    public String toString() {
        return "squashfs:" + imageFile;
    }
}
