package dev.supaqueue.console.connection;

import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;

/**
 * When the console offers to install Supaqueue's pgmq-compatible development schema: only for a database on this
 * machine (127.0.0.1, localhost, ::1) that has no pgmq at all. Never for a remote host, where the schema would be
 * a surprise in somebody's shared or production database, and never over a real pgmq.
 */
public final class DevSchemaOffer {

    private DevSchemaOffer() {
    }

    public static boolean applies(ConnectionProfile profile, PgmqInstallation installation) {
        return profile.isLocalHost() && installation != null && installation.flavour() == PgmqFlavour.ABSENT;
    }
}
