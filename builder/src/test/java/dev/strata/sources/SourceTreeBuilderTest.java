package dev.strata.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.strata.sources.exclude.ExcludeRules;
import dev.strata.sources.exclude.ExcludeStyle;
import dev.strata.squashfs.tree.DirectoryNode;
import dev.strata.squashfs.tree.FileNode;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.tree.Name;
import dev.strata.squashfs.tree.SymlinkNode;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceTreeBuilderTest {
    private static final SourceTreeBuilder.RootDirectory ROOT = new SourceTreeBuilder.RootDirectory(0777, 1000, 100, 77);

    private FileSystem fs;
    private Path test;
    private Path goodies;

    @BeforeEach
    void makeSources() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix").build());
        // the directories of the USAGE examples of mksquashfs
        test = Files.createDirectories(fs.getPath("/home/phillip/test"));
        Files.writeString(test.resolve("file1"), "1");
        Files.writeString(test.resolve("file2"), "2");
        Files.createDirectories(test.resolve("dir1"));
        Files.setPosixFilePermissions(test, PosixFilePermissions.fromString("rwxr-x---"));
        goodies = Files.createDirectories(fs.getPath("/work/goodies"));
        for (String g : List.of("goodies1", "goodies2", "goodies3")) {
            Files.writeString(goodies.resolve(g), g);
        }
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private static SourceTree build(List<Path> sources) throws IOException {
        return new SourceTreeBuilder(ExcludeRules.none(), true, false, ROOT).build(sources);
    }

    private static List<String> rootNames(FileTree tree) {
        return tree.root().children().keySet().stream().map(Name::toString).toList();
    }

    @Test
    void singleDirectoryContentsBecomeTheRoot() throws IOException {
        SourceTree s = build(List.of(test));
        assertEquals(List.of("dir1", "file1", "file2"), rootNames(s.tree()));
        assertEquals(0750, s.tree().root().permissions(), "the root takes the directory's own metadata");
        assertTrue(s.fromSources());
    }

    @Test
    void severalSourcesBecomeEntriesNamedByTheirLastComponent() throws IOException {
        FileTree tree = build(List.of(test, goodies)).tree();
        assertEquals(List.of("goodies", "test"), rootNames(tree));
        assertNotNull(tree.find("goodies/goodies2"));
        assertEquals(0777, tree.root().permissions());
        assertEquals(1000, tree.root().uid());
        assertEquals(77, tree.root().mtime());
    }

    @Test
    void clashingNamesGetNumberedSuffixes() throws IOException {
        Path other = Files.createDirectories(fs.getPath("/elsewhere/test"));
        Files.writeString(other.resolve("only-here"), "x");
        FileTree tree = build(List.of(test, goodies, other)).tree();
        assertEquals(List.of("goodies", "test", "test_1"), rootNames(tree));
        assertNotNull(tree.find("test_1/only-here"));
    }

    @Test
    void fileSourceBecomesAnEntry() throws IOException {
        FileTree tree = build(List.of(test.resolve("file1"))).tree();
        assertEquals(List.of("file1"), rootNames(tree));
        assertInstanceOf(FileNode.class, tree.find("file1"));
    }

    @Test
    void symlinkSourceAmongSeveralStaysASymlink() throws IOException {
        Path link = Files.createSymbolicLink(fs.getPath("/work/link"), test);
        FileTree tree = build(List.of(link, goodies)).tree();
        assertInstanceOf(SymlinkNode.class, tree.find("link"));
    }

    @Test
    void keepAsDirectoryMakesTheSingleSourceAnEntry() throws IOException {
        FileTree tree = new SourceTreeBuilder(ExcludeRules.none(), true, true, ROOT).build(List.of(test)).tree();
        assertEquals(List.of("test"), rootNames(tree));
        assertInstanceOf(DirectoryNode.class, tree.find("test/dir1"));
    }

    @Test
    void noSourcesGiveAnEmptyRoot() throws IOException {
        SourceTree s = build(List.of());
        assertTrue(s.tree().root().children().isEmpty());
        assertFalse(s.fromSources());
    }

    @Test
    void missingSourceIsNamed() {
        Path missing = fs.getPath("/nope");
        SourceException e = assertThrows(SourceException.class, () -> build(List.of(test, missing)));
        assertEquals("source /nope does not exist; check the path", e.getMessage());
        assertSame(missing, e.path());
    }

    @Test
    void nameLongerThan256BytesIsRefusedWithItsPath() throws IOException {
        Path longNames = Files.createDirectories(fs.getPath("/long"));
        Path tooLong = Files.writeString(longNames.resolve("x".repeat(257)), "");
        IOException e = assertThrows(IOException.class, () -> build(List.of(longNames)));
        assertTrue(e.getMessage().startsWith(tooLong + ": file name longer than 256 bytes (257)"), e.getMessage());
    }

    @Test
    void excludesApplyInsideEachSourceAndToSourcesThemselves() throws IOException {
        List<Path> sources = List.of(test, goodies);
        ExcludeRules rules = ExcludeRules.of(ExcludeStyle.WILDCARDS, List.of("goodies/goodies[12]", "... dir1"), sources);
        FileTree tree = new SourceTreeBuilder(rules, true, false, ROOT).build(sources).tree();
        assertNull(tree.find("goodies/goodies1"));
        assertNull(tree.find("goodies/goodies2"));
        assertNotNull(tree.find("goodies/goodies3"));
        assertNull(tree.find("test/dir1"));
        ExcludeRules whole = ExcludeRules.of(ExcludeStyle.WILDCARDS, List.of("goodies"), sources);
        assertEquals(List.of("test"), rootNames(new SourceTreeBuilder(whole, true, false, ROOT).build(sources).tree()));
    }
}
