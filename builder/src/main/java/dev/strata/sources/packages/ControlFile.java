package dev.strata.sources.packages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Debian-style control stanza ("Field: value", continuation lines start with a space or tab):
 * a package's control file, or one package's entry in an opkg or dpkg status file. Field order
 * and continuation lines are kept, so a stanza written back reads as it was.
 */
public final class ControlFile {
    private final LinkedHashMap<String, String> fields;

    private ControlFile(LinkedHashMap<String, String> fields) {
        this.fields = fields;
    }

    /**
     * Parses one stanza.
     *
     * @throws IllegalArgumentException naming the line that is not "Field: value"
     */
    public static ControlFile parse(String text) {
        List<ControlFile> all = parseAll(text);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the control file is empty");
        }
        if (all.size() > 1) {
            throw new IllegalArgumentException("the control file holds " + all.size() + " stanzas, expected one");
        }
        return all.get(0);
    }

    public static ControlFile parse(byte[] bytes) {
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses a file of stanzas separated by blank lines (a status file). */
    public static List<ControlFile> parseAll(String text) {
        List<ControlFile> out = new ArrayList<>();
        LinkedHashMap<String, String> current = new LinkedHashMap<>();
        String last = null;
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    out.add(new ControlFile(current));
                    current = new LinkedHashMap<>();
                }
                last = null;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (last == null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": continuation line without a field");
                }
                current.put(last, current.get(last) + "\n" + line);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).contains(" ")) {
                throw new IllegalArgumentException("line " + lineNumber + ": '" + abbreviate(line)
                        + "' is not 'Field: value'");
            }
            last = line.substring(0, colon);
            current.put(last, line.substring(colon + 1).strip());
        }
        if (!current.isEmpty()) {
            out.add(new ControlFile(current));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    public Optional<String> get(String field) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    public Map<String, String> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** A copy with field set (replaced in place, or added after the field named after, or at the end). */
    public ControlFile with(String field, String value, String after) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        boolean done = false;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field)) {
                out.put(field, value);
                done = true;
                continue;
            }
            out.put(e.getKey(), e.getValue());
            if (!done && after != null && e.getKey().equalsIgnoreCase(after) && !fields.containsKey(field)) {
                out.put(field, value);
                done = true;
            }
        }
        if (!done) {
            out.put(field, value);
        }
        return new ControlFile(out);
    }

    /** Only the named fields, in the given order (absent ones left out). */
    public ControlFile select(List<String> names) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            get(n).ifPresent(v -> out.put(n, v));
        }
        return new ControlFile(out);
    }

    /** "Field: value" lines, each ending in a newline, without the blank separator line. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(e.getKey()).append(':');
            if (!e.getValue().isEmpty() && !e.getValue().startsWith("\n")) {
                sb.append(' ');
            }
            sb.append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
