package dev.strata.overlay.merge;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Paths a factory reset keeps, in the style of OpenWrt's sysupgrade.conf: one absolute path or shell
 * glob per line ('*' and '?' within one component), '#' starts a comment; a directory keeps
 * everything below it.
 */
public final class KeepList {
    private final List<Pattern> patterns;
    private final List<String> lines;

    private KeepList(List<String> lines, List<Pattern> patterns) {
        this.lines = List.copyOf(lines);
        this.patterns = List.copyOf(patterns);
    }

    public static KeepList none() {
        return new KeepList(List.of(), List.of());
    }

    public static KeepList parse(List<String> text) {
        List<String> kept = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String raw : text) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("/")) {
                line = "/" + line;
            }
            while (line.length() > 1 && line.endsWith("/")) {
                line = line.substring(0, line.length() - 1);
            }
            kept.add(line);
            patterns.add(Pattern.compile(globToRegex(line)));
        }
        return new KeepList(kept, patterns);
    }

    public List<String> lines() {
        return lines;
    }

    /** Whether path ("/etc/config/network") is kept, itself or below a kept directory. */
    public boolean keeps(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Whether something below path may be kept, so a walk must descend into it. */
    public boolean mayKeepBelow(String path) {
        String[] have = path.equals("/") ? new String[0] : path.substring(1).split("/");
        for (String line : lines) {
            String[] want = line.equals("/") ? new String[0] : line.substring(1).split("/");
            if (want.length <= have.length) {
                continue;
            }
            boolean prefix = true;
            for (int i = 0; i < have.length && prefix; i++) {
                prefix = Pattern.matches(componentRegex(want[i]), have[i]);
            }
            if (prefix) {
                return true;
            }
        }
        return false;
    }

    private static String componentRegex(String glob) {
        return globToRegex(glob).replace("(/.*)?", "");
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append("[^/]*");
                case '?' -> sb.append("[^/]");
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb + "(/.*)?";
    }
}
