package dev.strata.cli.squashfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.cli.CliRun;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mksquashfs's options for leaving parts of the image uncompressed (-noI, -noId, -noD, -noF, -noX,
 * their long names, and 4.6's -no-compression, given to mksquashfs 4.5 as the four it stands for):
 * the same command line gives the same superblock flags and the same listing as mksquashfs, and with
 * nothing compressed the two images are exactly as long.
 */
class UncompressedOptionsParityTest {
    private static final Path ROOT = Path.of("..", "examples", "tiny-root").toAbsolutePath().normalize();

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() {
        Unsquashfs.assumeInstalled();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mksquashfs")) || Files.isExecutable(Path.of("/usr/sbin/mksquashfs")),
                "mksquashfs (Debian package squashfs-tools) is not installed");
        assumeTrue(Files.isDirectory(ROOT), "examples/tiny-root not found");
    }

    static Stream<List<String>> options() {
        return Stream.of(List.of("-noI"), List.of("-noId"), List.of("-noI", "-noId"), List.of("-noD"), List.of("-noF"),
                List.of("-noX"), List.of("-noInodeCompression", "-noDataCompression"),
                List.of("-noIdTableCompression", "-noFragmentCompression", "-noXattrCompression"),
                List.of("-no-compression"), List.of("-no-compression", "-comp", "xz"),
                List.of("-noD", "-noF", "-comp", "zstd", "-tailends"));
    }

    @ParameterizedTest
    @MethodSource("options")
    void sameFlagsAsMksquashfs(List<String> options) throws Exception {
        Path theirs = dir.resolve("mksquashfs.img");
        Path ours = dir.resolve("strata.img");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);
        List<String> common = List.of("-all-time", "7", "-mkfs-time", "7", "-all-root");

        List<String> mksquashfs = new ArrayList<>(List.of("mksquashfs", ROOT.toString(), theirs.toString(),
                "-no-progress", "-quiet"));
        mksquashfs.addAll(common);
        for (String o : options) {
            // mksquashfs 4.5 predates -no-compression; it is these four
            mksquashfs.addAll(o.equals("-no-compression") ? List.of("-noI", "-noD", "-noF", "-noX") : List.of(o));
        }
        run(mksquashfs);

        List<String> strata = new ArrayList<>(List.of("squashfs", "create", ROOT.toString(), ours.toString()));
        strata.addAll(common);
        strata.addAll(options);
        CliRun r = CliRun.run(strata.toArray(String[]::new));
        assertEquals(0, r.status, r.toString());

        ByteBuffer a = superblock(theirs);
        ByteBuffer b = superblock(ours);
        assertEquals(Integer.toHexString(Short.toUnsignedInt(a.getShort(24))),
                Integer.toHexString(Short.toUnsignedInt(b.getShort(24))), "superblock flags for " + options);
        if (options.contains("-no-compression")) {
            assertEquals(a.getLong(40), b.getLong(40), "bytes used with nothing compressed, " + options);
        }
        assertEquals(String.join("\n", Unsquashfs.listing(theirs)).replace(theirs.toString(), "IMG"),
                String.join("\n", Unsquashfs.listing(ours)).replace(ours.toString(), "IMG"), options.toString());
    }

    private static ByteBuffer superblock(Path image) throws IOException {
        byte[] head = new byte[96];
        try (var in = Files.newInputStream(image)) {
            assertEquals(96, in.readNBytes(head, 0, 96), image.toString());
        }
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
    }
}
