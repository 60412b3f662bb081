package dev.strata.image.fat;

import java.nio.charset.StandardCharsets;

/**
 * An 8.3 name as stored: 11 bytes, base and extension space padded, no dot.
 *
 * @param bytes the 11 stored bytes
 */
public record ShortName(byte[] bytes) {
    public static final ShortName DOT = of(".", "");
    public static final ShortName DOT_DOT = of("..", "");

    public ShortName {
        if (bytes.length != 11) {
            throw new IllegalArgumentException("a short name is 11 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    public static ShortName of(String base, String ext) {
        byte[] b = new byte[11];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] bb = base.getBytes(StandardCharsets.US_ASCII);
        byte[] eb = ext.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bb, 0, b, 0, Math.min(8, bb.length));
        System.arraycopy(eb, 0, b, 8, Math.min(3, eb.length));
        return new ShortName(b);
    }

    /** The checksum each long name entry carries to tie it to its short entry. */
    public int checksum() {
        int sum = 0;
        for (byte x : bytes) {
            sum = (((sum & 1) << 7) + ((sum & 0xff) >>> 1) + (x & 0xff)) & 0xff;
        }
        return sum;
    }

    /** "KERNEL.IMG", "BCM270~1.DTB", "OVERLAYS". */
    public String display() {
        String base = new String(bytes, 0, 8, StandardCharsets.ISO_8859_1).stripTrailing();
        String ext = new String(bytes, 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
        if (base.startsWith("\u0005")) {
            base = "\u00e5" + base.substring(1); // 0x05 stands for a leading 0xe5
        }
        return ext.isEmpty() ? base : base + "." + ext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShortName s && java.util.Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return display();
    }
}
