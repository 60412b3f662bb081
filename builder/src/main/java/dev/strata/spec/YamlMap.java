package dev.strata.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** A YAML mapping whose keys are checked against the ones a spec section knows. */
final class YamlMap {
    private final Map<String, YamlValue> values = new LinkedHashMap<>();
    private final Map<String, SpecLocation> keyLocations = new LinkedHashMap<>();
    private final MappingNode node;
    private final String file;
    private final String what;

    YamlMap(MappingNode node, String file, String what) throws SpecException {
        this.node = node;
        this.file = file;
        this.what = what;
        for (NodeTuple t : node.getValue()) {
            SpecLocation at = YamlValue.locationOf(t.getKeyNode(), file);
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new SpecException(at, "keys of " + what + " must be plain words");
            }
            String key = k.getValue();
            if (values.containsKey(key)) {
                throw new SpecException(at, "key '" + key + "' appears twice in " + what + " (first at line "
                        + keyLocations.get(key).line() + ")");
            }
            values.put(key, new YamlValue(t.getValueNode(), file, "'" + key + "'"));
            keyLocations.put(key, at);
        }
    }

    SpecLocation location() {
        return YamlValue.locationOf(node, file);
    }

    /** Fails on the first key that is not in known, suggesting the closest known one. */
    void allowOnly(List<String> known) throws SpecException {
        for (Map.Entry<String, SpecLocation> e : keyLocations.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new SpecException(e.getValue(), "unknown key '" + e.getKey() + "' in " + what
                        + Suggestions.didYouMean(e.getKey(), known)
                        + Suggestions.closest(e.getKey(), known).map(s -> "").orElse(" (known: "
                        + String.join(", ", known) + ")"));
            }
        }
    }

    List<String> keys() {
        return new ArrayList<>(values.keySet());
    }

    boolean has(String key) {
        return values.containsKey(key) && !values.get(key).isNull();
    }

    /** The value of key, or empty when it is absent or null. */
    Optional<YamlValue> get(String key) {
        YamlValue v = values.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    YamlValue require(String key) throws SpecException {
        YamlValue v = values.get(key);
        if (v == null) {
            throw new SpecException(location(), what + " needs the key '" + key + "'");
        }
        if (v.isNull()) {
            throw new SpecException(keyLocations.get(key), "'" + key + "' has no value");
        }
        return v;
    }

    SpecLocation keyLocation(String key) {
        return keyLocations.get(key);
    }

    String what() {
        return what;
    }
}
