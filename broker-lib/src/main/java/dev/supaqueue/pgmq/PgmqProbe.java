package dev.supaqueue.pgmq;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds out how pgmq is present in a database and which version of its API it offers. Read-only: it only
 * queries the catalogs (and the compat schema's marker function).
 */
public final class PgmqProbe {

    /** Features that appeared in a known pgmq version, newest first; the first one present sets the lower bound. */
    private static final List<Feature> FEATURES = List.of(
            new Feature(new PgmqVersion(1, 11, 1), "has_read_grouped_head"),
            new Feature(new PgmqVersion(1, 11, 0), "has_bind_topic"),
            new Feature(new PgmqVersion(1, 10, 0), "has_last_read_at"),
            new Feature(new PgmqVersion(1, 9, 0), "has_read_grouped"),
            new Feature(new PgmqVersion(1, 8, 0), "has_batch_set_vt"),
            new Feature(new PgmqVersion(1, 7, 0), "has_notify_insert"),
            new Feature(new PgmqVersion(1, 5, 0), "has_headers"));

    /** What every pgmq that has {@code pgmq.send} offers at least. */
    private static final PgmqVersion BASELINE = new PgmqVersion(1, 4, 0);

    private static final String FEATURE_PROBE_SQL = """
            SELECT
                EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                        WHERE pronamespace = 'pgmq'::regnamespace AND proname = 'read_grouped_head') AS has_read_grouped_head,
                EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                        WHERE pronamespace = 'pgmq'::regnamespace AND proname = 'bind_topic') AS has_bind_topic,
                EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = (SELECT typrelid FROM pg_catalog.pg_type
                                          WHERE oid = to_regtype('pgmq.message_record'))
                          AND attname = 'last_read_at' AND NOT attisdropped)
                    OR to_regprocedure('pgmq.set_vt(text,bigint,timestamp with time zone)') IS NOT NULL
                    AS has_last_read_at,
                EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                        WHERE pronamespace = 'pgmq'::regnamespace AND proname = 'read_grouped') AS has_read_grouped,
                to_regprocedure('pgmq.set_vt(text,bigint[],integer)') IS NOT NULL AS has_batch_set_vt,
                EXISTS (SELECT 1 FROM pg_catalog.pg_proc
                        WHERE pronamespace = 'pgmq'::regnamespace AND proname = 'enable_notify_insert') AS has_notify_insert,
                EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                        WHERE attrelid = (SELECT typrelid FROM pg_catalog.pg_type
                                          WHERE oid = to_regtype('pgmq.message_record'))
                          AND attname = 'headers' AND NOT attisdropped) AS has_headers
            """;

    private PgmqProbe() {
    }

    /**
     * Detects pgmq in the connected database: the extension (exact version from {@code pg_extension}), else
     * Supaqueue's compat schema (its marker function: API version and extra features), else pgmq installed as SQL (a version lower bound from
     * the functions and columns present), else absent. Also reports whether {@code pgmq_public} is present.
     */
    public static PgmqInstallation detect(Connection connection) throws SQLException {
        boolean publicWrappers = hasPublicWrappers(connection);

        String extensionVersion = queryString(connection,
                "SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'pgmq'");
        if (extensionVersion != null) {
            try {
                return new PgmqInstallation(PgmqFlavour.EXTENSION, PgmqVersion.parse(extensionVersion), false,
                        publicWrappers);
            } catch (IllegalArgumentException unusualVersionText) {
                // A packager's own version string: fall back to what the functions tell.
                return new PgmqInstallation(PgmqFlavour.EXTENSION, probeFeatures(connection), true, publicWrappers);
            }
        }

        if (hasCompatMarker(connection)) {
            return compatInstallation(connection, publicWrappers);
        }

        if (hasSendFunction(connection)) {
            return new PgmqInstallation(PgmqFlavour.SQL_ONLY, probeFeatures(connection), true, publicWrappers);
        }
        return new PgmqInstallation(PgmqFlavour.ABSENT, null, false, publicWrappers);
    }

    /** Whether the server can {@code CREATE EXTENSION pgmq} (it is in {@code pg_available_extensions}). */
    public static boolean extensionAvailable(Connection connection) throws SQLException {
        return queryBoolean(connection,
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pgmq')");
    }

    /**
     * What the connected role may do with pgmq. Read-only catalog checks; a missing schema counts as no right
     * (has_schema_privilege would raise an error on it, hence the CASE).
     */
    public static PgmqAccess access(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ACCESS_SQL);
             ResultSet row = statement.executeQuery()) {
            row.next();
            if (row.getBoolean("pgmq_usage") && row.getBoolean("pgmq_send")) {
                return PgmqAccess.FULL;
            }
            if (row.getBoolean("public_usage") && row.getBoolean("public_send")) {
                return PgmqAccess.PUBLIC_WRAPPERS_ONLY;
            }
            return PgmqAccess.NONE;
        }
    }

    /** Whether this connection is encrypted (pg_stat_ssl), or null when the server does not say. */
    public static Boolean usesTls(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_backend_pid()");
             ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getBoolean(1) : null;
        }
    }

    /** The compat schema's revision, or 0 when the database has no compat schema. */
    static int compatSchemaRevision(Connection connection) throws SQLException {
        if (!hasCompatMarker(connection)) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT schema_revision FROM pgmq._supaqueue_compat()");
             ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getInt(1) : 0;
        }
    }

    /**
     * The compat schema as its marker describes it: the API version, and from revision 2 the features it offers
     * beyond that version (a {@code features} column of lower-case {@link PgmqFeature} names). Names this code
     * does not know, from a newer revision, are ignored.
     */
    private static PgmqInstallation compatInstallation(Connection connection, boolean publicWrappers)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM pgmq._supaqueue_compat()");
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("pgmq._supaqueue_compat() returned no row; reinstall Supaqueue's"
                        + " pgmq-compatible schema");
            }
            PgmqVersion apiVersion = PgmqVersion.parse(row.getString("api_version"));
            Set<PgmqFeature> extras = EnumSet.noneOf(PgmqFeature.class);
            if (hasColumn(row.getMetaData(), "features")) {
                Array features = row.getArray("features");
                if (features != null) {
                    for (Object name : (Object[]) features.getArray()) {
                        knownFeature(name).ifPresent(extras::add);
                    }
                }
            }
            return new PgmqInstallation(PgmqFlavour.SUPAQUEUE_COMPAT, apiVersion, false, publicWrappers, extras);
        }
    }

    private static Optional<PgmqFeature> knownFeature(Object name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PgmqFeature.valueOf(name.toString().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    private static boolean hasColumn(ResultSetMetaData meta, String name) throws SQLException {
        for (int column = 1; column <= meta.getColumnCount(); column++) {
            if (meta.getColumnName(column).equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCompatMarker(Connection connection) throws SQLException {
        return queryBoolean(connection, "SELECT to_regprocedure('pgmq._supaqueue_compat()') IS NOT NULL");
    }

    private static boolean hasSendFunction(Connection connection) throws SQLException {
        return queryBoolean(connection, """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p
                               JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                               WHERE n.nspname = 'pgmq' AND p.proname = 'send')""");
    }

    private static boolean hasPublicWrappers(Connection connection) throws SQLException {
        return queryBoolean(connection, """
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p
                               JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                               WHERE n.nspname = 'pgmq_public' AND p.proname = 'send')""");
    }

    /** Only called when schema pgmq exists (the ::regnamespace casts would fail otherwise). */
    private static PgmqVersion probeFeatures(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FEATURE_PROBE_SQL);
             ResultSet row = statement.executeQuery()) {
            row.next();
            for (Feature feature : FEATURES) {
                if (row.getBoolean(feature.column())) {
                    return feature.since();
                }
            }
            return BASELINE;
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static final String ACCESS_SQL = """
            SELECT
              CASE WHEN to_regnamespace('pgmq') IS NULL THEN false
                   ELSE has_schema_privilege('pgmq', 'USAGE') END AS pgmq_usage,
              COALESCE((SELECT bool_or(has_function_privilege(p.oid, 'EXECUTE')) FROM pg_catalog.pg_proc p
                        WHERE p.pronamespace = to_regnamespace('pgmq') AND p.proname = 'send'), false) AS pgmq_send,
              CASE WHEN to_regnamespace('pgmq_public') IS NULL THEN false
                   ELSE has_schema_privilege('pgmq_public', 'USAGE') END AS public_usage,
              COALESCE((SELECT bool_or(has_function_privilege(p.oid, 'EXECUTE')) FROM pg_catalog.pg_proc p
                        WHERE p.pronamespace = to_regnamespace('pgmq_public') AND p.proname = 'send'), false)
                  AS public_send
            """;

    private record Feature(PgmqVersion since, String column) {
    }
}
