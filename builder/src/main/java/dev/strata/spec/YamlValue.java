package dev.strata.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One composed YAML node with its position. Scalars are read from their text, not from YAML's
 * implicit typing, so {@code mode: 0644} is octal 644 and {@code version: 1.10} stays "1.10".
 */
final class YamlValue {
    private final Node node;
    private final String file;
    private final String what;

    YamlValue(Node node, String file, String what) {
        this.node = node;
        this.file = file;
        this.what = what;
    }

    SpecLocation location() {
        return locationOf(node, file);
    }

    static SpecLocation locationOf(Node node, String file) {
        return node.getStartMark().map(m -> at(m, file)).orElse(new SpecLocation(file, 1, 1));
    }

    static SpecLocation at(Mark m, String file) {
        return new SpecLocation(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** What this value is, for messages: "key 'mode'", "sources[2]". */
    String what() {
        return what;
    }

    SpecException error(String problem) {
        return new SpecException(location(), problem);
    }

    boolean isNull() {
        return node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"));
    }

    boolean isScalar() {
        return node instanceof ScalarNode && !isNull();
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    private String kind() {
        if (isNull()) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private SpecException wrongType(String expected) {
        return error(what + " must be " + expected + ", not " + kind());
    }

    YamlMap asMap() throws SpecException {
        if (!(node instanceof MappingNode m)) {
            throw wrongType("a mapping (key: value lines)");
        }
        return new YamlMap(m, file, what);
    }

    List<YamlValue> asList() throws SpecException {
        if (!(node instanceof SequenceNode s)) {
            throw wrongType("a list");
        }
        List<YamlValue> items = new ArrayList<>();
        int i = 0;
        for (Node n : s.getValue()) {
            items.add(new YamlValue(n, file, what + "[" + (i++) + "]"));
        }
        return items;
    }

    /** A list of values, or a single scalar taken as a list of one. */
    List<YamlValue> asScalarOrList() throws SpecException {
        if (node instanceof SequenceNode) {
            return asList();
        }
        asString();
        return List.of(this);
    }

    String asString() throws SpecException {
        if (!(node instanceof ScalarNode s) || isNull()) {
            throw wrongType("text");
        }
        return s.getValue();
    }

    /** A non-empty string. */
    String asNonEmptyString() throws SpecException {
        String s = asString();
        if (s.isEmpty()) {
            throw error(what + " must not be empty");
        }
        return s;
    }

    boolean asBoolean() throws SpecException {
        String s = isScalar() ? ((ScalarNode) node).getValue() : null;
        if ("true".equals(s)) {
            return true;
        }
        if ("false".equals(s)) {
            return false;
        }
        throw wrongType("true or false");
    }

    long asLong(long min, long max) throws SpecException {
        String s = isScalar() ? ((ScalarNode) node).getValue().replace("_", "") : null;
        long v;
        try {
            if (s == null) {
                throw new NumberFormatException();
            }
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw wrongType("a whole number");
        }
        if (v < min || v > max) {
            throw error(what + " " + v + " is out of range (" + min + ".." + max + ")");
        }
        return v;
    }

    /** Permission bits, always read as octal: 644, 0644, 0o644, "04755". */
    int asMode() throws SpecException {
        String s = isScalar() ? ((ScalarNode) node).getValue() : null;
        if (s != null && s.startsWith("0o")) {
            s = s.substring(2);
        }
        if (s == null || s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '7')) {
            throw wrongType("an octal mode such as 0644 or 0755");
        }
        int v = Integer.parseInt(s, 8);
        if (v > 07777) {
            throw error(what + " " + s + " is more than 07777");
        }
        return v;
    }

    /** A byte count: 131072, 128K, 256KiB, 1M, 16MiB, 1G. */
    long asSize() throws SpecException {
        String s = isScalar() ? ((ScalarNode) node).getValue().trim() : null;
        if (s == null) {
            throw wrongType("a size such as 131072, 128K or 16M");
        }
        try {
            return ByteSize.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(what + ": " + e.getMessage());
        }
    }

    /** One of a fixed set of words, with a did-you-mean for near misses. */
    String asChoice(List<String> choices) throws SpecException {
        String s = asString();
        if (!choices.contains(s)) {
            throw error(what + " '" + s + "' is not one of " + String.join(", ", choices)
                    + Suggestions.didYouMean(s.toLowerCase(Locale.ROOT), choices));
        }
        return s;
    }
}
