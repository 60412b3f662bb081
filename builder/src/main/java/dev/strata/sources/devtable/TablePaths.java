package dev.strata.sources.devtable;

import java.nio.charset.StandardCharsets;

/** Field checks shared by the table formats. */
final class TablePaths {
    private TablePaths() {
    }

    /** The image path a table names, made absolute ("dev/null" and "/dev/null" are the same). */
    static String absolute(String path, String at) throws TableException {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new TableException(at, "path '" + path + "' contains '..'");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > 256) {
                throw new TableException(at, "path '" + path + "' has a name longer than 256 bytes");
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    static int octalMode(String text, String at) throws TableException {
        if (!text.matches("[0-7]{1,5}")) {
            throw new TableException(at, "mode '" + text + "' is not an octal number");
        }
        int mode = Integer.parseInt(text, 8);
        if (mode > 07777) {
            throw new TableException(at, "mode " + text + " is more than 07777");
        }
        return mode;
    }

    static int number(String text, String at, String what, int max) throws TableException {
        if (!text.matches("[0-9]{1,9}") || Long.parseLong(text) > max) {
            throw new TableException(at, what + " '" + text + "' is not a number from 0 to " + max);
        }
        return Integer.parseInt(text);
    }
}
