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
     * Replaces every key.
     *
     * @param where how messages name the template ("profile openwrt-x86-64, text grub.cfg")
     */
    public static String render(String template, Lookup lookup, String where) throws ProfileException {
        Matcher m = KEY.matcher(template);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String value = lookup.get(m.group(1));
            if (value == null) {
                throw new ProfileException(where + ": unknown placeholder @" + m.group(1) + "@");
            }
            sb.append(template, last, m.start()).append(value);
            last = m.end();
        }
        sb.append(template.substring(last));
        return sb.toString();
    }

    /** A kernel command line: placeholders that rendered empty leave no double spaces. */
    public static String commandLine(String rendered) {
        return rendered.strip().replaceAll("[ \\t]+", " ");
    }
}
