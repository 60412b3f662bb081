package dev.strata.sources;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on files a command line names as inputs (-pf, -ef, -sort). */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Refuses a directory by name: Linux opens one for reading, and only the first read fails, with "Is a
     * directory" and no path.
     *
     * @param kind what the file should have been ("a pseudo file")
     */
    public static void requireNotDirectory(Path file, String kind) throws FileSystemException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "a directory, not " + kind);
        }
    }
}
