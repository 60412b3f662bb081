package dev.strata.image.fat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * FAT's local-time date and time fields. Strata writes UTC (there is no time zone in FAT, and the
 * build must not depend on the machine's); dates before 1980 become 1980-01-01, after 2107 the end.
 *
 * @param date (year - 1980) << 9 | month << 5 | day
 * @param time hour << 11 | minute << 5 | second / 2
 */
public record FatTimestamp(int date, int time) {
    public static FatTimestamp of(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        if (t.getYear() < 1980) {
            return new FatTimestamp((1 << 5) | 1, 0);
        }
        if (t.getYear() > 2107) {
            return new FatTimestamp((127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29);
        }
        int date = ((t.getYear() - 1980) << 9) | (t.getMonthValue() << 5) | t.getDayOfMonth();
        int time = (t.getHour() << 11) | (t.getMinute() << 5) | (t.getSecond() / 2);
        return new FatTimestamp(date, time);
    }

    /** Seconds since the epoch, reading the fields as UTC. */
    public long epochSeconds() {
        int year = 1980 + (date >>> 9);
        int month = Math.max(1, Math.min(12, (date >>> 5) & 0xf));
        int day = Math.max(1, date & 0x1f);
        int hour = Math.min(23, time >>> 11);
        int minute = Math.min(59, (time >>> 5) & 0x3f);
        int second = Math.min(59, (time & 0x1f) * 2);
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return LocalDateTime.of(year, month, 1, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        }
    }
}
