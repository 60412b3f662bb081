package dev.strata.sources.pseudo;

/**
 * Where a pseudo definition came from, for messages: "pseudo.txt:12", or "-p '/dev d 755 0 0'".
 *
 * @param source the pseudo file as given, or the -p option with its text
 * @param line   1-based line of the definition's first line in a file; 0 for -p definitions
 */
public record Location(String source, int line) {
    public static Location option(String definition) {
        return new Location("-p '" + definition + "'", 0);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source;
    }
}
