package dev.strata.image.fat;

import java.util.Locale;
import java.util.Set;

/**
 * Long name rules and the short (8.3) alias of each long name, made as Windows makes them: the
 * upper-cased name when it fits 8.3 without loss, else a basis name with a numeric tail ("~1"),
 * unique within its directory. Names are handled in the directory's sorted order, so the aliases
 * are the same on every build.
 */
public final class FatNames {
    public static final int MAX_LONG_NAME = 255;
    static final String SHORT_SPECIALS = "!#$%&'()-@^_`{}~";
    static final String LONG_FORBIDDEN = "\"*/:<>?\\|";

    private FatNames() {
    }

    /** Why name cannot be a FAT long name, or null when it can. */
    public static String problemWith(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not a file name";
        }
        if (name.length() > MAX_LONG_NAME) {
            return "'" + name + "' is longer than " + MAX_LONG_NAME + " UTF-16 units";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || LONG_FORBIDDEN.indexOf(c) >= 0) {
                return "'" + name + "' holds '" + (c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c))
                        + "', which FAT does not allow in names";
            }
        }
        if (name.endsWith(".") || name.endsWith(" ")) {
            return "'" + name + "' ends with a dot or space, which FAT drops";
        }
        return null;
    }

    /** The key under which FAT compares names: case-insensitive. */
    public static String foldedKey(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    static boolean shortChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || SHORT_SPECIALS.indexOf(c) >= 0;
    }

    /**
     * The 8.3 name stored for name; usedShortNames (display forms) are those already taken in the
     * directory and receive the new one.
     */
    public static ShortName shortNameFor(String name, Set<String> usedShortNames) {
        String upper = name.toUpperCase(Locale.ROOT);
        ShortName exact = exact(upper);
        if (exact != null && usedShortNames.add(exact.display())) {
            return exact;
        }
        // basis name: upper case, no spaces, no leading dots, invalid characters as '_'
        String stripped = upper.replace(" ", "");
        while (stripped.startsWith(".")) {
            stripped = stripped.substring(1);
        }
        int dot = stripped.lastIndexOf('.');
        String base = dot < 0 ? stripped : stripped.substring(0, dot);
        String ext = dot < 0 ? "" : stripped.substring(dot + 1);
        base = clean(base.replace(".", ""));
        ext = clean(ext);
        if (ext.length() > 3) {
            ext = ext.substring(0, 3);
        }
        if (base.isEmpty()) {
            base = "_";
        }
        for (int n = 1; n < 1_000_000; n++) {
            String tail = "~" + n;
            String b = base.substring(0, Math.min(base.length(), 8 - tail.length())) + tail;
            ShortName candidate = ShortName.of(b, ext);
            if (usedShortNames.add(candidate.display())) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free short name for " + name);
    }

    /** name is stored as its long name too unless it is exactly its own upper-case 8.3 form. */
    public static boolean needsLongName(String name, ShortName shortName) {
        return !name.equals(shortName.display());
    }

    /** The upper-cased name as 8.3 when that loses nothing but case, else null. */
    private static ShortName exact(String upper) {
        int dot = upper.indexOf('.');
        if (dot != upper.lastIndexOf('.') || dot == 0) {
            return null;
        }
        String base = dot < 0 ? upper : upper.substring(0, dot);
        String ext = dot < 0 ? "" : upper.substring(dot + 1);
        if (base.isEmpty() || base.length() > 8 || ext.length() > 3 || (dot >= 0 && ext.isEmpty())) {
            return null;
        }
        for (char c : (base + ext).toCharArray()) {
            if (!shortChar(c)) {
                return null;
            }
        }
        return ShortName.of(base, ext);
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(shortChar(c) ? c : '_');
        }
        return sb.toString();
    }
}
