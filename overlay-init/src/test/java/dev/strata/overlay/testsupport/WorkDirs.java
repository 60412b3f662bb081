package dev.strata.overlay.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The boot tests' work directories under target/: kept after a run for inspection (console logs,
 * images), emptied when the next run starts.
 */
public final class WorkDirs {
    private WorkDirs() {
    }

    /** dir, emptied of an earlier run's files and created. */
    public static Path fresh(Path dir) throws IOException {
        deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /** Deletes dir and everything below it, without following symlinks; a missing dir is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
