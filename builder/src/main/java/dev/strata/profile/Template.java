package dev.strata.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code @key@} placeholders, as OpenWrt's image templates write them (grub.cfg's
 * {@code @CMDLINE@}). Keys are lower-case words with digits, '-', '.' and ':'; an '@' that does not
 * open such a key is kept as it is.
 */
public final class Template {
    private static final Pattern KEY = Pattern.compile("@([a-z][a-z0-9.:-]*)@");

    private Template() {
    }

    /** Looks up one key; returns null for a key it does not know. */
    @FunctionalInterface
    public interface Lookup {
        String get(String key) throws ProfileException;
    }

    /**
     * Replaces every key. A line that holds placeholders and renders blank is left out, so that an
     * optional line (grub.cfg's {@code @grub-initrd@} without an initramfs) leaves no gap.
     *
     * @param where how messages name the template ("profile openwrt-x86-64, text grub.cfg")
     */
    public static String render(String template, Lookup lookup, String where) throws ProfileException {
        StringBuilder sb = new StringBuilder();
        int lineStart = 0;
        while (lineStart < template.length()) {
            int newline = template.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? template.length() : newline + 1;
            String line = template.substring(lineStart, lineEnd);
            String rendered = renderLine(line, lookup, where);
            if (rendered.isBlank() && !line.isBlank() && newline >= 0) {
                lineStart = lineEnd;
                continue;
            }
            sb.append(rendered);
            lineStart = lineEnd;
        }
        return sb.toString();
    }

    private static String renderLine(String line, Lookup lookup, String where) throws ProfileException {
        Matcher m = KEY.matcher(line);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String value = lookup.get(m.group(1));
            if (value == null) {
                throw new ProfileException(where + ": unknown placeholder @" + m.group(1) + "@");
            }
            sb.append(line, last, m.start()).append(value);
            last = m.end();
        }
        sb.append(line.substring(last));
        return sb.toString();
    }

    /** A kernel command line: placeholders that rendered empty leave no double spaces. */
    public static String commandLine(String rendered) {
        return rendered.strip().replaceAll("[ \\t]+", " ");
    }
}
