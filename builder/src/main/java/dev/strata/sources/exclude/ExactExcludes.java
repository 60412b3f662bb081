package dev.strata.sources.exclude;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * mksquashfs's basic exclude matching: an entry starting with '/', './' or '../' names one path;
 * any other entry is taken relative to each source in turn. A file is excluded when it is one of
 * those files (same device and inode, so hard links to it go too) or, for names that do not exist
 * yet, when its path is one of those paths.
 */
final class ExactExcludes implements ExcludeRules {
    private final Set<Object> fileKeys;
    private final Set<Path> paths;

    private ExactExcludes(Set<Object> fileKeys, Set<Path> paths) {
        this.fileKeys = fileKeys;
        this.paths = paths;
    }

    static ExactExcludes resolve(List<String> excludes, List<Path> sources) {
        Set<Object> keys = new HashSet<>();
        Set<Path> paths = new HashSet<>();
        for (String exclude : excludes) {
            if (exclude.startsWith("/") || exclude.startsWith("./") || exclude.startsWith("../")) {
                Path path = sources.isEmpty() ? Path.of(exclude) : sources.get(0).getFileSystem().getPath(exclude);
                add(path, keys, paths);
            } else {
                for (Path source : sources) {
                    add(source.resolve(exclude), keys, paths);
                }
            }
        }
        return new ExactExcludes(keys, paths);
    }

    private static void add(Path path, Set<Object> keys, Set<Path> paths) {
        paths.add(path.toAbsolutePath().normalize());
        Object key = fileKey(path);
        if (key != null) {
            keys.add(key);
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | InvalidPathException | UnsupportedOperationException e) {
            return null; // a name that does not exist (yet) can still be matched by path
        }
    }

    @Override
    public Predicate<String> forSource(Path source, String imagePrefix) {
        return relative -> {
            Path path = relative.isEmpty() ? source : source.resolve(relative);
            if (paths.contains(path.toAbsolutePath().normalize())) {
                return true;
            }
            if (fileKeys.isEmpty()) {
                return false;
            }
            Object key = fileKey(path);
            return key != null && fileKeys.contains(key);
        };
    }
}
