package dev.supaqueue.pgmq;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pgmq version such as 1.5.1, used to gate features (headers from 1.5.0, batch {@code set_vt} from 1.8.0, ...).
 *
 * @param major the major version, not negative
 * @param minor the minor version, not negative
 * @param patch the patch version, not negative (0 when the text had none)
 */
public record PgmqVersion(int major, int minor, int patch) implements Comparable<PgmqVersion> {

    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})(?:\\.(\\d{1,9}))?");

    private static final Comparator<PgmqVersion> ORDER = Comparator.comparingInt(PgmqVersion::major)
            .thenComparingInt(PgmqVersion::minor)
            .thenComparingInt(PgmqVersion::patch);

    public PgmqVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "pgmq version parts must not be negative: " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Parses {@code "1.5.1"} or {@code "1.4"} (patch 0), as {@code pg_extension.extversion} shows them.
     *
     * @throws IllegalArgumentException if the text is null or not {@code major.minor[.patch]}
     */
    public static PgmqVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("pgmq version is missing (null); expected major.minor[.patch], e.g. 1.5.1");
        }
        Matcher matcher = VERSION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "Not a pgmq version: \"" + text + "\"; expected major.minor[.patch], e.g. 1.5.1");
        }
        String patch = matcher.group(3);
        return new PgmqVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                patch == null ? 0 : Integer.parseInt(patch));
    }

    /** Whether this version is the given one or newer. */
    public boolean atLeast(int major, int minor, int patch) {
        return compareTo(new PgmqVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(PgmqVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
