package dev.strata.spec;

/**
 * A place in a spec file, 1-based, as editors and compilers show it: {@code spec.yaml:12:5}.
 *
 * @param file   the spec file as the user named it
 * @param line   1-based line
 * @param column 1-based column
 */
public record SpecLocation(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
