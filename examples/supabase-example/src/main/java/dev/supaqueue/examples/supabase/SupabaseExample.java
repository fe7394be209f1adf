package dev.supaqueue.examples.supabase;

import dev.supaqueue.actor.Actor2;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqInstaller;
import dev.supaqueue.pgmq.PgmqProbe;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Sends a few {@code add(a, b)} messages to Supabase Queues, runs a worker until they are processed, prints the
 * results, and drops the example's queues.
 *
 * <p>The database comes from {@code SUPAQUEUE_DATABASE_URL} (default
 * {@value #DEFAULT_DATABASE_URL}). A local database without pgmq gets Supaqueue's pgmq-compatible development
 * schema first; any other database must have pgmq already (on Supabase: Integrations &gt; Queues).
 */
public final class SupabaseExample {

    static final String DATABASE_URL_ENV = "SUPAQUEUE_DATABASE_URL";
    static final String DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final int[][] ADDITIONS = {{1, 2}, {3, 4}, {5, 6}, {10, 20}, {100, 200}};

    private SupabaseExample() {
    }

    public static void main(String[] args) throws Exception {
        String uri = System.getenv(DATABASE_URL_ENV);
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder()
                .uri(uri == null || uri.isBlank() ? DEFAULT_DATABASE_URL : uri)
                .namespace(ExampleActors.NAMESPACE).build();
        try {
            ensurePgmq(settings, System.out);
        } catch (SQLException e) {
            System.err.println("Cannot reach PostgreSQL at " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage() + "\nSet " + DATABASE_URL_ENV + " to your database's URI.");
            System.exit(1);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        run(settings, System.out);
    }

    /** Whether the example may install pgmq itself: only into a local database that has none. */
    static boolean installsPgmq(String host, PgmqFlavour flavour) {
        return flavour == PgmqFlavour.ABSENT && LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks that the database has pgmq; a local one without it gets it (the extension if the server has it,
     * otherwise Supaqueue's pgmq-compatible schema, for development only).
     *
     * @throws IllegalStateException if a database that is not local has no pgmq
     */
    static void ensurePgmq(SupabaseBrokerSettings settings, PrintStream out) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings.driverOptions());
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
            PgmqInstallation found = PgmqProbe.detect(connection);
            String where = "database " + settings.database() + " at " + settings.host() + ":" + settings.port();
            if (installsPgmq(settings.host(), found.flavour())) {
                out.println("pgmq is absent from the local " + where + "; installing it for development...");
                out.println("Installed: " + PgmqInstaller.ensureInstalled(connection).describe());
            } else if (found.flavour() == PgmqFlavour.ABSENT) {
                throw new IllegalStateException("The " + where + " has no pgmq. On Supabase, enable Queues"
                        + " (Integrations > Queues) and run the example again.");
            } else {
                out.println("Using " + found.describe() + " in the " + where);
            }
        }
    }

    /**
     * Sends the additions, runs a worker until the queue is empty, prints and returns the sums in the order sent,
     * and drops the example's queues.
     */
    static List<Integer> run(SupabaseBrokerSettings settings, PrintStream out) throws InterruptedException {
        ResultCollector results = new ResultCollector();
        // Dramatiq's default middleware (retries, time limit, callbacks, pipelines, ...) and the collector.
        try (SupabaseBroker broker = new SupabaseBroker(settings, DefaultMiddleware.with(results))) {
            Actor2<Integer, Integer, Integer> add = ExampleActors.add(broker, out);
            try {
                List<Message> sent = new ArrayList<>();
                for (int[] pair : ADDITIONS) {
                    sent.add(add.send(pair[0], pair[1]));
                }
                out.println("Sent " + sent.size() + " messages to pgmq queue " + broker.pgmqQueue(add.queueName()));

                Worker worker = new Worker(broker, WorkerOptions.builder().workerThreads(2).build());
                worker.start();
                try {
                    broker.join(add.queueName(), Duration.ofSeconds(60));
                    worker.join(Duration.ofSeconds(10));
                } finally {
                    worker.stop(Duration.ofSeconds(5));
                }

                List<Integer> sums = new ArrayList<>();
                out.println("Results:");
                for (Message message : sent) {
                    Object sum = results.result(message.messageId()).orElse(null);
                    out.println("  " + message.actorName() + message.args() + " -> " + sum + "  (message "
                            + message.messageId() + ")");
                    sums.add(sum == null ? null : ((Number) sum).intValue());
                }
                return sums;
            } finally {
                // The example leaves nothing behind: its queue and the queue's dead letters.
                broker.client().dropQueue(broker.pgmqQueue(add.queueName()));
                broker.client().dropQueue(broker.deadLetterQueue(add.queueName()));
                out.println("Dropped queues " + broker.pgmqQueue(add.queueName()) + " and "
                        + broker.deadLetterQueue(add.queueName()));
            }
        }
    }
}
