package dev.strata.sources.exclude;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which files of the sources to leave out, with mksquashfs's -e/-ef semantics.
 */
public interface ExcludeRules {
    /**
     * The filter for one source.
     *
     * @param source      the source path as given
     * @param imagePrefix where the source lands in the image: "" when its contents become the root,
     *                    otherwise its entry name followed by '/'
     * @return given a '/'-separated path relative to source ("" for the source itself), whether it is excluded
     */
    Predicate<String> forSource(Path source, String imagePrefix);

    static ExcludeRules none() {
        return (source, imagePrefix) -> relative -> false;
    }

    /**
     * @param excludes the entries of -e and every -ef file
     * @param sources  the sources, against which relative EXACT entries are resolved
     * @throws IllegalArgumentException for a pattern that cannot be used, naming it
     */
    static ExcludeRules of(ExcludeStyle style, List<String> excludes, List<Path> sources) {
        if (excludes.isEmpty()) {
            return none();
        }
        return switch (style) {
            case EXACT -> ExactExcludes.resolve(excludes, sources);
            case WILDCARDS, REGEX -> PatternExcludes.compile(excludes, style);
        };
    }
}
