package dev.strata.sources.devtable;

/**
 * One line of table text and where it is.
 *
 * @param text     the line without its newline
 * @param location "file:line" for a table file, "spec.yaml:line:col" for an inline line
 */
public record TableLine(String text, String location) {
    /** Splits a file's text into numbered lines. */
    public static java.util.List<TableLine> of(String text, String fileName) {
        java.util.List<TableLine> out = new java.util.ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            out.add(new TableLine(l, fileName + ":" + (i + 1)));
        }
        return out;
    }
}
