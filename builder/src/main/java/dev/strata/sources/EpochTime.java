package dev.strata.sources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

/**
 * Times as mksquashfs takes them: seconds since the epoch as an unsigned 32-bit number (what SquashFS
 * stores), or, as mksquashfs 4.6 and later accept, a date string. ISO-8601 dates are read here; any
 * other string is handed to GNU {@code date -d}, which is what mksquashfs itself runs.
 */
public final class EpochTime {
    public static final long MAX = 0xFFFF_FFFFL;
    private static final long DATE_TIMEOUT_SECONDS = 10;

    private EpochTime() {
    }

    /** Seconds since the epoch only (SOURCE_DATE_EPOCH, and what mksquashfs 4.5 takes for -all-time). */
    public static long parseSeconds(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' is not a number of seconds since the epoch");
        }
        long value = Long.parseLong(text);
        if (value > MAX) {
            throw new IllegalArgumentException(text + " is after 2106-02-07 06:28:15 UTC, the last time SquashFS"
                    + " can store");
        }
        return value;
    }

    /** Seconds since the epoch, or a date string. */
    public static long parse(String text) {
        String trimmed = text.trim();
        if (!trimmed.isEmpty() && trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return parseSeconds(trimmed);
        }
        Long iso = parseIso(trimmed);
        long seconds = iso != null ? iso : runDate(trimmed);
        if (seconds < 0 || seconds > MAX) {
            throw new IllegalArgumentException("'" + text + "' is outside the times SquashFS can store"
                    + " (1970-01-01 to 2106-02-07 UTC)");
        }
        return seconds;
    }

    private static Long parseIso(String text) {
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            // not an instant
        }
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException e) {
            // not a date-time with offset
        }
        try {
            return LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long runDate(String text) {
        String problem = "'" + text + "' is neither seconds since the epoch nor a date";
        Process process;
        try {
            process = new ProcessBuilder("date", "-d", text, "+%s")
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalArgumentException(problem + " (ISO-8601 expected; 'date' is not available to read other"
                    + " forms)");
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            byte[] bytes = out.readNBytes(64);
            if (!process.waitFor(DATE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalArgumentException(problem + " ('date -d' did not answer)");
            }
            String answer = new String(bytes, StandardCharsets.US_ASCII).trim();
            if (process.exitValue() != 0 || !answer.matches("-?[0-9]{1,19}")) {
                throw new IllegalArgumentException(problem + " that 'date -d' understands");
            }
            return Long.parseLong(answer);
        } catch (IOException e) {
            throw new IllegalArgumentException(problem + " ('date -d' failed: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException(problem + " (interrupted while asking 'date -d')");
        }
    }
}
