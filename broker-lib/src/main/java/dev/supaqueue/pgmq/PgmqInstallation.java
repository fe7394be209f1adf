package dev.supaqueue.pgmq;

import java.util.Objects;

/**
 * What {@link PgmqProbe#detect} found in a database.
 *
 * @param flavour              how pgmq is present
 * @param version              the pgmq API version; null exactly when {@code flavour} is {@link PgmqFlavour#ABSENT}
 * @param versionIsLowerBound  true when the version was estimated from the functions present (a SQL-only
 *                             install has no version row), so the real version may be newer
 * @param publicWrappers       whether Supabase's {@code pgmq_public} wrappers are present
 */
public record PgmqInstallation(PgmqFlavour flavour, PgmqVersion version, boolean versionIsLowerBound,
                               boolean publicWrappers) {

    public PgmqInstallation {
        Objects.requireNonNull(flavour, "flavour");
        if (flavour == PgmqFlavour.ABSENT && version != null) {
            throw new IllegalArgumentException("an absent pgmq has no version, but got " + version);
        }
        if (flavour != PgmqFlavour.ABSENT && version == null) {
            throw new IllegalArgumentException("a present pgmq (" + flavour + ") needs a version");
        }
    }

    /** One line in plain words, e.g. {@code "pgmq extension 1.5.1"} or {@code "no pgmq"}. */
    public String describe() {
        return switch (flavour) {
            case EXTENSION -> "pgmq extension " + versionWords();
            case SQL_ONLY -> "pgmq installed as SQL (no extension), version " + versionWords();
            case SUPAQUEUE_COMPAT -> "Supaqueue pgmq-compatible schema (pgmq " + version + " API)";
            case ABSENT -> "no pgmq";
        };
    }

    private String versionWords() {
        return versionIsLowerBound ? "≥ " + version + " by feature probe" : version.toString();
    }
}
