package dev.strata.squashfs.read;

import dev.strata.squashfs.compress.Compressor;
import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.format.CorruptImageException;
import dev.strata.squashfs.format.DirectoryInode;
import dev.strata.squashfs.format.FileInode;
import dev.strata.squashfs.format.FormatLimits;
import dev.strata.squashfs.format.Inode;
import dev.strata.squashfs.format.Superblock;
import dev.strata.squashfs.format.SymlinkInode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * A SquashFS 4.0 image opened for reading, with random access through a FileChannel: opening reads
 * the superblock and the lookup tables' index arrays; everything else is read when asked for, through
 * small bounded caches of decompressed blocks. Every length and position read from the image is
 * checked before it is used; a broken image ends in a {@link CorruptImageException} naming the byte
 * offset (relative to the image start) and the structure. Thread-safe.
 */
public final class SquashfsImage implements Closeable {
    /** Symbolic links followed while resolving one path, as Linux allows (MAXSYMLINKS). */
    public static final int MAX_SYMLINKS = 40;
    /** Deepest directory nesting accepted by walks (a path of PATH_MAX bytes cannot be deeper). */
    public static final int MAX_DEPTH = 2048;

    private final ImageTables tables;
    private final FileChannel channel;
    private final boolean ownsChannel;
    private final long offset;
    private final String origin;
    private final DirectoryReader directories;
    private final XattrReader xattrs;
    private volatile long[] ids;
    private volatile boolean closed;

    private SquashfsImage(ImageTables tables, FileChannel channel, boolean ownsChannel, long offset, String origin) {
        this.tables = tables;
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.offset = offset;
        this.origin = origin;
        this.directories = new DirectoryReader(tables.directories, tables.inodes.length(),
                tables.superblock.inodeCount());
        this.xattrs = new XattrReader(tables.xattrIds, tables.xattrValues);
    }

    public static SquashfsImage open(Path image) throws IOException {
        return open(image, 0, ReaderOptions.defaults());
    }

    /** Opens the image that starts offset bytes into the file (a partition inside a disk image). */
    public static SquashfsImage open(Path image, long offset) throws IOException {
        return open(image, offset, ReaderOptions.defaults());
    }

    public static SquashfsImage open(Path image, long offset, ReaderOptions options) throws IOException {
        requireNotDirectory(image);
        FileChannel channel = FileChannel.open(image, StandardOpenOption.READ);
        try {
            return new SquashfsImage(ImageTables.open(channel, offset, options), channel, true, offset,
                    image.toString());
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** Linux opens a directory for reading, and only the first read fails ("Is a directory", no path). */
    public static void requireNotDirectory(Path image) throws FileSystemException {
        if (Files.isDirectory(image)) {
            throw new FileSystemException(image.toString(), null, "a directory, not an image file");
        }
    }

    /** Reads the image at offset of a channel the caller keeps open and closes. */
    public static SquashfsImage open(FileChannel channel, long offset) throws IOException {
        return open(channel, offset, ReaderOptions.defaults());
    }

    public static SquashfsImage open(FileChannel channel, long offset, ReaderOptions options) throws IOException {
        return new SquashfsImage(ImageTables.open(channel, offset, options), channel, false, offset, "image");
    }

    public Superblock superblock() {
        return tables.superblock;
    }

    /** Where the image starts in its file. */
    public long offset() {
        return offset;
    }

    public int blockSize() {
        return tables.superblock.blockSize();
    }

    public long inodeCount() {
        return tables.superblock.inodeCount();
    }

    public CompressorId compressorId() {
        return tables.compressorId;
    }

    /** The decompressor, set up from the options block. */
    public Compressor compressor() {
        return tables.compressor;
    }

    /** The compressor options block payload, when the image has one. */
    public Optional<byte[]> compressorOptions() {
        return Optional.ofNullable(tables.compressorOptions).map(byte[]::clone);
    }

    public ImageLayout layout() {
        return tables.layout;
    }

    public boolean hasExportTable() {
        return tables.export != null;
    }

    /** The number of distinct xattr sets (0 when the image has no xattr table). */
    public long xattrSetCount() {
        return xattrs.count();
    }

    public ImageInode root() throws IOException {
        ensureOpen();
        ImageInode root = readInode(tables.superblock.rootInodeRef());
        if (!root.isDirectory()) {
            throw new CorruptImageException(32, "the root inode is a " + root.type() + ", not a directory");
        }
        return root;
    }

    /** The inode with a given number, through the export table ({@link #hasExportTable()}). */
    public ImageInode inodeByNumber(long number) throws IOException {
        ensureOpen();
        if (tables.export == null) {
            throw new IllegalStateException("the image has no export table (made with -no-exports)");
        }
        if (number < 1 || number > inodeCount()) {
            throw new IllegalArgumentException("inode number " + number + " outside 1.." + inodeCount());
        }
        MetadataInput in = tables.export.entry(number - 1);
        long at = in.imageOffset();
        long ref = in.u64();
        ImageInode inode = readInode(ref);
        if (inode.number() != number) {
            throw new CorruptImageException(at, "export table entry for inode " + number + " points at inode "
                    + inode.number());
        }
        return inode;
    }

    /** A directory's entries in stored order (ascending by name bytes). */
    public List<ImageEntry> list(ImageInode directory) throws IOException {
        ensureOpen();
        if (!(directory.inode() instanceof DirectoryInode dir)) {
            throw new IllegalArgumentException("inode " + directory.number() + " is a " + directory.type()
                    + ", not a directory");
        }
        return directories.list(dir, directory.reference(), inodeOffset(directory.reference()));
    }

    /** The entry called name in a directory, if there is one. */
    public Optional<ImageEntry> entry(ImageInode directory, Name name) throws IOException {
        return Optional.ofNullable(find(directory, name.bytes()));
    }

    private ImageEntry find(ImageInode directory, byte[] name) throws IOException {
        ensureOpen();
        if (!(directory.inode() instanceof DirectoryInode dir)) {
            throw new IllegalArgumentException("inode " + directory.number() + " is a " + directory.type()
                    + ", not a directory");
        }
        return directories.find(dir, directory.reference(), inodeOffset(directory.reference()), name);
    }

    /**
     * The inode an entry of directory names, checked against the entry: same number and kind, and for
     * a directory, a parent field naming this directory.
     */
    public ImageInode inode(ImageInode directory, ImageEntry entry) throws IOException {
        ensureOpen();
        ImageInode child = readInode(entry.inodeReference());
        long at = inodeOffset(entry.inodeReference());
        if (child.number() != entry.inodeNumber() || child.type() != entry.type()) {
            throw new CorruptImageException(at, "directory inode " + directory.number() + " lists '" + entry.name()
                    + "' as " + entry.type() + " inode " + entry.inodeNumber() + ", but the inode there is "
                    + child.type() + " inode " + child.number());
        }
        if (child.inode() instanceof DirectoryInode d) {
            if (child.number() == directory.number() || d.parentInode() != directory.number()) {
                throw new CorruptImageException(at, "directory loop: directory inode " + directory.number() + " lists '"
                        + entry.name() + "', directory inode " + child.number() + " whose parent is inode "
                        + d.parentInode());
            }
        }
        return child;
    }

    /**
     * The inode at a '/'-separated path from the root, without following a symbolic link in the last
     * component (like lstat); links before it are followed, with ".." taken physically.
     *
     * @throws NoSuchFileException   when a component does not exist
     * @throws NotDirectoryException when a component before the last is not a directory
     */
    public ImageInode lookup(String path) throws IOException {
        return lookup(path, false);
    }

    /** As {@link #lookup(String)}, following a symbolic link in the last component when followLast. */
    public ImageInode lookup(String path, boolean followLast) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                names.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (path.endsWith("/") && !names.isEmpty()) {
            // "name/" must be a directory (or a link to one), as in POSIX path resolution
            names.add(new byte[] {'.'});
        }
        return lookup(names, followLast, path);
    }

    /**
     * As {@link #lookup(String, boolean)} for a path already split into names of raw bytes (which may
     * include "." and ".."); display names the path in exceptions.
     */
    public ImageInode lookup(List<byte[]> names, boolean followLast, String display) throws IOException {
        return resolve(names, followLast, display).peek().inode;
    }

    /**
     * The path a lookup ends at, with every symbolic link and "." or ".." resolved: the names from the
     * root (empty for the root itself).
     */
    public List<Name> canonicalPath(List<byte[]> names, boolean followLast, String display) throws IOException {
        List<Name> path = new ArrayList<>();
        for (java.util.Iterator<Step> it = resolve(names, followLast, display).descendingIterator(); it.hasNext(); ) {
            Step step = it.next();
            if (step.name != null) {
                path.add(step.name);
            }
        }
        return path;
    }

    /** One name of a path being resolved and the inode it led to. */
    private record Step(Name name, ImageInode inode) {
    }

    private Deque<Step> resolve(List<byte[]> names, boolean followLast, String display) throws IOException {
        ensureOpen();
        Deque<Step> stack = new ArrayDeque<>();
        stack.push(new Step(null, root()));
        Deque<byte[]> pending = new ArrayDeque<>(names);
        int links = 0;
        while (!pending.isEmpty()) {
            byte[] name = pending.pollFirst();
            ImageInode current = stack.peek().inode;
            if (!current.isDirectory()) {
                throw new NotDirectoryException(display);
            }
            if (name.length == 0 || (name.length == 1 && name[0] == '.')) {
                continue;
            }
            if (name.length == 2 && name[0] == '.' && name[1] == '.') {
                if (stack.size() > 1) {
                    stack.pop();
                }
                continue;
            }
            ImageEntry entry = find(current, name);
            if (entry == null) {
                throw new NoSuchFileException(display);
            }
            ImageInode child = inode(current, entry);
            if (child.isSymlink() && (followLast || !pending.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw new FileSystemException(display, null, "Too many levels of symbolic links");
                }
                byte[] target = readlink(child);
                List<byte[]> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.addFirst(parts.get(i));
                }
                if (target[0] == '/') {
                    while (stack.size() > 1) {
                        stack.pop();
                    }
                }
                continue;
            }
            if (child.isDirectory()) {
                for (Step ancestor : stack) {
                    if (ancestor.inode.number() == child.number()) {
                        throw new CorruptImageException(inodeOffset(child.reference()), "directory loop: inode "
                                + child.number() + " is listed inside itself (at " + display + ")");
                    }
                }
            }
            stack.push(new Step(entry.name(), child));
        }
        return stack;
    }

    private static List<byte[]> split(byte[] path) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > start) {
                    byte[] part = new byte[i - start];
                    System.arraycopy(path, start, part, 0, part.length);
                    parts.add(part);
                }
                start = i + 1;
            }
        }
        return parts;
    }

    /** A regular file's bytes as a stream. */
    public InputStream openFile(ImageInode file) throws IOException {
        return new FileDataInputStream(fileData(file));
    }

    /** A regular file's bytes as a read-only seekable channel. */
    public SeekableByteChannel newByteChannel(ImageInode file) throws IOException {
        return new FileDataChannel(fileData(file));
    }

    FileData fileData(ImageInode file) throws IOException {
        ensureOpen();
        if (!(file.inode() instanceof FileInode f)) {
            throw new IllegalArgumentException("inode " + file.number() + " is a " + file.type() + ", not a file");
        }
        return FileData.open(tables.blocks, f, tables.fragments, inodeOffset(file.reference()));
    }

    /** A symbolic link's target bytes. */
    public byte[] readlink(ImageInode link) {
        if (!(link.inode() instanceof SymlinkInode s)) {
            throw new IllegalArgumentException("inode " + link.number() + " is a " + link.type() + ", not a symlink");
        }
        return s.target().clone();
    }

    /** Extended attributes by full name ("user.x", "trusted.x", "security.x"); empty when none. */
    public SortedMap<String, byte[]> xattrs(ImageInode inode) throws IOException {
        ensureOpen();
        if (!inode.hasXattrs()) {
            return Collections.emptySortedMap();
        }
        return xattrs.read(Integer.toUnsignedLong(inode.inode().xattrIndex()), inode.number());
    }

    /** Receives every inode of a walk. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * @param path  names from the root; empty for the root itself
         * @param inode the inode there
         */
        void visit(List<Name> path, ImageInode inode) throws IOException;
    }

    /**
     * Visits every entry depth-first in stored (name) order, each directory before its contents. A
     * directory reached a second time (a loop, or a listing shared between directories) or nesting
     * deeper than {@link #MAX_DEPTH} is reported as corruption.
     */
    public void walk(Visitor visitor) throws IOException {
        walk(root(), List.of(), visitor);
    }

    /**
     * As {@link #walk(Visitor)}, for the subtree at path (found as {@link #lookup(String)} does, the
     * last component not followed); the visitor gets paths from the root of the image.
     */
    public void walk(String path, Visitor visitor) throws IOException {
        List<byte[]> names = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                names.add(part.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Name> canonical = canonicalPath(names, false, path);
        walk(lookup(names, false, path), canonical, visitor);
    }

    private void walk(ImageInode top, List<Name> topPath, Visitor visitor) throws IOException {
        visitor.visit(Collections.unmodifiableList(topPath), top);
        if (!top.isDirectory()) {
            return;
        }
        Set<Long> directoriesSeen = new HashSet<>();
        directoriesSeen.add(top.number());
        Deque<WalkFrame> stack = new ArrayDeque<>();
        stack.push(new WalkFrame(top, list(top), topPath));
        while (!stack.isEmpty()) {
            WalkFrame frame = stack.peek();
            if (frame.next == frame.entries.size()) {
                stack.pop();
                continue;
            }
            ImageEntry entry = frame.entries.get(frame.next++);
            ImageInode child = inode(frame.dir, entry);
            List<Name> path = new ArrayList<>(frame.path.size() + 1);
            path.addAll(frame.path);
            path.add(entry.name());
            if (child.isDirectory()) {
                if (!directoriesSeen.add(child.number())) {
                    throw new CorruptImageException(inodeOffset(child.reference()), "directory inode " + child.number()
                            + " is reached a second time, at " + display(path) + " (directory listings loop)");
                }
                if (path.size() > MAX_DEPTH) {
                    throw new CorruptImageException(inodeOffset(child.reference()), "directories nest deeper than "
                            + MAX_DEPTH + " levels at " + display(path));
                }
                visitor.visit(Collections.unmodifiableList(path), child);
                stack.push(new WalkFrame(child, list(child), path));
            } else {
                visitor.visit(Collections.unmodifiableList(path), child);
            }
        }
    }

    private static final class WalkFrame {
        final ImageInode dir;
        final List<ImageEntry> entries;
        final List<Name> path;
        int next;

        WalkFrame(ImageInode dir, List<ImageEntry> entries, List<Name> path) {
            this.dir = dir;
            this.entries = entries;
            this.path = path;
        }
    }

    /** "/a/b" for names a, b; "/" for the root. */
    public static String display(List<Name> path) {
        if (path.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Name n : path) {
            sb.append('/').append(n);
        }
        return sb.toString();
    }

    /**
     * The whole image as the writer's tree model, so it can be re-packed. File contents are read from
     * this image lazily, when the tree's files are opened: keep the image open while the tree is used.
     * Hard links become one node under several names.
     */
    public FileTree toTree() throws IOException {
        return new ImageTreeLoader(this, origin).load();
    }

    /** Reads, checks and resolves the owner of the inode at a reference. */
    ImageInode readInode(long reference) throws IOException {
        MetadataInput in = tables.inodes.open(reference);
        long at = in.imageOffset();
        Inode inode = Inode.read(in, blockSize(), tables.options.maxFileBlocks());
        long number = inode.header().inodeNumber();
        if (number < 1 || number > inodeCount()) {
            throw new CorruptImageException(at, "inode at reference 0x" + Long.toHexString(reference) + " has number "
                    + number + ", outside 1.." + inodeCount());
        }
        if (inode instanceof SymlinkInode s) {
            for (byte b : s.target()) {
                if (b == 0) {
                    throw new CorruptImageException(at, "symlink inode " + number + " has a target containing NUL");
                }
            }
        }
        if (inode instanceof DirectoryInode d && d.fileSize() < FormatLimits.DIRECTORY_SIZE_BIAS) {
            throw new CorruptImageException(at, "directory inode " + number + " has size " + d.fileSize()
                    + " (at least " + FormatLimits.DIRECTORY_SIZE_BIAS + ")");
        }
        if (inode.xattrIndex() != FormatLimits.NONE) {
            xattrs.checkIndex(Integer.toUnsignedLong(inode.xattrIndex()), number, at);
        }
        return new ImageInode(reference, inode, id(inode.header().uidIndex(), number, at),
                id(inode.header().gidIndex(), number, at));
    }

    private long id(int index, long inodeNumber, long at) throws IOException {
        long[] all = ids;
        if (all == null) {
            all = readIds();
            ids = all;
        }
        if (index >= all.length) {
            throw new CorruptImageException(at, "inode " + inodeNumber + " has owner index " + index
                    + " but the id table has " + all.length + " ids");
        }
        return all[index];
    }

    private long[] readIds() throws IOException {
        long[] all = new long[(int) tables.ids.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = tables.ids.entry(i).u32();
        }
        return all;
    }

    /** The image offset of the metadata block an inode starts in. */
    long inodeOffset(long reference) {
        return tables.inodes.start() + FormatLimits.referenceBlock(reference);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    public boolean isOpen() {
        return !closed;
    }

    /** Closes the file when this image opened it; a channel passed in stays open. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (ownsChannel) {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "SquashfsImage[" + origin + (offset == 0 ? "" : " at offset " + offset) + ", "
                + compressorId().mksquashfsName() + ", " + blockSize() + "-byte blocks, " + inodeCount() + " inodes]";
    }
}
