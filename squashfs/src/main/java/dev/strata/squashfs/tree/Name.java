package dev.strata.squashfs.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One path component as raw bytes. Names on Linux are byte strings, not text, so non-UTF-8 names
 * survive unchanged; they order by unsigned byte comparison, which is the order SquashFS requires.
 */
public final class Name implements Comparable<Name> {
    /** The longest name SquashFS tools accept (SQUASHFS_NAME_LEN). */
    public static final int MAX_LENGTH = 256;

    private final byte[] bytes;

    private Name(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The name's UTF-8 bytes; U+DC80..U+DCFF stand for raw bytes (see {@link SurrogateEscape}). */
    public static Name of(String name) {
        return of(SurrogateEscape.encodeLenient(name));
    }

    /** Checks that the bytes form a valid single path component. */
    public static Name of(byte[] bytes) {
        String problem = problemWith(bytes);
        if (problem != null) {
            throw new InvalidNameException(problem + ": '" + display(bytes) + "'");
        }
        return new Name(bytes.clone());
    }

    /** Why the bytes are not a valid name, or null when they are. */
    public static String problemWith(byte[] bytes) {
        if (bytes.length == 0) {
            return "empty file name";
        }
        if (bytes.length > MAX_LENGTH) {
            return "file name longer than " + MAX_LENGTH + " bytes (" + bytes.length + ")";
        }
        if ((bytes.length == 1 && bytes[0] == '.') || (bytes.length == 2 && bytes[0] == '.' && bytes[1] == '.')) {
            return "file name '.' or '..' is not allowed";
        }
        for (byte b : bytes) {
            if (b == '/') {
                return "file name contains '/'";
            }
            if (b == 0) {
                return "file name contains a NUL byte";
            }
        }
        return null;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    @Override
    public int compareTo(Name other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Name n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** UTF-8 text where valid; invalid bytes are shown as \xNN so the name stays recognisable. */
    @Override
    public String toString() {
        return display(bytes);
    }

    /** Text for name bytes: UTF-8 as is, otherwise \xNN for every byte outside printable ASCII. */
    public static String display(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                int u = b & 0xFF;
                if (u >= 0x20 && u < 0x7F) {
                    sb.append((char) u);
                } else {
                    sb.append(String.format("\\x%02x", u));
                }
            }
            return sb.toString();
        }
    }
}
