package dev.strata.spec;

import java.util.Locale;

/** Byte counts as people write them: 131072, 128K, 128k, 128KiB, 1M, 16MiB, 1G (powers of 1024). */
public final class ByteSize {
    private ByteSize() {
    }

    public static long parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                default -> shift = -1;
            }
            if (shift >= 0) {
                s = s.substring(0, s.length() - 1);
            } else {
                shift = 0;
            }
        }
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not a size (a number with an optional K, M or G)");
        }
        return Long.parseLong(s) << shift;
    }

    /** 1536 -> "1.5 KiB"; plain bytes below 1 KiB. */
    public static String human(long bytes) {
        long abs = Math.abs(bytes);
        if (abs < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
