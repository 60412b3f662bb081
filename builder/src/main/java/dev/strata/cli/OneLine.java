package dev.strata.cli;

/**
 * Messages go to a terminal one line each, whatever they quote: a name from a damaged archive can
 * hold newlines, escape sequences or other control characters, which are shown as \xNN instead.
 */
public final class OneLine {
    private OneLine() {
    }

    public static String of(String message) {
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c < 0xA0) || c == '\u2028' || c == '\u2029';
            if (control && sb == null) {
                sb = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? message : sb.toString();
    }
}
