package dev.strata.spec;

import dev.strata.sources.exclude.GlobPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A path pattern in the image: absolute, '/'-separated, each component an fnmatch pattern
 * ({@code *}, {@code ?}, {@code [..]}; a leading '.' must be matched literally, as in the shell),
 * and {@code **} for any number of directories (zero included). {@code /usr/share/doc/**} is
 * everything below /usr/share/doc; {@code /usr/share/doc} is the directory itself.
 */
public final class PathGlob {
    private static final Object ANY_DEPTH = new Object();

    private final String text;
    private final SpecLocation location;
    private final List<Object> components;
    private final boolean literal;

    private PathGlob(String text, SpecLocation location, List<Object> components, boolean literal) {
        this.text = text;
        this.location = location;
        this.components = components;
        this.literal = literal;
    }

    /** @throws IllegalArgumentException when the pattern is not an absolute image path */
    public static PathGlob compile(String text, SpecLocation location) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path pattern '" + text + "' must start with '/' (paths are in the image)");
        }
        List<Object> components = new ArrayList<>();
        boolean literal = true;
        for (String part : text.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IllegalArgumentException("path pattern '" + text + "' must not contain '..'");
            }
            if (part.equals("**")) {
                components.add(ANY_DEPTH);
                literal = false;
            } else {
                boolean wild = part.chars().anyMatch(c -> "*?[\\".indexOf(c) >= 0)
                        || part.matches(".*[?*+@!]\\(.*");
                literal &= !wild;
                components.add(wild ? GlobPattern.compile(part) : part);
            }
        }
        return new PathGlob(text, location, List.copyOf(components), literal);
    }

    public String text() {
        return text;
    }

    public SpecLocation location() {
        return location;
    }

    /** True when the pattern has no wildcard: it names one path. */
    public boolean isLiteral() {
        return literal;
    }

    /** The path a literal pattern names, normalised ("/a/b"; "/" for the root). */
    public String literalPath() {
        StringBuilder sb = new StringBuilder();
        for (Object c : components) {
            sb.append('/').append(c);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** Whether the path with these names (root = empty list) matches. */
    public boolean matches(List<String> names) {
        return match(0, names, 0);
    }

    /** Whether the '/'-separated absolute path matches. */
    public boolean matches(String path) {
        List<String> names = new ArrayList<>();
        for (String n : path.split("/")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return matches(names);
    }

    private boolean match(int ci, List<String> names, int ni) {
        if (ci == components.size()) {
            return ni == names.size();
        }
        Object c = components.get(ci);
        if (c == ANY_DEPTH) {
            for (int k = ni; k <= names.size(); k++) {
                if (match(ci + 1, names, k)) {
                    return true;
                }
            }
            return false;
        }
        if (ni == names.size()) {
            return false;
        }
        String name = names.get(ni);
        boolean ok = c instanceof GlobPattern g ? g.matches(name) : c.equals(name);
        return ok && match(ci + 1, names, ni + 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
