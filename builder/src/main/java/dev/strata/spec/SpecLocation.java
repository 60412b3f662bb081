package dev.strata.spec;

/**
 * A place in a spec file, 1-based, as editors and compilers show it: {@code spec.yaml:12:5}.
 *
 * @param file   the spec file as the user named it
 * @param line   1-based line
 * @param column 1-based column
 */
public record SpecLocation(String file, int line, int column) {
    /** The location with the file's name only, for records that must not depend on where the build ran. */
    public String brief() {
        int slash = file.lastIndexOf('/');
        return (slash < 0 ? file : file.substring(slash + 1)) + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
