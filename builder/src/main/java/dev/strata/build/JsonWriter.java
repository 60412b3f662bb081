package dev.strata.build;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer with stable, diff-friendly output: two-space indentation, one
 * member per line, keys in the order written, strings escaped as RFC 8259 requires.
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final Deque<boolean[]> first = new ArrayDeque<>();
    private boolean afterKey;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    private JsonWriter open(char c) {
        raw(String.valueOf(c));
        first.push(new boolean[] {true});
        return this;
    }

    JsonWriter endArray() {
        return close(']');
    }

    private JsonWriter close(char c) {
        boolean empty = first.pop()[0];
        if (!empty) {
            out.append('\n');
            indent();
        }
        out.append(c);
        return this;
    }

    JsonWriter key(String name) {
        separator();
        string(name);
        out.append(": ");
        afterKey = true;
        return this;
    }

    JsonWriter value(String s) {
        if (s == null) {
            return raw("null");
        }
        if (!afterKey) {
            separator();
        }
        afterKey = false;
        string(s);
        return this;
    }

    JsonWriter value(long n) {
        return raw(Long.toString(n));
    }

    JsonWriter value(boolean b) {
        return raw(Boolean.toString(b));
    }

    JsonWriter member(String key, String value) {
        return key(key).value(value);
    }

    JsonWriter member(String key, long value) {
        return key(key).value(value);
    }

    private JsonWriter raw(String token) {
        if (!afterKey) {
            separator();
        }
        afterKey = false;
        out.append(token);
        return this;
    }

    private void separator() {
        if (first.isEmpty()) {
            return;
        }
        boolean[] f = first.peek();
        if (!f[0]) {
            out.append(',');
        }
        f[0] = false;
        out.append('\n');
        indent();
    }

    private void indent() {
        for (int i = 0; i < first.size(); i++) {
            out.append("  ");
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString() + "\n";
    }
}
