package dev.supaqueue.console.queues;

import dev.supaqueue.admin.Count;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * How the queue screens write numbers, ages, countdowns and times. Pure functions, so the rules are unit tested
 * and the view models stay free of formatting detail.
 */
public final class Formats {

    /** Shown where there is no value (an empty queue has no oldest age). */
    public static final String NONE = "—";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter TIMESTAMP_ZONE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS zzz");

    private Formats() {
    }

    /**
     * A count with its precision, grouped by the locale: {@code 42}, {@code ≥ 100,000} (counting stopped at the
     * cap), {@code ≈ 1,250,000} (an estimate). Null (no dead-letter queue) is {@link #NONE}.
     */
    public static String count(Count count, Locale locale) {
        if (count == null) {
            return NONE;
        }
        String number = NumberFormat.getIntegerInstance(locale).format(count.value());
        return switch (count.precision()) {
            case EXACT -> number;
            case AT_LEAST -> "≥ " + number;
            case ESTIMATE -> "≈ " + number;
        };
    }

    /**
     * An age in the two largest units that matter: {@code 42 s}, {@code 3 min 12 s}, {@code 2 h 5 min},
     * {@code 3 d 4 h}. Null is {@link #NONE}; a negative age (clock noise) reads as {@code 0 s}.
     */
    public static String age(Duration age) {
        if (age == null) {
            return NONE;
        }
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return withRest(minutes, "min", seconds % 60, "s");
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return withRest(hours, "h", minutes % 60, "min");
        }
        return withRest(hours / 24, "d", hours % 24, "h");
    }

    private static String withRest(long value, String unit, long rest, String restUnit) {
        return rest == 0 ? value + " " + unit : value + " " + unit + " " + rest + " " + restUnit;
    }

    /**
     * A remaining time as a clock counts down: {@code 0:42}, {@code 4:59}, {@code 1:02:03}, {@code 2 d 03:04:05}.
     * Seconds are rounded up, so the display shows {@code 0:01} until the moment the time has passed.
     */
    public static String countdown(Duration remaining) {
        Objects.requireNonNull(remaining, "remaining");
        long seconds = remaining.isNegative() ? 0 : remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return String.format(Locale.ROOT, "%d d %02d:%02d:%02d", days, hours, minutes, secs);
        }
        if (hours > 0) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs);
        }
        return String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }

    /** A point in time in a zone, to the millisecond: {@code 2026-11-24 01:32:50.123}; null is {@link #NONE}. */
    public static String timestamp(Instant instant, ZoneId zone) {
        return instant == null ? NONE : TIMESTAMP.format(instant.atZone(zone));
    }

    /** As {@link #timestamp} with the zone's name appended, for the detail pane. */
    public static String timestampWithZone(Instant instant, ZoneId zone) {
        return instant == null ? NONE : TIMESTAMP_ZONE.format(instant.atZone(zone));
    }

    /**
     * A one-line preview of a JSON text for a table cell: line breaks and runs of blanks become one space, cut to
     * {@code maxChars} with an ellipsis. Null is empty.
     */
    public static String preview(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= maxChars ? line : line.substring(0, maxChars) + "…";
    }

    /** Messages per second, with one decimal below 10 and none above: {@code 0.5/s}, {@code 12/s}. */
    public static String rate(Double perSecond) {
        if (perSecond == null) {
            return NONE;
        }
        return perSecond < 10 ? String.format(Locale.ROOT, "%.1f/s", perSecond)
                : String.format(Locale.ROOT, "%.0f/s", perSecond);
    }
}
