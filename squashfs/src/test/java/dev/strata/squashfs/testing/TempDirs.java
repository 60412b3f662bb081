package dev.strata.squashfs.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Temporary directories for tests that cannot use JUnit's @TempDir (jqwik properties). */
public final class TempDirs {
    private TempDirs() {
    }

    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    public static Path create(Path parent, String prefix) throws IOException {
        return Files.createTempDirectory(parent, prefix);
    }

    /**
     * Deletes dir and everything below it without following symlinks, whatever the modes of the
     * directories in it; a missing dir is fine. A mount
     * still active below dir (a test whose finally never ran) is unmounted first, so cleanup neither
     * fails on a read-only image nor leaves a mount or loop device behind.
     */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        unmountBelow(dir);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                // a tree extracted with an image's modes can hold directories its owner cannot write
                d.toFile().setReadable(true, true);
                d.toFile().setWritable(true, true);
                d.toFile().setExecutable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void unmountBelow(Path dir) throws IOException {
        Path mounts = Path.of("/proc/self/mounts");
        if (!Files.isReadable(mounts)) {
            return;
        }
        String prefix = dir.toAbsolutePath() + "/";
        List<String> below = new ArrayList<>();
        for (String line : Files.readAllLines(mounts, StandardCharsets.ISO_8859_1)) {
            String[] fields = line.split(" ");
            // the kernel writes spaces in mount points as \040; our mount points have none
            if (fields.length > 1 && fields[1].startsWith(prefix)) {
                below.add(fields[1]);
            }
        }
        below.sort(Comparator.reverseOrder()); // deepest first
        for (String mountPoint : below) {
            if (ExternalCommand.run(List.of("umount", mountPoint)).exitCode() != 0) {
                ExternalCommand.run(List.of("umount", "-l", mountPoint));
            }
        }
    }
}
