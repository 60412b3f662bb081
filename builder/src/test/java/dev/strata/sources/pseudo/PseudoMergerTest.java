package dev.strata.sources.pseudo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sources.Accounts;
import dev.strata.sources.SourceTree;
import dev.strata.sources.SourceTreeBuilder;
import dev.strata.sources.exclude.ExcludeRules;
import dev.strata.squashfs.tree.DeviceNode;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileContent;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.IpcNode;
import dev.strata.squashfs.tree.Node;
import dev.strata.squashfs.tree.NodeType;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudoMergerTest {
    private static final long NOW = 1_700_000_000L;

    private final PseudoParser parser = new PseudoParser(Accounts.of(Map.of(), Map.of()));
    private final List<String> warnings = new ArrayList<>();
    private final DynamicFiles commands = new DynamicFiles(Path.of("").toAbsolutePath());

    @AfterEach
    void cleanUp() throws IOException {
        commands.close();
    }

    private static SourceTree sourcesWith(FileTree tree) {
        return new SourceTree(tree, true, List.of(), f -> {
            throw new IOException("no host files in this test");
        });
    }

    private static FileTree rootWithEtc() {
        FileTree tree = new FileTree();
        tree.put("etc/passwd", new FileNode(FileContent.of("root:x:0:0::/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8))));
        tree.find("etc").setMtime(5);
        return tree;
    }

    private void merge(SourceTree sources, String pseudoFile) throws IOException {
        new PseudoMerger(NOW, commands, warnings::add).merge(sources,
                parser.parse(pseudoFile.getBytes(StandardCharsets.UTF_8), "pseudo.txt"));
    }

    @Test
    void addsEveryKindOfEntry() throws IOException {
        FileTree tree = rootWithEtc();
        merge(sourcesWith(tree), String.join("\n",
                "/dev/console c 600 0 0 5 1",
                "/dev d 755 0 0",
                "/dev/sda B 12 660 0 6 8 0",
                "/dev/log i 666 0 0 s",
                "/run/fifo i 600 0 0 f",
                "/run d 755 0 0",
                "/bin d 755 0 0",
                "/bin/sh s 0 0 0 busybox",
                "/etc/version f 444 0 0 printf 'v1\\n'"));
        DeviceNode console = assertInstanceOf(DeviceNode.class, tree.find("dev/console"));
        assertEquals(NodeType.CHAR_DEVICE, console.type());
        assertEquals(5, console.major());
        assertEquals(0600, console.permissions());
        assertEquals(NOW, console.mtime());
        assertEquals(12, tree.find("dev/sda").mtime());
        assertEquals(NodeType.SOCKET, assertInstanceOf(IpcNode.class, tree.find("dev/log")).type());
        assertEquals(NodeType.FIFO, tree.find("run/fifo").type());
        SymlinkNode sh = assertInstanceOf(SymlinkNode.class, tree.find("bin/sh"));
        assertEquals("busybox", sh.targetString());
        assertEquals(0777, sh.permissions());
        FileNode version = assertInstanceOf(FileNode.class, tree.find("etc/version"));
        assertEquals("v1\n", read(version));
        assertEquals(0444, version.permissions());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void existingSourceEntriesWinWithAWarning() throws IOException {
        FileTree tree = rootWithEtc();
        Node passwd = tree.find("etc/passwd");
        merge(sourcesWith(tree), "/etc/passwd c 600 0 0 1 1\n/etc d 700 1 1\n");
        assertSame(passwd, tree.find("etc/passwd"));
        assertEquals(0755, tree.find("etc").permissions());
        assertEquals(2, warnings.size());
        assertEquals("pseudo.txt:1: /etc/passwd exists in the sources; ignoring its pseudo definition (exclude it"
                + " with -e to replace it)", warnings.get(1));
    }

    @Test
    void modifyChangesModeAndOwnerKeepingTypeAndTime() throws IOException {
        FileTree tree = rootWithEtc();
        merge(sourcesWith(tree), "etc m 700 10 20\netc/passwd M 99 600 1 2\nmissing m 600 0 0\n");
        Node etc = tree.find("etc");
        assertInstanceOf(DirectoryNode.class, etc);
        assertEquals(0700, etc.permissions());
        assertEquals(10, etc.uid());
        assertEquals(20, etc.gid());
        assertEquals(5, etc.mtime());
        assertEquals(99, tree.find("etc/passwd").mtime());
        assertEquals(List.of("pseudo.txt:3: /missing does not exist in the sources; ignoring its m definition"), warnings);
    }

    @Test
    void missingParentDirectoryIsAnError() {
        var e = assertThrows(PseudoDefinitionException.class,
                () -> merge(sourcesWith(rootWithEtc()), "/dev/console c 600 0 0 5 1\n"));
        assertEquals("pseudo.txt:1: cannot create /dev/console: /dev exists neither in the sources nor as a pseudo"
                + " directory (define it first, e.g. '/dev d 755 0 0')", e.getMessage());
        var notDir = assertThrows(PseudoDefinitionException.class,
                () -> merge(sourcesWith(rootWithEtc()), "/etc/passwd/x d 755 0 0\n"));
        assertTrue(notDir.getMessage().endsWith("/etc/passwd is not a directory"), notDir.getMessage());
    }

    @Test
    void firstDefinitionOfAPathWins() throws IOException {
        FileTree tree = rootWithEtc();
        merge(sourcesWith(tree), "/null c 666 0 0 1 3\n/null c 600 0 0 1 5\n");
        assertEquals(3, ((DeviceNode) tree.find("null")).minor());
        assertEquals(List.of("pseudo.txt:2: /null was already defined at pseudo.txt:1; ignoring this definition"),
                warnings);
    }

    @Test
    void pseudoLinkSharesTheNodeOfAnEarlierDefinition() throws IOException {
        FileTree tree = rootWithEtc();
        merge(sourcesWith(tree), "char-dev c 0555 0 0 1 2\nlink L char-dev\n");
        assertSame(tree.find("char-dev"), tree.find("link"));
        var undefined = assertThrows(PseudoDefinitionException.class,
                () -> merge(sourcesWith(rootWithEtc()), "link L nothing\n"));
        assertTrue(undefined.getMessage().contains("not defined by an earlier pseudo definition"));
        var toDir = assertThrows(PseudoDefinitionException.class,
                () -> merge(sourcesWith(rootWithEtc()), "d d 755 0 0\nlink L d\n"));
        assertTrue(toDir.getMessage().contains("cannot be hard-linked"));
    }

    @Test
    void xattrsApplyAfterEverythingIsPlaced() throws IOException {
        FileTree tree = rootWithEtc();
        merge(sourcesWith(tree), "/dev/null x user.kind=device\n/dev/null c 666 0 0 1 3\n/dev d 755 0 0\n"
                + "/nowhere x user.a=b\n");
        assertArrayEquals("device".getBytes(StandardCharsets.UTF_8), tree.find("dev/null").xattrs().get("user.kind"));
        assertEquals(List.of("pseudo.txt:4: /nowhere does not exist; ignoring its xattr user.a"), warnings);
    }

    @Test
    void rootDefinitionAppliesOnlyWithoutSources() throws IOException {
        FileTree fromSources = rootWithEtc();
        merge(sourcesWith(fromSources), "/ d 700 5 5\n");
        assertEquals(0755, fromSources.root().permissions());
        FileTree none = new FileTree();
        merge(new SourceTree(none, false, List.of(), f -> null), "/ D 42 700 5 6\n");
        assertEquals(0700, none.root().permissions());
        assertEquals(5, none.root().uid());
        assertEquals(6, none.root().gid());
        assertEquals(42, none.root().mtime());
    }

    @Test
    void failingCommandIsAnErrorNamingIt() {
        var e = assertThrows(PseudoDefinitionException.class,
                () -> merge(sourcesWith(rootWithEtc()), "\n\nx f 644 0 0 exit 3\n"));
        assertEquals("pseudo.txt:3: command 'exit 3' failed with exit status 3", e.getMessage());
    }

    @Test
    void hostLinkToAFileInASourceIsAHardLink(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/latest"));
        Files.writeString(src.resolve("README"), "read me\n");
        Path outside = Files.writeString(dir.resolve("NOTES"), "notes\n");
        SourceTree sources = new SourceTreeBuilder(ExcludeRules.none(), false, false,
                new SourceTreeBuilder.RootDirectory(0755, 0, 0, 0)).build(List.of(dir.resolve("src")));
        merge(sources, "README l " + src.resolve("README") + "\nNOTES l " + outside + "\n");
        FileTree tree = sources.tree();
        assertSame(tree.find("latest/README"), tree.find("README"));
        assertEquals("notes\n", read((FileNode) tree.find("NOTES")));
        var missing = assertThrows(PseudoDefinitionException.class,
                () -> merge(sources, "X l " + dir.resolve("absent") + "\n"));
        assertTrue(missing.getMessage().startsWith("pseudo.txt:1: cannot link to "), missing.getMessage());
        var directory = assertThrows(PseudoDefinitionException.class, () -> merge(sources, "Y l " + dir + "\n"));
        assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
    }

    @Test
    void allPseudoDevicesCanMakeAWholeTreeWithoutSources() throws IOException {
        FileTree tree = new FileTree();
        merge(new SourceTree(tree, false, List.of(), f -> null), "/ d 755 0 0\n/dev d 755 0 0\n/dev/null c 666 0 0 1 3\n");
        assertNull(tree.find("etc"));
        assertEquals(3, ((DeviceNode) tree.find("dev/null")).minor());
    }

    private static String read(FileNode f) throws IOException {
        try (InputStream in = f.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
