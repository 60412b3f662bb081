package dev.strata.sources;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A mksquashfs -sort file: one "PATH PRIORITY" per line (priority -32768 to 32767; '#' starts a
 * comment line). As in mksquashfs a path names a host file: relative paths are looked up in each
 * source directory, absolute ones must lie in one. A directory's priority passes to everything below
 * it; a path that names nothing is skipped with a warning.
 */
public final class SortFile {
    /** One line: the path as written, its priority, and where it was. */
    public record Entry(String path, int priority, int line) {
    }

    private final Path file;
    private final List<Entry> entries;

    private SortFile(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public static SortFile read(Path file) throws IOException {
        InputFiles.requireNotDirectory(file, "a sort file");
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = lastWhitespace(line);
            String where = file + ":" + (i + 1);
            if (space < 0) {
                throw new SourceException(file, where + ": '" + line + "' has no priority; write PATH PRIORITY");
            }
            String path = line.substring(0, space).strip();
            String number = line.substring(space + 1);
            int priority;
            try {
                priority = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                priority = Integer.MIN_VALUE;
            }
            if (priority < -32768 || priority > 32767) {
                throw new SourceException(file, where + ": priority '" + number + "' is not a whole number from"
                        + " -32768 to 32767");
            }
            entries.add(new Entry(path, priority, i + 1));
        }
        return new SortFile(file, entries);
    }

    /**
     * The priorities of image paths ("/usr/lib", as the tree's walk names them), for the sources as they
     * landed in the image.
     */
    public Map<String, Integer> priorities(List<SourceTree.Placement> placements, Consumer<String> warnings)
            throws IOException {
        Map<String, Integer> out = new HashMap<>();
        for (Entry e : entries) {
            boolean found = false;
            for (SourceTree.Placement p : placements) {
                Path host = e.path().startsWith("/") ? Path.of(e.path()) : p.realSource().resolve(e.path());
                if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path absolute = host.toAbsolutePath().normalize();
                Path parent = absolute.getParent(); // the last name itself is not followed if it is a link
                Path real = parent == null ? absolute.toRealPath() : parent.toRealPath().resolve(absolute.getFileName());
                if (!real.startsWith(p.realSource())) {
                    continue;
                }
                String relative = p.realSource().relativize(real).toString();
                String image = "/" + (p.imagePath().isEmpty() ? relative
                        : relative.isEmpty() ? p.imagePath() : p.imagePath() + "/" + relative);
                out.put(image, e.priority());
                found = true;
            }
            if (!found) {
                warnings.accept(file + ":" + e.line() + ": '" + e.path() + "' is in no source directory; its"
                        + " priority is ignored");
            }
        }
        return out;
    }

    private static int lastWhitespace(String line) {
        for (int i = line.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
