package dev.strata.sources.pseudo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * xattr values as mksquashfs 4.6 reads them in -xattrs-add and pseudo x definitions: plain text, or
 * with a prefix 0s (base64), 0x (hex), 0t (text with \ooo octal escapes) or 0b (plain text).
 */
public final class XattrValues {
    /** Makes the exception a malformed value ends in. */
    public interface Failure<E extends Exception> {
        E of(String problem);
    }

    private XattrValues() {
    }

    public static <E extends Exception> byte[] decode(String value, Failure<E> failure) throws E {
        if (value.length() < 2) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        String prefix = value.substring(0, 2).toLowerCase(java.util.Locale.ROOT);
        String body = value.substring(2);
        if (!prefix.equals("0s") && !prefix.equals("0x") && !prefix.equals("0t") && !prefix.equals("0b")) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        if (body.isEmpty()) {
            throw failure.of("xattr value is empty after the " + value.substring(0, 2) + " prefix");
        }
        return switch (prefix) {
            case "0s" -> base64(body, failure);
            case "0x" -> hex(body, failure);
            case "0t" -> text(body, failure);
            default -> body.getBytes(StandardCharsets.UTF_8);
        };
    }

    private static <E extends Exception> byte[] base64(String body, Failure<E> failure) throws E {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw failure.of("xattr value '0s" + body + "' is not valid base64");
        }
    }

    private static <E extends Exception> byte[] hex(String body, Failure<E> failure) throws E {
        if (body.length() % 2 != 0) {
            throw failure.of("xattr value '0x" + body + "' has an odd number of hex digits");
        }
        byte[] out = new byte[body.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(body.charAt(2 * i), 16);
            int lo = Character.digit(body.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw failure.of("xattr value '0x" + body + "' is not hexadecimal");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static <E extends Exception> byte[] text(String body, Failure<E> failure) throws E {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\\') {
                out.write(bytes[i]);
                continue;
            }
            int value = 0;
            for (int k = 1; k <= 3; k++) {
                int d = i + k < bytes.length ? bytes[i + k] - '0' : -1;
                if (d < 0 || d > 7) {
                    throw failure.of("xattr value '0t" + body + "': a backslash must be followed by three octal"
                            + " digits");
                }
                value = value << 3 | d;
            }
            if (value > 255) {
                throw failure.of("xattr value '0t" + body + "': \\" + Integer.toOctalString(value) + " is above \\377");
            }
            out.write(value);
            i += 3;
        }
        return out.toByteArray();
    }
}
