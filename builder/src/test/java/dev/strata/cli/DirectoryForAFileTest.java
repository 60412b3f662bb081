package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A directory where a command wants a file: Linux opens a directory for reading and only the first read
 * fails, with "Is a directory" and no path. Every command names the directory on its one error line
 * (preview, whose arguments are images then a path, takes it as a usage error).
 */
class DirectoryForAFileTest {
    @TempDir
    Path temp;

    static Stream<String> commandLines() {
        return Stream.of("squashfs ls DIR", "squashfs ls --offset 0 DIR", "squashfs cat DIR /etc/passwd",
                "squashfs info DIR", "squashfs extract DIR OUT", "squashfs create SRC OUT -pf DIR",
                "squashfs create SRC OUT -ef DIR", "preview DIR", "reset DIR", "build DIR", "profiles DIR");
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void namesTheDirectoryOnOneLine(String commandLine) throws IOException {
        Path dir = Files.createDirectory(temp.resolve("a-directory"));
        Path src = Files.createDirectory(temp.resolve("src"));
        String[] args = Arrays.stream(commandLine.split(" "))
                .map(a -> a.replace("DIR", dir.toString()).replace("SRC", src.toString())
                        .replace("OUT", temp.resolve("out").toString()))
                .toArray(String[]::new);
        CliRun r = CliRun.run(args);
        assertTrue(r.status == 1 || r.status == ErrorReporter.USAGE, r.toString());
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(r.err.startsWith("strata: error: ") && r.err.contains(dir.toString()), r.err);
        assertTrue(r.err.contains("directory"), r.err);
    }
}
