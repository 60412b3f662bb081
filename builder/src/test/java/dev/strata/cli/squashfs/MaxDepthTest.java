package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * -max-depth LEVELS: the root's entries are at depth 1, and a directory at depth LEVELS stays, empty.
 * The expectations are mksquashfs 4.7.5's listings of the same trees (built from its sources, not in
 * CI; 4.6.1 takes the option but ignores it, Debian 12's 4.5.1 does not have it).
 */
class MaxDepthTest {
    @TempDir
    Path dir;

    /** src/top, src/a/f, src/a/b/g, src/a/b/c/h. */
    private Path source() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("a/b/c"));
        Files.writeString(src.resolve("top"), "1\n");
        Files.writeString(src.resolve("a/f"), "2\n");
        Files.writeString(src.resolve("a/b/g"), "3\n");
        Files.writeString(src.resolve("a/b/c/h"), "4\n");
        return src;
    }

    /** The image's paths, "/" for the root. */
    private List<String> paths(List<String> sources, String... options) throws Exception {
        Unsquashfs.assumeInstalled();
        Path image = dir.resolve("image.sqfs");
        Files.deleteIfExists(image);
        List<String> args = new ArrayList<>(List.of("squashfs", "create"));
        args.addAll(sources);
        args.addAll(List.of(image.toString(), "-quiet"));
        args.addAll(List.of(options));
        CliRun r = CliRun.run(Map.of(), args.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());
        return Unsquashfs.modesOwnersPaths(image).stream().map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    }

    @Test
    void aSingleSourceDirectoryIsTheRootAtDepthZero() throws Exception {
        String src = source().toString();
        assertEquals(List.of("/"), paths(List.of(src), "-max-depth", "0"));
        assertEquals(List.of("/", "/a", "/top"), paths(List.of(src), "-max-depth", "1"));
        assertEquals(List.of("/", "/a", "/a/b", "/a/f", "/top"), paths(List.of(src), "-max-depth", "2"));
        assertEquals(List.of("/", "/a", "/a/b", "/a/b/c", "/a/b/g", "/a/f", "/top"),
                paths(List.of(src), "-max-depth", "3"));
        assertEquals(paths(List.of(src)), paths(List.of(src), "-max-depth", "4"), "deep enough: everything");
    }

    @Test
    void severalSourcesAreTheRootsEntriesAtDepthOne() throws Exception {
        Path src = source();
        List<String> two = List.of(src.toString(), src.resolve("a").toString());
        assertEquals(List.of("/"), paths(two, "-max-depth", "0"));
        assertEquals(List.of("/", "/a", "/src"), paths(two, "-max-depth", "1"));
        assertEquals(List.of("/", "/a", "/a/b", "/a/f", "/src", "/src/a", "/src/top"), paths(two, "-max-depth", "2"));
        assertEquals(List.of("/", "/src"), paths(List.of(src.toString()), "-keep-as-directory", "-max-depth", "1"));
    }

    @Test
    void aNegativeDepthAndATarInputAreRefused() throws Exception {
        CliRun negative = CliRun.run("squashfs", "create", source().toString(), dir.resolve("x").toString(),
                "-max-depth", "-1");
        assertEquals(2, negative.status, negative.toString());
        assertEquals("strata: error: -max-depth -1: must be 0 or more", negative.err.lines().findFirst().orElse(""));
        CliRun tar = CliRun.runWithInput(Map.of(), new byte[1024], "squashfs", "create", "-", dir.resolve("y").toString(),
                "-tar", "-max-depth", "1");
        assertEquals(2, tar.status, tar.toString());
        assertEquals("strata: error: -max-depth does not apply to a tar archive (-tar), as in mksquashfs",
                tar.err.lines().findFirst().orElse(""));
    }
}
