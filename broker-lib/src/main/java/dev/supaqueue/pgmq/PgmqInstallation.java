package dev.supaqueue.pgmq;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link PgmqProbe#detect} found in a database.
 *
 * @param flavour              how pgmq is present
 * @param version              the pgmq API version; null exactly when {@code flavour} is {@link PgmqFlavour#ABSENT}
 * @param versionIsLowerBound  true when the version was estimated from the functions present (a SQL-only
 *                             install has no version row), so the real version may be newer
 * @param publicWrappers       whether Supabase's {@code pgmq_public} wrappers are present
 * @param extraFeatures        features offered beyond what {@code version} has: Supaqueue's compat schema
 *                             (API 1.5.1) from revision 2 adds {@link PgmqFeature#NOTIFY_INSERT}; empty for a
 *                             real pgmq, whose version says it all
 */
public record PgmqInstallation(PgmqFlavour flavour, PgmqVersion version, boolean versionIsLowerBound,
                               boolean publicWrappers, Set<PgmqFeature> extraFeatures) {

    public PgmqInstallation {
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(extraFeatures, "extraFeatures");
        if (flavour == PgmqFlavour.ABSENT && version != null) {
            throw new IllegalArgumentException("an absent pgmq has no version, but got " + version);
        }
        if (flavour != PgmqFlavour.ABSENT && version == null) {
            throw new IllegalArgumentException("a present pgmq (" + flavour + ") needs a version");
        }
        if (flavour == PgmqFlavour.ABSENT && !extraFeatures.isEmpty()) {
            throw new IllegalArgumentException("an absent pgmq has no features, but got " + extraFeatures);
        }
        extraFeatures = extraFeatures.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(extraFeatures));
    }

    /** An installation that offers exactly what its version has. */
    public PgmqInstallation(PgmqFlavour flavour, PgmqVersion version, boolean versionIsLowerBound,
                            boolean publicWrappers) {
        this(flavour, version, versionIsLowerBound, publicWrappers, Set.of());
    }

    /** Whether this installation has the feature: by its version, or as one of its extra features. */
    public boolean supports(PgmqFeature feature) {
        return feature.supportedBy(version) || extraFeatures.contains(feature);
    }

    /** The same installation, with or without the {@code pgmq_public} wrappers. */
    public PgmqInstallation withPublicWrappers(boolean present) {
        return new PgmqInstallation(flavour, version, versionIsLowerBound, present, extraFeatures);
    }

    /**
     * One line in plain words, e.g. {@code "pgmq extension 1.5.1"}, {@code "Supaqueue pgmq-compatible schema
     * (pgmq 1.5.1 API, with insert notifications)"} or {@code "no pgmq"}.
     */
    public String describe() {
        return switch (flavour) {
            case EXTENSION -> "pgmq extension " + versionWords() + extrasWords();
            case SQL_ONLY -> "pgmq installed as SQL (no extension), version " + versionWords() + extrasWords();
            case SUPAQUEUE_COMPAT -> "Supaqueue pgmq-compatible schema (pgmq " + version + " API"
                    + extrasWords() + ")";
            case ABSENT -> "no pgmq";
        };
    }

    private String versionWords() {
        return versionIsLowerBound ? "≥ " + version + " by feature probe" : version.toString();
    }

    private String extrasWords() {
        if (extraFeatures.isEmpty()) {
            return "";
        }
        return ", with " + EnumSet.copyOf(extraFeatures).stream().map(PgmqInstallation::featureWords)
                .collect(Collectors.joining(", "));
    }

    private static String featureWords(PgmqFeature feature) {
        return feature == PgmqFeature.NOTIFY_INSERT ? "insert notifications"
                : feature.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
