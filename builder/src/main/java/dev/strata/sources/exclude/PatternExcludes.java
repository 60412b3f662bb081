package dev.strata.sources.exclude;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * mksquashfs's extended exclude matching (-wildcards or -regex). An entry is split at '/' and matched
 * component by component from the root of the image ("anchored"); an entry starting with "... " matches
 * at any depth. Matching the leading components of a path excludes the whole subtree below it.
 */
final class PatternExcludes implements ExcludeRules {
    private final List<List<Predicate<String>>> anchored;
    private final List<List<Predicate<String>>> anywhere;

    private PatternExcludes(List<List<Predicate<String>>> anchored, List<List<Predicate<String>>> anywhere) {
        this.anchored = anchored;
        this.anywhere = anywhere;
    }

    static PatternExcludes compile(List<String> excludes, ExcludeStyle style) {
        List<List<Predicate<String>>> anchored = new ArrayList<>();
        List<List<Predicate<String>>> anywhere = new ArrayList<>();
        for (String exclude : excludes) {
            if (exclude.startsWith("/") || exclude.startsWith("./") || exclude.startsWith("../")) {
                throw new IllegalArgumentException("exclude '" + exclude + "': /, ./ and ../ prefixed excludes are"
                        + " not supported with -wildcards or -regex (patterns are relative to the image root)");
            }
            boolean sticky = exclude.startsWith("... ");
            String path = sticky ? exclude.substring(4) : exclude;
            List<Predicate<String>> components = new ArrayList<>();
            for (String component : path.split("/")) {
                if (!component.isEmpty()) {
                    components.add(compileComponent(component, exclude, style));
                }
            }
            if (components.isEmpty()) {
                throw new IllegalArgumentException("exclude '" + exclude + "' names no file");
            }
            (sticky ? anywhere : anchored).add(components);
        }
        return new PatternExcludes(anchored, anywhere);
    }

    private static Predicate<String> compileComponent(String component, String exclude, ExcludeStyle style) {
        if (style == ExcludeStyle.WILDCARDS) {
            return GlobPattern.compile(component)::matches;
        }
        try {
            // regexec without anchors: the expression may match anywhere in the name
            Pattern pattern = Pattern.compile(component);
            return name -> pattern.matcher(name).find();
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("exclude '" + exclude + "': invalid regex '" + component + "': "
                    + e.getDescription());
        }
    }

    @Override
    public Predicate<String> forSource(Path source, String imagePrefix) {
        return relative -> {
            String imagePath = relative.isEmpty() ? imagePrefix : imagePrefix + relative;
            return matches(imagePath);
        };
    }

    /** Whether a '/'-separated path from the image root is excluded. */
    boolean matches(String imagePath) {
        List<String> names = new ArrayList<>();
        for (String n : imagePath.split("/")) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        if (names.isEmpty()) {
            return false;
        }
        for (List<Predicate<String>> p : anchored) {
            if (matchesAt(p, names, 0)) {
                return true;
            }
        }
        for (List<Predicate<String>> p : anywhere) {
            for (int start = 0; start < names.size(); start++) {
                if (matchesAt(p, names, start)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesAt(List<Predicate<String>> pattern, List<String> names, int start) {
        if (names.size() - start < pattern.size()) {
            return false;
        }
        for (int i = 0; i < pattern.size(); i++) {
            if (!pattern.get(i).test(names.get(start + i))) {
                return false;
            }
        }
        return true;
    }
}
