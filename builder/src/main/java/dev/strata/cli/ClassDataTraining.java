package dev.strata.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run the {@code ./strata} launcher lists classes from (-XX:DumpLoadedClassList) for its static
 * class-data-sharing archive: the everyday commands on a small throw-away tree, so that later runs
 * map those classes already parsed and verified instead of loading them from the jar, which is most
 * of a short command's start-up time.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("strata-cds");
        try {
            Path tree = Files.createDirectories(dir.resolve("tree/etc"));
            Files.writeString(tree.resolve("hostname"), "strata\n");
            byte[] data = new byte[300_000]; // not zeros: those would be sparse blocks, never read
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i % 251 ^ i >> 9);
            }
            Files.write(tree.resolve("data"), data);
            Files.createSymbolicLink(dir.resolve("tree/link"), Path.of("etc/hostname"));
            String image = dir.resolve("image.sqfs").toString();
            PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
            String[][] commands = {
                {"squashfs", "create", dir.resolve("tree").toString(), image, "-noappend", "-quiet", "-all-root"},
                {"squashfs", "create", dir.resolve("tree").toString(), image + ".lz4", "-comp", "lz4", "-quiet"},
                {"squashfs", "create", dir.resolve("tree").toString(), image + ".zstd", "-comp", "zstd", "-quiet"},
                {"squashfs", "create", dir.resolve("tree").toString(), image + ".xz", "-comp", "xz", "-quiet"},
                {"squashfs", "extract", image + ".xz", dir.resolve("extracted-xz").toString()},
                {"squashfs", "ls", "-l", image},
                {"squashfs", "info", image},
                {"squashfs", "cat", image, "etc/hostname"},
                {"squashfs", "extract", image, dir.resolve("extracted").toString()},
                {"preview", image},
            };
            for (String[] command : commands) {
                StrataCli.execute(CliContext.system(), sink, sink, command);
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
