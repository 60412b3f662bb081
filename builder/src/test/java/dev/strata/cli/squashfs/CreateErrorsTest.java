package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: one "strata: error:" line naming what to fix, a non-zero status, no image left behind. */
class CreateErrorsTest {
    @TempDir
    Path dir;
    Path src;
    Path out;

    @BeforeEach
    void makeSource() throws IOException {
        src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("file"), "data");
        out = dir.resolve("out").resolve("image.sqfs");
    }

    private CliRun create(String... extra) {
        return CliRun.run(Stream.concat(Stream.of("squashfs", "create"), Stream.of(extra)).toArray(String[]::new));
    }

    private void assertOneLineError(CliRun r, int status, String message) throws IOException {
        assertEquals(status, r.status, r.toString());
        String first = r.err.lines().findFirst().orElse("");
        assertEquals("strata: error: " + message, first, r.toString());
        long lines = r.err.lines().count();
        assertTrue(lines == 1 || (status == 2 && lines == 2), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
        assertNoImage();
    }

    private void assertNoImage() throws IOException {
        assertFalse(Files.exists(out), out + " was written");
        if (Files.isDirectory(out.getParent())) {
            try (Stream<Path> files = Files.list(out.getParent())) {
                assertEquals(java.util.List.of(), files.toList(), "nothing written beside the output");
            }
        }
    }

    @Test
    void missingSource() throws IOException {
        Path missing = dir.resolve("no-such-dir");
        assertOneLineError(create(missing.toString(), out.toString()), 1,
                "source " + missing + " does not exist; check the path");
    }

    @Test
    void existingOutputWithoutNoappend() throws IOException {
        Path existing = Files.writeString(dir.resolve("old.img"), "previous image");
        CliRun r = create(src.toString(), existing.toString());
        assertEquals(1, r.status);
        assertEquals("strata: error: output " + existing + " already exists and Strata never appends to an image;"
                + " pass -noappend to replace it\n", r.err);
        assertEquals("previous image", Files.readString(existing), "the old file is untouched");
    }

    @Test
    void outputInsideASource() throws IOException {
        Path inside = src.resolve("sub/image.sqfs");
        CliRun r = create(src.toString(), inside.toString());
        assertEquals(1, r.status);
        assertEquals("strata: error: output " + inside + " is inside source " + src + "; write the image outside the"
                + " sources (or exclude it: -e " + inside + ")\n", r.err);
        assertFalse(Files.exists(src.resolve("sub")), "no directory made for it either");
    }

    @Test
    void outputThatIsADirectory() throws IOException {
        Files.createDirectories(out);
        CliRun r = create(src.toString(), out.toString());
        assertEquals(1, r.status);
        assertEquals("strata: error: output " + out + " is a directory; give the image file's name\n", r.err);
    }

    @Test
    void outputBelowAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path below = file.resolve("image.sqfs");
        CliRun r = create(src.toString(), below.toString());
        assertEquals(1, r.status);
        assertEquals("strata: error: output " + below + " cannot be created: " + file + " is not a directory\n", r.err);
    }

    @Test
    void badBlockSize() throws IOException {
        assertOneLineError(create(src.toString(), out.toString(), "-b", "100K"), 2,
                "-b 100K: block size must be a power of two from 4K to 1M (4K, 8K, 16K, 32K, 64K, 128K, 256K, 512K or 1M)");
    }

    @Test
    void unreadableFile() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root can read any file");
        Path secret = Files.writeString(src.resolve("secret"), "x");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        assertOneLineError(create(src.toString(), out.toString()), 1,
                secret.toRealPath() + ": file is not readable (permission denied)");
    }

    @Test
    void nameLongerThan256Bytes() throws IOException {
        String longName = "n".repeat(257);
        assertOneLineError(create(src.toString(), out.toString(), "-p", "/" + longName + " d 755 0 0"), 1,
                "-p '/" + longName + " d 755 0 0': bad file name /" + longName + ": file name longer than 256 bytes"
                        + " (257): '" + longName + "'");
    }

    @Test
    void pseudoFileErrorsCarryTheLineNumber() throws IOException {
        Path pf = Files.writeString(dir.resolve("pseudo.txt"), "/dev d 755 0 0\n# devices\n/dev/x q 1 2 3\n");
        assertOneLineError(create(src.toString(), out.toString(), "-pf", pf.toString()), 1,
                pf + ":3: unknown type 'q' (types: d m b c f s i l L x (with a time: D M B C F S I R))");
        Path missing = dir.resolve("missing.pseudo");
        assertOneLineError(create(src.toString(), out.toString(), "-pf", missing.toString()), 1,
                missing + ": no such file or directory");
    }

    @Test
    void pseudoCommandFailure() throws IOException {
        assertOneLineError(create(src.toString(), out.toString(), "-p", "version f 444 0 0 false"), 1,
                "-p 'version f 444 0 0 false': command 'false' failed with exit status 1");
    }

    @Test
    void sourceDateEpochWithAllTime() throws IOException {
        CliRun r = CliRun.run(Map.of("SOURCE_DATE_EPOCH", "5"), "squashfs", "create", src.toString(), out.toString(),
                "-all-time", "7");
        assertOneLineError(r, 1, "SOURCE_DATE_EPOCH and -mkfs-time/-all-time cannot be used together (mksquashfs"
                + " refuses this too): unset SOURCE_DATE_EPOCH or drop the option");
    }

    @Test
    void unknownCompressorOption() throws IOException {
        CliRun r = create(src.toString(), out.toString(), "-comp", "gzip", "-Xno-such-thing", "1");
        assertEquals(1, r.status, r.toString());
        assertTrue(r.err.startsWith("strata: error: "), r.err);
        assertTrue(r.err.contains("-Xno-such-thing"), r.err);
        assertEquals(1, r.err.lines().count(), r.err);
        assertNoImage();
    }
}
