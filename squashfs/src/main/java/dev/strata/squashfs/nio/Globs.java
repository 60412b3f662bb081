package dev.strata.squashfs.nio;

import java.util.regex.PatternSyntaxException;

/**
 * Glob patterns as {@link java.nio.file.FileSystem#getPathMatcher} documents them: * and ? within a
 * name, ** across names, [...] classes with ! negation, {a,b} groups, \ escapes.
 */
final class Globs {
    private static final String REGEX_META = ".^$+{[]|()";
    private static final String GLOB_META = "\\*?[{";

    private Globs() {
    }

    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder("^");
        boolean inGroup = false;
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == glob.length()) {
                        throw new PatternSyntaxException("no character to escape", glob, i - 1);
                    }
                    char next = glob.charAt(i++);
                    if (GLOB_META.indexOf(next) >= 0 || REGEX_META.indexOf(next) >= 0) {
                        regex.append('\\');
                    }
                    regex.append(next);
                }
                case '/' -> regex.append('/');
                case '[' -> {
                    regex.append("[[^/]&&[");
                    if (i < glob.length() && glob.charAt(i) == '^') {
                        regex.append("\\^");
                        i++;
                    } else {
                        if (i < glob.length() && glob.charAt(i) == '!') {
                            regex.append('^');
                            i++;
                        }
                        if (i < glob.length() && glob.charAt(i) == '-') {
                            regex.append('-');
                            i++;
                        }
                    }
                    boolean closed = false;
                    while (i < glob.length()) {
                        c = glob.charAt(i++);
                        if (c == ']') {
                            closed = true;
                            break;
                        }
                        if (c == '/') {
                            throw new PatternSyntaxException("explicit 'name separator' in class", glob, i - 1);
                        }
                        if (c == '\\' || c == '[' || (c == '&' && i < glob.length() && glob.charAt(i) == '&')) {
                            regex.append('\\');
                        }
                        regex.append(c);
                    }
                    if (!closed) {
                        throw new PatternSyntaxException("missing ']'", glob, i - 1);
                    }
                    regex.append("]]");
                }
                case '{' -> {
                    if (inGroup) {
                        throw new PatternSyntaxException("cannot nest groups", glob, i - 1);
                    }
                    regex.append("(?:(?:");
                    inGroup = true;
                }
                case '}' -> {
                    if (inGroup) {
                        regex.append("))");
                        inGroup = false;
                    } else {
                        regex.append('}');
                    }
                }
                case ',' -> regex.append(inGroup ? ")|(?:" : ",");
                case '*' -> {
                    if (i < glob.length() && glob.charAt(i) == '*') {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                default -> {
                    if (REGEX_META.indexOf(c) >= 0) {
                        regex.append('\\');
                    }
                    regex.append(c);
                }
            }
        }
        if (inGroup) {
            throw new PatternSyntaxException("missing '}'", glob, i - 1);
        }
        return regex.append('$').toString();
    }
}
