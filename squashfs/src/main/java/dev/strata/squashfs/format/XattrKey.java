package dev.strata.squashfs.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The key of one xattr pair: a namespace prefix id and the rest of the name.
 *
 * @param prefix     0 user., 1 trusted., 2 security.
 * @param outOfLine  the value that follows is an 8-byte reference to a value stored elsewhere
 */
public record XattrKey(int prefix, boolean outOfLine, byte[] suffix) {
    public static final int OUT_OF_LINE = 0x100;
    /** Linux limits a whole xattr name to 255 bytes (XATTR_NAME_MAX). */
    public static final int MAX_SUFFIX = 255;
    private static final String[] PREFIXES = {"user.", "trusted.", "security."};

    public static XattrKey of(String fullName, boolean outOfLine) {
        for (int i = 0; i < PREFIXES.length; i++) {
            if (fullName.startsWith(PREFIXES[i])) {
                return new XattrKey(i, outOfLine,
                        fullName.substring(PREFIXES[i].length()).getBytes(StandardCharsets.UTF_8));
            }
        }
        throw new IllegalArgumentException("xattr '" + fullName + "' has no storable prefix");
    }

    public String fullName() {
        return PREFIXES[prefix] + new String(suffix, StandardCharsets.UTF_8);
    }

    public void write(LeOutput out) {
        out.u16(prefix | (outOfLine ? OUT_OF_LINE : 0));
        out.u16(suffix.length);
        out.bytes(suffix);
    }

    public int size() {
        return 4 + suffix.length;
    }

    public static XattrKey read(LeInput in) throws IOException {
        Object where = in.mark();
        long at = in.imageOffset();
        int type = in.u16();
        int prefix = type & 0xFF;
        if (prefix >= PREFIXES.length || (type & ~(0xFF | OUT_OF_LINE)) != 0) {
            throw new CorruptImageException(at, "xattr key with unknown type 0x" + Integer.toHexString(type)
                    + " at " + where);
        }
        int len = in.u16();
        if (len == 0 || len > MAX_SUFFIX) {
            throw new CorruptImageException(at, "xattr key with a name of " + len + " bytes after its prefix (1.."
                    + MAX_SUFFIX + " allowed) at " + where);
        }
        return new XattrKey(prefix, (type & OUT_OF_LINE) != 0, in.bytes(len));
    }
}
