package dev.strata.squashfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.squashfs.compress.CompressorId;
import dev.strata.squashfs.testing.ImageConfig;
import dev.strata.squashfs.tree.FileTree;
import dev.strata.squashfs.write.SquashfsWriter;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Path syntax and path arithmetic agree with the JDK's Unix file system for any path string: parsing,
 * names, parent, root, normalize, resolve, relativize, startsWith, endsWith, subpath, ordering and
 * glob matching give the same results, or the same exception.
 */
class PathsBehaveLikeTheDefaultFileSystemTest {
    private static Path imageDir;
    private static FileSystem fs;
    private static final FileSystem UNIX = FileSystems.getDefault();

    @BeforeContainer
    static void open() throws IOException {
        imageDir = Files.createTempDirectory("strata-paths");
        Path image = imageDir.resolve("empty.sqfs");
        new SquashfsWriter(ImageConfig.of(CompressorId.GZIP, 4096).options()).write(new FileTree(), image);
        fs = FileSystems.newFileSystem(image);
    }

    @AfterContainer
    static void close() throws IOException {
        fs.close();
        Files.deleteIfExists(imageDir.resolve("empty.sqfs"));
        Files.deleteIfExists(imageDir);
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> name = Arbitraries.of("a", "b", "ab", ".", "..", "c.txt", "", ".hidden", "a b", "\u00e9");
        Arbitrary<String> sep = Arbitraries.of("/", "//", "/");
        return Arbitraries.oneOf(
                name.list().ofMaxSize(5).map(names -> String.join("/", names)),
                name.list().ofMaxSize(5).map(names -> "/" + String.join("/", names)),
                Arbitraries.lazy(() -> name.list().ofMinSize(1).ofMaxSize(4).flatMap(
                        names -> sep.map(s -> String.join(s, names) + (names.size() % 2 == 0 ? "/" : "")))));
    }

    @Property(tries = 400)
    void singlePathOperations(@ForAll("paths") String s) {
        Path ours = fs.getPath(s);
        Path jdk = UNIX.getPath(s);
        same("toString", () -> jdk.toString(), () -> ours.toString());
        same("isAbsolute", jdk::isAbsolute, ours::isAbsolute);
        same("getFileName", () -> str(jdk.getFileName()), () -> str(ours.getFileName()));
        same("getParent", () -> str(jdk.getParent()), () -> str(ours.getParent()));
        same("getRoot", () -> str(jdk.getRoot()), () -> str(ours.getRoot()));
        same("getNameCount", jdk::getNameCount, ours::getNameCount);
        same("normalize", () -> jdk.normalize().toString(), () -> ours.normalize().toString());
        same("toAbsolutePath relative to /", () -> jdk.isAbsolute() ? jdk.toString() : "/" + jdk,
                () -> ours.toAbsolutePath().toString());
        for (int i = 0; i <= ours.getNameCount(); i++) {
            int index = i;
            same("getName(" + i + ")", () -> str(jdk.getName(index)), () -> str(ours.getName(index)));
            for (int j = i; j <= ours.getNameCount(); j++) {
                int end = j;
                same("subpath(" + i + "," + j + ")", () -> str(jdk.subpath(index, end)),
                        () -> str(ours.subpath(index, end)));
            }
        }
        List<String> jdkNames = new ArrayList<>();
        jdk.forEach(n -> jdkNames.add(n.toString()));
        List<String> ourNames = new ArrayList<>();
        ours.forEach(n -> ourNames.add(n.toString()));
        assertEquals(jdkNames, ourNames, "iterator of '" + s + "'");
    }

    @Property(tries = 600)
    void twoPathOperations(@ForAll("paths") String a, @ForAll("paths") String b) {
        Path oa = fs.getPath(a);
        Path ob = fs.getPath(b);
        Path ja = UNIX.getPath(a);
        Path jb = UNIX.getPath(b);
        String pair = "'" + a + "', '" + b + "'";
        same("resolve " + pair, () -> ja.resolve(jb).toString(), () -> oa.resolve(ob).toString());
        same("resolveSibling " + pair, () -> ja.resolveSibling(jb).toString(), () -> oa.resolveSibling(ob).toString());
        same("relativize " + pair, () -> ja.relativize(jb).toString(), () -> oa.relativize(ob).toString());
        same("startsWith " + pair, () -> ja.startsWith(jb), () -> oa.startsWith(ob));
        same("endsWith " + pair, () -> ja.endsWith(jb), () -> oa.endsWith(ob));
        same("equals " + pair, () -> ja.equals(jb), () -> oa.equals(ob));
        same("compareTo " + pair, () -> Integer.signum(ja.compareTo(jb)), () -> Integer.signum(oa.compareTo(ob)));
    }

    @Property(tries = 300)
    void globsMatchTheSamePaths(@ForAll("paths") String path,
                                @ForAll("globs") String glob) {
        PathMatcher ours = fs.getPathMatcher("glob:" + glob);
        PathMatcher jdk = UNIX.getPathMatcher("glob:" + glob);
        assertEquals(jdk.matches(UNIX.getPath(path)), ours.matches(fs.getPath(path)),
                "glob '" + glob + "' on '" + path + "'");
    }

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.of("*", "**", "a*", "/**", "**/b", "*.txt", "{a,b}", "/a/*", "[a-b]*", "[!a]*", "?",
                "a/**/b", "\\*", "*/*", ".*", "{ab,c.txt}");
    }

    private static String str(Path p) {
        return p == null ? "null" : p.toString();
    }

    /** The same result, or an exception of the same class. */
    private static void same(String what, Callable<?> jdk, Callable<?> ours) {
        Object expected;
        Object actual;
        try {
            expected = jdk.call();
        } catch (Exception e) {
            expected = e.getClass();
        }
        try {
            actual = ours.call();
        } catch (Exception e) {
            actual = e.getClass();
        }
        assertEquals(expected, actual, what);
    }
}
