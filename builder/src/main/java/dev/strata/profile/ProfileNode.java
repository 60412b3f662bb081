package dev.strata.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** A node of a profile file with its place in the file, for messages a profile author can act on. */
final class ProfileNode {
    private final Node node;
    private final String file;

    ProfileNode(Node node, String file) {
        this.node = node;
        this.file = file;
    }

    String where() {
        return node.getStartMark().map(m -> file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1)).orElse(file);
    }

    ProfileException error(String problem) {
        return new ProfileException(where() + ": " + problem);
    }

    boolean isMap() {
        return node instanceof MappingNode;
    }

    boolean isList() {
        return node instanceof SequenceNode;
    }

    String text() throws ProfileException {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value here");
        }
        return s.getValue();
    }

    boolean bool() throws ProfileException {
        String t = text();
        return switch (t) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw error("expected true or false, got '" + t + "'");
        };
    }

    int integer() throws ProfileException {
        String t = text();
        try {
            return t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw error("expected a number, got '" + t + "'");
        }
    }

    List<ProfileNode> list() throws ProfileException {
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list here");
        }
        List<ProfileNode> out = new ArrayList<>();
        for (Node n : s.getValue()) {
            out.add(new ProfileNode(n, file));
        }
        return out;
    }

    /** A one-element list for a single value, else the list. */
    List<String> texts() throws ProfileException {
        if (!isList()) {
            return List.of(text());
        }
        List<String> out = new ArrayList<>();
        for (ProfileNode n : list()) {
            out.add(n.text());
        }
        return out;
    }

    /** The map's entries in file order; keys outside allowed are errors. */
    Map<String, ProfileNode> map(List<String> allowed) throws ProfileException {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a map (key: value lines) here");
        }
        Map<String, ProfileNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            ProfileNode key = new ProfileNode(t.getKeyNode(), file);
            String k = key.text();
            if (allowed != null && !allowed.contains(k)) {
                throw key.error("unknown key '" + k + "' (known: " + String.join(", ", allowed) + ")");
            }
            out.put(k, new ProfileNode(t.getValueNode(), file));
        }
        return out;
    }

    static ProfileNode require(Map<String, ProfileNode> m, String key, ProfileNode owner) throws ProfileException {
        ProfileNode n = m.get(key);
        if (n == null) {
            throw owner.error("missing key '" + key + "'");
        }
        return n;
    }
}
