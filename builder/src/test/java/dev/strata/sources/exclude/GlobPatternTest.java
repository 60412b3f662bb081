package dev.strata.sources.exclude;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobPatternTest {
    private static boolean m(String pattern, String name) {
        return GlobPattern.compile(pattern).matches(name);
    }

    @Test
    void basicWildcards() {
        assertTrue(m("*.gz", "a.gz"));
        assertFalse(m("*.gz", "a.gzip"));
        assertTrue(m("?.c", "a.c"));
        assertFalse(m("?.c", "ab.c"));
        assertTrue(m("[Tt]est", "Test"));
        assertTrue(m("[!a-c]x", "dx"));
        assertFalse(m("[!a-c]x", "bx"));
        assertTrue(m("[[:digit:]][[:alpha:]]", "1a"));
        assertTrue(m("[]]", "]"));
        assertTrue(m("a\\*", "a*"));
        assertFalse(m("a\\*", "ab"));
        assertTrue(m("[", "["));
    }

    @Test
    void leadingPeriodMustBeMatchedLiterally() {
        assertFalse(m("*", ".hidden"));
        assertFalse(m("?hidden", ".hidden"));
        assertFalse(m("[.]hidden", ".hidden"));
        assertTrue(m(".*", ".hidden"));
        assertTrue(m("a*", "a.b"));
    }

    @Test
    void extendedPatterns() {
        assertTrue(m("!(*data*).gz", "x.gz"));
        assertFalse(m("!(*data*).gz", "mydata.gz"));
        assertTrue(m("@(a|b).c", "b.c"));
        assertFalse(m("@(a|b).c", "ab.c"));
        assertTrue(m("+(ab).c", "abab.c"));
        assertFalse(m("+(ab).c", ".c"));
        assertTrue(m("*(ab).c", ".c"));
        assertTrue(m("?(x)y", "y"));
        assertTrue(m("?(x)y", "xy"));
        assertFalse(m("?(x)y", "xxy"));
        assertTrue(m("a@(b|c(d)", "a@(b|c(d)"), "unbalanced groups are literal");
    }
}
