package dev.strata.sources.exclude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExcludeRulesTest {
    private static FileSystem unixFs() {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix").build());
    }

    @Test
    void exactRelativeEntriesApplyToEverySource() throws IOException {
        try (FileSystem fs = unixFs()) {
            Path s1 = Files.createDirectories(fs.getPath("/tmp/source1/out"));
            Path s2 = Files.createDirectories(fs.getPath("/work/source2/out"));
            Files.createFile(s1.resolve("ex3"));
            Files.createFile(s2.resolve("ex3"));
            Files.createFile(fs.getPath("/tmp/source1/ex2"));
            Files.createFile(fs.getPath("/tmp/source1/keep"));
            List<Path> sources = List.of(fs.getPath("/tmp/source1"), fs.getPath("/work/source2"));
            ExcludeRules rules = ExcludeRules.of(ExcludeStyle.EXACT, List.of("out/ex3", "/tmp/source1/ex2"), sources);
            Predicate<String> first = rules.forSource(sources.get(0), "source1/");
            Predicate<String> second = rules.forSource(sources.get(1), "source2/");
            assertTrue(first.test("out/ex3"));
            assertTrue(second.test("out/ex3"));
            assertTrue(first.test("ex2"));
            assertFalse(first.test("keep"));
            assertFalse(first.test("out"));
        }
    }

    @Test
    void exactEntriesMatchHardLinksByInode(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path big = Files.writeString(src.resolve("big"), "x");
        Files.createLink(src.resolve("big-link"), big);
        ExcludeRules rules = ExcludeRules.of(ExcludeStyle.EXACT, List.of("big"), List.of(src));
        assertTrue(rules.forSource(src, "").test("big-link"));
        assertFalse(rules.forSource(src, "").test("other"));
    }

    @Test
    void anchoredWildcardsMatchFromTheImageRoot() {
        PatternExcludes p = PatternExcludes.compile(List.of("test/*.gz", "*/[Tt]est/example*"), ExcludeStyle.WILDCARDS);
        assertTrue(p.matches("test/a.gz"));
        assertFalse(p.matches("x/test/a.gz"));
        assertTrue(p.matches("x/Test/example1"));
        assertTrue(p.matches("x/Test/example1/deeper"), "a matched directory excludes what is below it");
        assertFalse(p.matches("Test/example1"));
    }

    @Test
    void nonAnchoredWildcardsMatchAtAnyDepth() {
        PatternExcludes p = PatternExcludes.compile(List.of("... *.gz", "... [Tt]est/*.o"), ExcludeStyle.WILDCARDS);
        assertTrue(p.matches("example.gz"));
        assertTrue(p.matches("test/test/example.gz"));
        assertTrue(p.matches("a/b/Test/x.o"));
        assertFalse(p.matches("a/b/Test"));
        assertFalse(p.matches("a/x.o"));
    }

    @Test
    void regexComponentsMatchAnywhereInTheName() {
        PatternExcludes p = PatternExcludes.compile(List.of("^cache$", "... \\.tmp$"), ExcludeStyle.REGEX);
        assertTrue(p.matches("cache"));
        assertFalse(p.matches("mycache"));
        assertTrue(p.matches("a/b/file.tmp"));
        assertFalse(p.matches("a/b/file.tmpx"));
    }

    @Test
    void patternsRelativeToTheSourceGetItsPrefix() {
        ExcludeRules rules = ExcludeRules.of(ExcludeStyle.WILDCARDS, List.of("src2/*.log"), List.of());
        assertTrue(rules.forSource(Path.of("/x/src2"), "src2/").test("a.log"));
        assertFalse(rules.forSource(Path.of("/x/src1"), "src1/").test("a.log"));
    }

    @Test
    void patternMistakesAreReported() {
        var abs = assertThrows(IllegalArgumentException.class,
                () -> ExcludeRules.of(ExcludeStyle.WILDCARDS, List.of("/etc"), List.of()));
        assertTrue(abs.getMessage().startsWith("exclude '/etc': /, ./ and ../ prefixed excludes are not supported"));
        var regex = assertThrows(IllegalArgumentException.class,
                () -> ExcludeRules.of(ExcludeStyle.REGEX, List.of("a/(b"), List.of()));
        assertTrue(regex.getMessage().startsWith("exclude 'a/(b': invalid regex '(b'"), regex.getMessage());
    }

    @Test
    void excludeFileLinesFollowMksquashfs() {
        assertEquals(List.of("proc"), ExcludeFile.parseLine("   proc"));
        assertEquals(List.of(), ExcludeFile.parseLine("# comment"));
        assertEquals(List.of(), ExcludeFile.parseLine("   "));
        assertEquals(List.of("#not-a-comment"), ExcludeFile.parseLine("\\#not-a-comment"));
        assertEquals(List.of(" leading space"), ExcludeFile.parseLine("\\ leading space"));
    }
}
