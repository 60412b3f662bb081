package dev.strata.sources.exclude;

/** How mksquashfs reads -e and -ef entries. */
public enum ExcludeStyle {
    /** The default: each entry names one file or directory exactly, by path. */
    EXACT,
    /** -wildcards: each path component is a shell glob with extended patterns. */
    WILDCARDS,
    /** -regex: each path component is a regular expression searched for in the name. */
    REGEX
}
