package dev.strata.cli.squashfs;

/** A byte count as mksquashfs -b takes it: digits with an optional K, M or G suffix (and "bytes"). */
final class SizeParser {
    private SizeParser() {
    }

    static long parse(String value) {
        String v = value.endsWith("bytes") ? value.substring(0, value.length() - 5) : value;
        long multiplier = 1;
        if (!v.isEmpty()) {
            char last = Character.toUpperCase(v.charAt(v.length() - 1));
            multiplier = switch (last) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            if (multiplier != 1) {
                v = v.substring(0, v.length() - 1);
            }
        }
        if (v.isEmpty() || v.length() > 12 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + value + "' is not a size (bytes, or a number with K or M)");
        }
        return Long.parseLong(v) * multiplier;
    }
}
