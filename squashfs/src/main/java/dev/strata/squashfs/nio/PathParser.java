package dev.strata.squashfs.nio;

import dev.strata.squashfs.tree.SurrogateEscape;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;

/**
 * Unix path syntax over raw name bytes: '/' separates names, repeated and trailing separators are
 * dropped, a leading one makes the path absolute; NUL is not allowed. "." and ".." stay as names
 * until a path is normalized, as on Unix.
 */
final class PathParser {
    private PathParser() {
    }

    /** A parsed path: whether it starts at the root, and its names (none for "/" and ""). */
    record Parsed(boolean absolute, List<byte[]> names) {
    }

    static Parsed parse(String input) {
        int nul = input.indexOf('\0');
        if (nul >= 0) {
            throw new InvalidPathException(input, "Nul character not allowed", nul);
        }
        return parse(SurrogateEscape.encode(input, input));
    }

    static Parsed parse(byte[] path) {
        boolean absolute = path.length > 0 && path[0] == '/';
        List<byte[]> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > start) {
                    byte[] name = new byte[i - start];
                    System.arraycopy(path, start, name, 0, name.length);
                    names.add(name);
                }
                start = i + 1;
            }
        }
        return new Parsed(absolute, names);
    }

    /** first and more joined with '/', skipping empty strings, as the default file system does. */
    static String join(String first, String... more) {
        if (more.length == 0) {
            return first;
        }
        StringBuilder sb = new StringBuilder(first);
        for (String s : more) {
            if (!s.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(s);
            }
        }
        return sb.toString();
    }

    static boolean isDot(byte[] name) {
        return name.length == 1 && name[0] == '.';
    }

    static boolean isDotDot(byte[] name) {
        return name.length == 2 && name[0] == '.' && name[1] == '.';
    }
}
