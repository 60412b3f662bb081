package dev.strata.sources.exclude;

import java.util.ArrayList;
import java.util.List;

/**
 * One file name matched the way mksquashfs matches -wildcards excludes: glibc fnmatch with
 * FNM_PERIOD (a leading '.' must be matched literally) and FNM_EXTMATCH (?(..) *(..) +(..) @(..)
 * !(..) pattern lists). Backslash quotes the next character.
 */
public final class GlobPattern {
    private final String text;
    private final List<Element> elements;

    private GlobPattern(String text, List<Element> elements) {
        this.text = text;
        this.elements = elements;
    }

    public static GlobPattern compile(String pattern) {
        Parser parser = new Parser(pattern);
        List<Element> elements = parser.sequence(false);
        return new GlobPattern(pattern, elements);
    }

    public boolean matches(String name) {
        return new Matcher(name).match(elements, 0, 0, name.length());
    }

    @Override
    public String toString() {
        return text;
    }

    private sealed interface Element permits Literal, AnyChar, AnyString, CharClass, Group {
    }

    private record Literal(char c) implements Element {
    }

    private record AnyChar() implements Element {
    }

    private record AnyString() implements Element {
    }

    private record CharClass(boolean negated, List<char[]> ranges, List<String> namedClasses) implements Element {
        boolean contains(char c) {
            boolean in = false;
            for (char[] r : ranges) {
                in |= c >= r[0] && c <= r[1];
            }
            for (String n : namedClasses) {
                in |= named(n, c);
            }
            return in != negated;
        }

        private static boolean named(String name, char c) {
            return switch (name) {
                case "alnum" -> Character.isLetterOrDigit(c);
                case "alpha" -> Character.isLetter(c);
                case "blank" -> c == ' ' || c == '\t';
                case "cntrl" -> Character.isISOControl(c);
                case "digit" -> c >= '0' && c <= '9';
                case "graph" -> c > ' ' && c != 0x7F && !Character.isISOControl(c) && !Character.isWhitespace(c);
                case "lower" -> Character.isLowerCase(c);
                case "print" -> c >= ' ' && c != 0x7F && !Character.isISOControl(c);
                case "punct" -> c > ' ' && c < 0x7F && !Character.isLetterOrDigit(c);
                case "space" -> Character.isWhitespace(c);
                case "upper" -> Character.isUpperCase(c);
                case "xdigit" -> Character.digit(c, 16) >= 0;
                default -> false;
            };
        }
    }

    /** kind is one of ? * + @ ! as in ksh/bash extended globs. */
    private record Group(char kind, List<List<Element>> alternatives) implements Element {
    }

    private static final class Parser {
        private final String p;
        private int pos;

        Parser(String p) {
            this.p = p;
        }

        /** Parses up to the end, or inside a group up to an unquoted '|' or ')'. */
        List<Element> sequence(boolean inGroup) {
            List<Element> out = new ArrayList<>();
            while (pos < p.length()) {
                char c = p.charAt(pos);
                if (inGroup && (c == '|' || c == ')')) {
                    return out;
                }
                if ("?*+@!".indexOf(c) >= 0 && pos + 1 < p.length() && p.charAt(pos + 1) == '('
                        && groupCloses(pos + 1)) {
                    pos += 2;
                    List<List<Element>> alternatives = new ArrayList<>();
                    while (true) {
                        alternatives.add(sequence(true));
                        if (pos >= p.length() || p.charAt(pos++) == ')') {
                            break;
                        }
                    }
                    out.add(new Group(c, alternatives));
                } else if (c == '*') {
                    pos++;
                    out.add(new AnyString());
                } else if (c == '?') {
                    pos++;
                    out.add(new AnyChar());
                } else if (c == '[') {
                    Element cls = charClass();
                    out.add(cls != null ? cls : new Literal('['));
                } else if (c == '\\' && pos + 1 < p.length()) {
                    out.add(new Literal(p.charAt(pos + 1)));
                    pos += 2;
                } else {
                    out.add(new Literal(c));
                    pos++;
                }
            }
            return out;
        }

        /** Whether the '(' at open has a matching ')', so that an unbalanced one is taken literally. */
        private boolean groupCloses(int open) {
            int depth = 0;
            for (int i = open; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return true;
                }
            }
            return false;
        }

        /** A bracket expression, or null (pos unchanged but for the '[') when it is not closed. */
        private Element charClass() {
            int start = pos;
            int i = pos + 1;
            boolean negated = false;
            if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
                negated = true;
                i++;
            }
            List<char[]> ranges = new ArrayList<>();
            List<String> named = new ArrayList<>();
            boolean first = true;
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == ']' && !first) {
                    pos = i + 1;
                    return new CharClass(negated, ranges, named);
                }
                first = false;
                if (c == '[' && i + 1 < p.length() && p.charAt(i + 1) == ':') {
                    int close = p.indexOf(":]", i + 2);
                    if (close > 0) {
                        named.add(p.substring(i + 2, close));
                        i = close + 2;
                        continue;
                    }
                }
                if (c == '\\' && i + 1 < p.length()) {
                    c = p.charAt(++i);
                }
                char low = c;
                char high = c;
                if (i + 2 < p.length() && p.charAt(i + 1) == '-' && p.charAt(i + 2) != ']') {
                    high = p.charAt(i + 2);
                    if (high == '\\' && i + 3 < p.length()) {
                        high = p.charAt(i + 3);
                        i++;
                    }
                    i += 2;
                }
                ranges.add(new char[] {low, high});
                i++;
            }
            pos = start + 1;
            return null;
        }
    }

    private static final class Matcher {
        private final String s;

        Matcher(String s) {
            this.s = s;
        }

        /** FNM_PERIOD: no wildcard may match a '.' that starts the name. */
        private boolean leadingPeriod(int j) {
            return j == 0 && !s.isEmpty() && s.charAt(0) == '.';
        }

        boolean match(List<Element> els, int i, int j, int end) {
            if (i == els.size()) {
                return j == end;
            }
            Element e = els.get(i);
            if (e instanceof Literal l) {
                return j < end && s.charAt(j) == l.c() && match(els, i + 1, j + 1, end);
            }
            if (e instanceof AnyChar) {
                return j < end && !leadingPeriod(j) && match(els, i + 1, j + 1, end);
            }
            if (e instanceof CharClass c) {
                return j < end && !leadingPeriod(j) && c.contains(s.charAt(j)) && match(els, i + 1, j + 1, end);
            }
            if (e instanceof AnyString) {
                int last = leadingPeriod(j) ? j : end;
                for (int k = j; k <= last; k++) {
                    if (match(els, i + 1, k, end)) {
                        return true;
                    }
                }
                return false;
            }
            Group g = (Group) e;
            return switch (g.kind()) {
                case '@' -> once(g, els, i, j, end);
                case '?' -> match(els, i + 1, j, end) || once(g, els, i, j, end);
                case '*' -> repeat(g, els, i, j, end);
                case '+' -> onceThenRepeat(g, els, i, j, end);
                default -> negated(g, els, i, j, end);
            };
        }

        private boolean anyAlternative(Group g, int from, int to) {
            for (List<Element> alt : g.alternatives()) {
                if (match(alt, 0, from, to)) {
                    return true;
                }
            }
            return false;
        }

        private boolean once(Group g, List<Element> els, int i, int j, int end) {
            for (int k = j; k <= end; k++) {
                if (anyAlternative(g, j, k) && match(els, i + 1, k, end)) {
                    return true;
                }
            }
            return false;
        }

        private boolean repeat(Group g, List<Element> els, int i, int j, int end) {
            return match(els, i + 1, j, end) || onceThenRepeat(g, els, i, j, end);
        }

        private boolean onceThenRepeat(Group g, List<Element> els, int i, int j, int end) {
            for (int k = j + 1; k <= end; k++) {
                if (anyAlternative(g, j, k) && repeat(g, els, i, k, end)) {
                    return true;
                }
            }
            // an alternative that matches the empty string satisfies "one or more" by itself
            return anyAlternative(g, j, j) && match(els, i + 1, j, end);
        }

        private boolean negated(Group g, List<Element> els, int i, int j, int end) {
            if (leadingPeriod(j)) {
                return false;
            }
            for (int k = j; k <= end; k++) {
                if (!anyAlternative(g, j, k) && match(els, i + 1, k, end)) {
                    return true;
                }
            }
            return false;
        }
    }
}
