package dev.strata.sources.exclude;

import dev.strata.sources.InputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An -ef file: one exclude per line; leading white space is skipped, lines starting with '#' are
 * comments, and a leading backslash lets a name start with white space or '#'.
 */
public final class ExcludeFile {
    private ExcludeFile() {
    }

    public static List<String> read(Path file) throws IOException {
        InputFiles.requireNotDirectory(file, "an exclude file");
        List<String> excludes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            excludes.addAll(parseLine(line));
        }
        return excludes;
    }

    static List<String> parseLine(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i < line.length() && line.charAt(i) == '#') {
            return List.of();
        }
        if (i < line.length() && line.charAt(i) == '\\') {
            i++;
        }
        String entry = line.substring(i);
        return entry.isEmpty() ? List.of() : List.of(entry);
    }
}
