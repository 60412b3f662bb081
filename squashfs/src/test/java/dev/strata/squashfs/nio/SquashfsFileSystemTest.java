package dev.strata.squashfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.read.ImageInode;
import dev.strata.squashfs.testing.FsSnapshot;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.testing.TreeGenerator;
import dev.strata.squashfs.tree.DirectoryTreeLoader;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.SurrogateEscape;
import dev.strata.squashfs.tree.SymlinkNode;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system over an image behaves like the JDK's own: Files.walk, streams and channels,
 * attributes of every view, symbolic links, the exceptions the JDK throws for the same mistakes, and
 * read-only everywhere. The image holds {@link TreeGenerator#everyKind}, so every inode kind, odd
 * names and xattrs of every namespace are there to look at.
 */
class SquashfsFileSystemTest {
    private static final int BLOCK = 4096;

    @TempDir
    static Path temp;

    private static FileTree tree;
    private static Path imageFile;
    private static FileSystem fs;

    @BeforeAll
    static void openImage() throws IOException {
        tree = TreeGenerator.everyKind(BLOCK);
        tree.root().put("loop", new SymlinkNode(".")); // a directory symlink cycle for FOLLOW_LINKS walks
        imageFile = temp.resolve("every-kind.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, BLOCK).options()).write(tree, imageFile);
        fs = FileSystems.newFileSystem(imageFile);
    }

    @AfterAll
    static void close() throws IOException {
        fs.close();
    }

    private static Path p(String path) {
        return fs.getPath(path);
    }

    @Test
    void isTheInstalledSquashfsProvider() {
        assertInstanceOf(SquashfsFileSystem.class, fs);
        assertTrue(FileSystemProvider.installedProviders().stream().anyMatch(pr -> pr.getScheme().equals("squashfs")));
        assertTrue(fs.isReadOnly());
        assertTrue(fs.isOpen());
        assertEquals("/", fs.getSeparator());
        assertEquals(List.of(p("/")), toList(fs.getRootDirectories()));
        assertTrue(fs.supportedFileAttributeViews().containsAll(Set.of("basic", "posix", "unix", "owner", "user")));
    }

    @Test
    void declinesFilesThatAreNotImages() throws IOException {
        Path notAnImage = Files.writeString(temp.resolve("text.txt"), "hello, not squashfs");
        assertThrows(ProviderNotFoundException.class, () -> FileSystems.newFileSystem(notAnImage));
    }

    @Test
    void walkVisitsEveryPathInNameOrderLikeTheImage() throws IOException {
        List<String> expected = new ArrayList<>();
        ((SquashfsFileSystem) fs).image().walk((path, inode) -> {
            StringBuilder sb = new StringBuilder();
            for (Name n : path) {
                sb.append('/').append(SurrogateEscape.decode(n.bytes()));
            }
            expected.add(sb.length() == 0 ? "/" : sb.toString());
        });
        List<String> walked;
        try (Stream<Path> s = Files.walk(p("/"))) {
            walked = s.map(Path::toString).collect(Collectors.toList());
        }
        assertEquals(expected, walked);
    }

    @Test
    void theProjectsOwnTreeLoaderReadsTheTreeThroughIt() throws IOException {
        // DirectoryTreeLoader uses the "unix" view, dev/ino hard links and the "user" xattr view
        FileTree loaded = new DirectoryTreeLoader().load(p("/"));
        FsSnapshot expected = FsSnapshot.of(tree).map(SquashfsFileSystemTest::userXattrsOnly);
        FsSnapshot.of(loaded).map(SquashfsFileSystemTest::userXattrsOnly).assertMatches(expected,
                "DirectoryTreeLoader over the squashfs file system");
    }

    private static FsSnapshot.Entry userXattrsOnly(FsSnapshot.Entry e) {
        TreeMap<String, String> x = new TreeMap<>();
        if (e.type() != dev.strata.squashfs.tree.NodeType.SYMLINK) {
            e.xattrs().forEach((k, v) -> {
                if (k.startsWith("user.")) {
                    x.put(k, v);
                }
            });
        }
        return new FsSnapshot.Entry(e.type(), e.permissions(), e.uid(), e.gid(), e.mtime(), e.size(), e.major(),
                e.minor(), e.target(), e.digest(), x, e.nlink(), e.linkGroup());
    }

    @Test
    void contentThroughStreamsAndSeekableChannels() throws IOException {
        FileNode node = (FileNode) tree.find("files/random-" + (3 * BLOCK + 7));
        byte[] expected;
        try (InputStream in = node.content().open()) {
            expected = in.readAllBytes();
        }
        Path file = p("/files/random-" + (3 * BLOCK + 7));
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(expected.length, Files.size(file));
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            assertEquals(expected.length, ch.size());
            ByteBuffer buf = ByteBuffer.allocate(100);
            ch.position(BLOCK - 50); // across a block boundary
            assertEquals(100, ch.read(buf));
            assertArrayEquals(Arrays.copyOfRange(expected, BLOCK - 50, BLOCK + 50), buf.array());
            ByteBuffer direct = ByteBuffer.allocateDirect(10);
            ch.position(expected.length - 5);
            assertEquals(5, ch.read(direct));
            assertEquals(-1, ch.read(direct.clear()));
            ch.position(expected.length + 1000);
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
        }
        assertArrayEquals(new byte[9 * BLOCK + 11].length > 0 ? Files.readAllBytes(p("/files/holes")) : null,
                readTreeFile("files/holes"));
    }

    private static byte[] readTreeFile(String path) throws IOException {
        try (InputStream in = ((FileNode) tree.find(path)).content().open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void symbolicLinksAreFollowedUnlessAskedNotTo() throws IOException {
        Path relative = p("/symlinks/relative");
        assertTrue(Files.isSymbolicLink(relative));
        assertEquals(p("../files/text-100"), Files.readSymbolicLink(relative));
        assertArrayEquals(readTreeFile("files/text-100"), Files.readAllBytes(relative));
        assertTrue(Files.isDirectory(p("/symlinks/to-dir")));
        assertFalse(Files.isDirectory(p("/symlinks/to-dir"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(p("/symlinks/to-dir/file-a")));
        assertFalse(Files.exists(p("/symlinks/dangling")));
        assertTrue(Files.exists(p("/symlinks/dangling"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(p("/files/text-100"), p("/symlinks/relative").toRealPath());
        assertEquals(p("/symlinks/relative"), p("/symlinks/./relative").toRealPath(LinkOption.NOFOLLOW_LINKS));
        assertEquals(p("/links/sub"), p("/symlinks/to-dir/sub/../sub").toRealPath());
        assertArrayEquals(new byte[] {'t', (byte) 0xFF, (byte) 0xFE, 'x'},
                ((SquashfsPath) Files.readSymbolicLink(p("/symlinks/non-utf8-target"))).bytes());
        assertThrows(NotLinkException.class, () -> Files.readSymbolicLink(p("/files")));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Files.newInputStream(p("/symlinks/relative"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("/symlinks/relative", e.getFile());
    }

    @Test
    void walkingWithFollowLinksReportsTheLoop() {
        assertThrows(FileSystemLoopException.class, () -> {
            try (Stream<Path> s = Files.walk(p("/"), FileVisitOption.FOLLOW_LINKS)) {
                s.forEach(x -> { });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void attributesOfEveryView() throws IOException {
        ImageInode inode = ((SquashfsFileSystem) fs).image().lookup("/owners/owned-dir");
        PosixFileAttributes posix = Files.readAttributes(p("/owners/owned-dir"), PosixFileAttributes.class);
        assertTrue(posix.isDirectory());
        assertEquals("1234", posix.owner().getName());
        assertEquals("5678", posix.group().getName());
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), posix.permissions());
        assertEquals(FileTime.from(java.time.Instant.ofEpochSecond(TreeGenerator.BASE_TIME)), posix.lastModifiedTime());
        assertEquals(inode.size(), posix.size());

        Map<String, Object> unix = Files.readAttributes(p("/special/big-numbers"), "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertEquals(0060640, unix.get("mode"));
        long rdev = (Long) unix.get("rdev");
        assertEquals(4095, (rdev & 0xFFF00) >> 8);
        assertEquals(1_048_575, (rdev & 0xFF) | ((rdev >> 12) & 0xFFF00));
        assertInstanceOf(Integer.class, unix.get("uid"));
        assertInstanceOf(Integer.class, unix.get("nlink"));
        assertInstanceOf(Long.class, unix.get("ino"));
        assertTrue(Files.readAttributes(p("/special/big-numbers"), BasicFileAttributes.class).isOther());

        Map<String, Object> basic = Files.readAttributes(p("/files/text-100"), "size,isRegularFile");
        assertEquals(Map.of("size", 100L, "isRegularFile", true), basic);
        assertEquals(3, Files.getAttribute(p("/links/file-a"), "unix:nlink"));
        assertTrue(Files.isSameFile(p("/links/file-a"), p("/links/sub/file-c")));
        assertFalse(Files.isSameFile(p("/links/file-a"), p("/links/empty-a")));
        assertEquals(Files.readAttributes(p("/links/file-a"), BasicFileAttributes.class).fileKey(),
                Files.readAttributes(p("/links/file-b"), BasicFileAttributes.class).fileKey());
        assertThrows(IllegalArgumentException.class, () -> Files.readAttributes(p("/files"), "posix:nonsense"));
        assertThrows(UnsupportedOperationException.class, () -> Files.readAttributes(p("/files"), "dos:*"));
        PosixFileAttributeView view = Files.getFileAttributeView(p("/does-not-exist"), PosixFileAttributeView.class);
        assertNotNull(view); // views are lazy, like the JDK's
        assertThrows(NoSuchFileException.class, view::readAttributes);
    }

    @Test
    void userXattrsThroughTheUserViewAndEveryNamespaceThroughXattr() throws IOException {
        Path allThree = p("/xattrs/all-three");
        UserDefinedFileAttributeView user = Files.getFileAttributeView(allThree, UserDefinedFileAttributeView.class);
        assertEquals(List.of("x"), user.list());
        assertEquals(1, user.size("x"));
        ByteBuffer buf = ByteBuffer.allocate(10);
        assertEquals(1, user.read("x", buf));
        assertEquals('u', buf.get(0));
        assertThrows(FileSystemException.class, () -> user.size("missing"));
        assertThrows(ReadOnlyFileSystemException.class, () -> user.write("y", ByteBuffer.allocate(1)));
        Map<String, Object> all = Files.readAttributes(allThree, "xattr:*");
        assertEquals(Set.of("user.x", "trusted.x", "security.x"), all.keySet());
        assertArrayEquals(new byte[] {'t'}, (byte[]) Files.getAttribute(allThree, "xattr:trusted.x"));
        byte[] big = (byte[]) Files.getAttribute(p("/xattrs/big-value"), "user:big");
        assertArrayEquals(tree.find("xattrs/big-value").xattrs().get("user.big"), big);
        assertEquals(HexFormat.of().formatHex(tree.find("xattrs/shared-value").xattrs().get("user.long")),
                HexFormat.of().formatHex((byte[]) Files.getAttribute(p("/xattrs/shared-value"), "user:long")));
    }

    @Test
    void mistakesEndInTheJdksExceptions() {
        assertThrows(NoSuchFileException.class, () -> Files.readAttributes(p("/nope"), BasicFileAttributes.class));
        assertThrows(NoSuchFileException.class, () -> Files.newInputStream(p("/files/nope")));
        assertThrows(NotDirectoryException.class, () -> Files.newDirectoryStream(p("/files/text-100")));
        assertThrows(NotDirectoryException.class, () -> Files.size(p("/files/text-100/below")));
        FileSystemException dir = assertThrows(FileSystemException.class, () -> Files.newInputStream(p("/files")));
        assertEquals("/files", dir.getFile());
        assertThrows(FileSystemException.class, () -> Files.newByteChannel(p("/special/fifo")));
        assertFalse(Files.exists(p("/nope")));
        assertTrue(Files.notExists(p("/nope")));
        assertTrue(Files.isReadable(p("/files/text-100")));
        assertFalse(Files.isWritable(p("/files/text-100")));
        assertThrows(AccessDeniedException.class, () -> fs.provider().checkAccess(p("/files"), AccessMode.WRITE));
    }

    @Test
    void everyWriteIsRefused() {
        Path file = p("/files/text-100");
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(p("/new")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createFile(p("/new")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.write(file, new byte[1]));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.newOutputStream(p("/new")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(file, StandardOpenOption.WRITE));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(file, StandardOpenOption.APPEND));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(file));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.copy(file, p("/copy")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.move(file, p("/moved")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createSymbolicLink(p("/l"), file));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.createLink(p("/l"), file));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.setLastModifiedTime(file, FileTime.fromMillis(0)));
        assertThrows(ReadOnlyFileSystemException.class,
                () -> Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxrwxrwx")));
        assertThrows(ReadOnlyFileSystemException.class, () -> Files.setAttribute(file, "unix:uid", 5));
    }

    @Test
    void copiesOutToAnotherFileSystem() throws IOException {
        Path out = temp.resolve("copied-out");
        Files.copy(p("/files/text-" + (BLOCK + 1)), out);
        assertArrayEquals(readTreeFile("files/text-" + (BLOCK + 1)), Files.readAllBytes(out));
    }

    @Test
    void directoryStreamsFilterAndIterateOnce() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p("/special"), "[b-d]*")) {
            assertEquals(List.of(p("/special/big-numbers"), p("/special/console")), toList(s));
            assertThrows(IllegalStateException.class, s::iterator);
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p("/empty-dirs/a"))) {
            assertFalse(s.iterator().hasNext());
        }
        try (Stream<Path> list = Files.list(p("/many-entries"))) {
            assertEquals(300, list.count());
        }
    }

    @Test
    void nonUtf8NamesRoundTripThroughStrings() throws IOException {
        List<Path> names;
        try (Stream<Path> s = Files.list(p("/names"))) {
            names = s.collect(Collectors.toList());
        }
        assertEquals(tree.find("names") instanceof dev.strata.squashfs.tree.DirectoryNode d ? d.size() : -1,
                names.size());
        for (Path name : names) {
            Path again = p(name.toString());
            assertEquals(name, again, "string form of " + name + " opens the same name");
            assertTrue(Files.exists(again, LinkOption.NOFOLLOW_LINKS), name.toString());
        }
        Path latin1 = p("/names/latin1-\uDCE9");
        assertTrue(Files.exists(latin1));
        assertArrayEquals("/names/latin1-\u00e9".getBytes(StandardCharsets.ISO_8859_1), ((SquashfsPath) latin1).bytes());
        assertTrue(Files.exists(p("/names/utf8-\u00e9\u4e2d\u6587")));
    }

    @Test
    void uriFileSystemsAreRegisteredAndPathsResolveFromUris() throws IOException {
        URI uri = URI.create("squashfs:" + imageFile.toUri());
        try (FileSystem byUri = FileSystems.newFileSystem(uri, Map.of())) {
            assertSame(byUri, FileSystems.getFileSystem(uri));
            assertThrows(FileSystemAlreadyExistsException.class, () -> FileSystems.newFileSystem(uri, Map.of()));
            Path path = byUri.getPath("/names/with\nnewline");
            URI pathUri = path.toUri();
            assertEquals(path, Path.of(pathUri));
            assertTrue(Files.exists(Path.of(pathUri)));
        }
        assertThrows(FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(uri));
    }

    @Test
    void aClosedFileSystemRefusesEverything() throws IOException {
        FileSystem other = FileSystems.newFileSystem(imageFile);
        Path path = other.getPath("/files/text-100");
        InputStream open = Files.newInputStream(path);
        other.close();
        assertFalse(other.isOpen());
        assertThrows(ClosedFileSystemException.class, () -> Files.readAllBytes(path));
        assertThrows(ClosedFileSystemException.class, () -> Files.exists(path));
        assertThrows(IOException.class, open::read);
        other.close(); // closing twice is fine
    }

    @Test
    void fileStoreDescribesTheImage() throws IOException {
        var store = Files.getFileStore(p("/files"));
        assertTrue(store.isReadOnly());
        assertEquals("squashfs", store.type());
        assertEquals(Files.size(imageFile) >= store.getTotalSpace(), true);
        assertTrue(store.supportsFileAttributeView("posix"));
    }

    private static <T> List<T> toList(Iterable<T> it) {
        List<T> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
