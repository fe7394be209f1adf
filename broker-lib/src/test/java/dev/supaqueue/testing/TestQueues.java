package dev.supaqueue.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique pgmq queue names for one test, and the clean-up of every queue the test made.
 *
 * <p>Names carry a random part so that runs sharing a database (an explicit {@code SUPAQUEUE_TEST_JDBC_URL})
 * never see each other's queues.
 */
public final class TestQueues implements AutoCloseable {

    /** Leaves room for suffixes such as {@code _xq} within pgmq's 47 characters. */
    static final int MAX_NAME_LENGTH = 40;

    private static final AtomicInteger sequence = new AtomicInteger();

    private final TestDatabaseServer server;
    private final List<String> created = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();

    TestQueues(TestDatabaseServer server) {
        this.server = server;
    }

    /** A fresh name such as {@code t_jobs_7_k3x9q2}, not yet created. Remember it with {@link #track}. */
    public String newName(String hint) {
        String cleanHint = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String suffix = "_" + sequence.incrementAndGet() + "_" + randomPart();
        int room = MAX_NAME_LENGTH - 2 - suffix.length();
        return "t_" + cleanHint.substring(0, Math.min(room, cleanHint.length())) + suffix;
    }

    /**
     * A fresh broker namespace such as {@code t7k3x9}; every pgmq queue under it ({@code <namespace>_...}) is
     * dropped after the test.
     */
    public String newNamespace() {
        String namespace = "t" + sequence.incrementAndGet() + randomPart();
        synchronized (created) {
            namespaces.add(namespace);
        }
        return namespace;
    }

    /** Creates a queue with {@code pgmq.create} and drops it after the test. */
    public String create(String hint) throws SQLException {
        String name = newName(hint);
        try (Connection connection = server.connect();
             PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            create.setString(1, name);
            create.execute();
        }
        return track(name);
    }

    /** Drops this queue after the test (for queues the test creates itself). */
    public String track(String name) {
        synchronized (created) {
            created.add(name);
        }
        return name;
    }

    @Override
    public void close() throws SQLException {
        List<String> names;
        List<String> prefixes;
        synchronized (created) {
            names = List.copyOf(created);
            prefixes = List.copyOf(namespaces);
            created.clear();
            namespaces.clear();
        }
        if (names.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        try (Connection connection = server.connect()) {
            for (String name : names) {
                dropIfPresent(connection, name);
            }
            for (String namespace : prefixes) {
                try (PreparedStatement drop = connection.prepareStatement(
                        "SELECT pgmq.drop_queue(queue_name::text) FROM pgmq.meta"
                                + " WHERE starts_with(queue_name::text, ?::text || '_')")) {
                    drop.setString(1, namespace);
                    drop.execute();
                }
            }
        }
    }

    private static void dropIfPresent(Connection connection, String name) throws SQLException {
        // drop_queue raises on a missing queue before pgmq 1.6, so ask pgmq.meta first.
        try (PreparedStatement drop = connection.prepareStatement(
                "SELECT pgmq.drop_queue(queue_name::text) FROM pgmq.meta WHERE queue_name = ?::text")) {
            drop.setString(1, name);
            drop.execute();
        }
    }

    private static String randomPart() {
        return Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36),
                Character.MAX_RADIX);
    }
}
