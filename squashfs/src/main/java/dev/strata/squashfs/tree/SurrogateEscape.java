package dev.strata.squashfs.tree;

import java.io.ByteArrayOutputStream;
import java.nio.file.InvalidPathException;

/**
 * Maps name bytes to Java strings and back without loss. Valid UTF-8 decodes as usual; every byte
 * that is not part of a valid UTF-8 sequence becomes the lone surrogate U+DC00 + byte (U+DC80..U+DCFF,
 * the "surrogateescape" mapping Python uses for file names), which encodes back to that byte. Since
 * valid UTF-8 never produces a lone surrogate, the mapping is a bijection: every name has exactly one
 * string, and that string gives the name back. The SquashFS file system's paths use it.
 */
public final class SurrogateEscape {
    private static final char ESCAPE_BASE = 0xDC00;

    private SurrogateEscape() {
    }

    public static String decode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int n = validSequenceLength(bytes, i);
            if (n == 0) {
                sb.append((char) (ESCAPE_BASE + (bytes[i] & 0xFF)));
                i++;
            } else {
                sb.appendCodePoint(codePoint(bytes, i, n));
                i += n;
            }
        }
        return sb.toString();
    }

    /**
     * @param input the whole path string, for the exception
     * @throws InvalidPathException for a lone surrogate outside U+DC80..U+DCFF
     */
    public static byte[] encode(String s, String input) {
        return encode(s, input, true);
    }

    /** As {@link #encode(String, String)}, but a lone surrogate that stands for no byte becomes '?'. */
    public static byte[] encodeLenient(String s) {
        return encode(s, s, false);
    }

    private static byte[] encode(String s, String input, boolean strict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | (cp >> 12 & 0x3F));
                out.write(0x80 | (cp >> 6 & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF) {
                out.write(c - ESCAPE_BASE);
            } else if (Character.isSurrogate(c) && !strict) {
                out.write('?');
            } else if (Character.isSurrogate(c)) {
                throw new InvalidPathException(input, "lone surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " maps to no byte (only U+DC80..U+DCFF stand for raw bytes)", i);
            } else if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | c >> 6);
                out.write(0x80 | (c & 0x3F));
            } else {
                out.write(0xE0 | c >> 12);
                out.write(0x80 | (c >> 6 & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        return out.toByteArray();
    }

    /** The length of the valid (shortest-form, non-surrogate, at most U+10FFFF) UTF-8 sequence at i, or 0. */
    private static int validSequenceLength(byte[] b, int i) {
        int lead = b[i] & 0xFF;
        if (lead < 0x80) {
            return 1;
        }
        int n;
        int min;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > b.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        int cp = codePoint(b, i, n);
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        return n;
    }

    private static int codePoint(byte[] b, int i, int n) {
        int lead = b[i] & 0xFF;
        int cp = switch (n) {
            case 1 -> lead;
            case 2 -> lead & 0x1F;
            case 3 -> lead & 0x0F;
            default -> lead & 0x07;
        };
        for (int k = 1; k < n; k++) {
            cp = cp << 6 | (b[i + k] & 0x3F);
        }
        return cp;
    }
}
