package dev.supaqueue.console.connection;

import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What "Test connection" found, step by step; a step that could not be reached is null (or false).
 *
 * @param profile          the tested profile
 * @param reachable        a TCP connection to host:port was accepted
 * @param authenticated    PostgreSQL accepted the user and password
 * @param tls              whether the session is encrypted
 * @param serverVersion    PostgreSQL's version, or null
 * @param pgmq             how pgmq is present, or null when not checked
 * @param rights           what the user may do with queues, or null when not checked
 * @param problem          the failure in plain words, or null
 * @param devSchemaOffered whether the console offers to install its development schema (local host, no pgmq)
 */
public record ConnectionReport(ConnectionProfile profile, boolean reachable, boolean authenticated, TlsState tls,
                               String serverVersion, PgmqInstallation pgmq, RoleRights rights, String problem,
                               boolean devSchemaOffered) {

    public ConnectionReport {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(tls, "tls");
    }

    /** Everything worked and pgmq is usable by this user. */
    public boolean ok() {
        return problem == null && pgmq != null && pgmq.flavour() != PgmqFlavour.ABSENT && rights != RoleRights.NONE;
    }

    /** The findings as sentences, in the order they were checked. */
    public List<String> lines() {
        String where = profile.host() + ":" + profile.port();
        List<String> lines = new ArrayList<>();
        lines.add(reachable ? "Reachable: " + where + " accepts connections." : "Not reachable: " + where + ".");
        if (reachable) {
            lines.add(authenticated
                    ? "Logged in as '" + profile.user() + "' to database '" + profile.database() + "'"
                    + (serverVersion == null ? "." : " (PostgreSQL " + serverVersion + ").")
                    : "Not logged in.");
        }
        if (authenticated) {
            lines.add(switch (tls) {
                case IN_USE -> "TLS in use: the connection is encrypted.";
                case NOT_IN_USE -> "TLS not in use: the connection is not encrypted"
                        + (profile.isLocalHost() ? " (fine on this machine)." : ".");
                case UNKNOWN -> "TLS: could not be determined.";
            });
            PoolerMode mode = PoolerMode.of(profile.host(), profile.port());
            if (mode != PoolerMode.DIRECT) {
                lines.add(mode.explanation());
            }
        }
        if (pgmq != null) {
            lines.add(pgmq.flavour() == PgmqFlavour.ABSENT
                    ? "pgmq is missing in this database."
                    : "pgmq found: " + pgmq.describe()
                    + (pgmq.publicWrappers() ? ", with Supabase's pgmq_public wrappers." : "."));
        }
        if (rights != null) {
            lines.add(rights.words());
        }
        if (devSchemaOffered) {
            lines.add("This local database has no pgmq: you can install Supaqueue's development schema"
                    + " (pgmq-compatible, for local work only).");
        }
        if (problem != null) {
            lines.add(problem);
        }
        return List.copyOf(lines);
    }
}
