package dev.supaqueue.cli;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The actor that {@link WorkerProcessIT} runs in worker processes, found through this test tree's
 * {@code META-INF/services}: {@code record(key)} on queue {@code jobs} sleeps, then inserts (key, pid) into a table.
 * The test passes the table and the sleep as system properties of the worker process.
 */
public final class RecordingActorProvider implements ActorProvider {

    static final String TABLE_PROPERTY = "supaqueue.it.table";
    static final String SLEEP_PROPERTY = "supaqueue.it.sleepMillis";
    static final String QUEUE = "jobs";
    static final String ACTOR = "record";

    private Connection connection;

    @Override
    public void declareActors(Broker broker) {
        String table = System.getProperty(TABLE_PROPERTY);
        if (table == null || !table.matches("[a-z0-9_]+")) {
            throw new IllegalStateException("RecordingActorProvider is a test provider: set -D" + TABLE_PROPERTY
                    + " to the table it records into");
        }
        long sleepMillis = Long.getLong(SLEEP_PROPERTY, 0);
        SupabaseBrokerSettings settings = ((SupabaseBroker) broker).settings();
        long pid = ProcessHandle.current().pid();
        ActorDefinition.named(ACTOR).queue(QUEUE).parameterNames("key").on(broker).consumer(String.class, key -> {
            if (sleepMillis > 0) {
                Thread.sleep(sleepMillis);
            }
            record(settings, table, key, pid);
        });
    }

    /** One connection, shared: inserts are short next to the tasks, and the test counts rows, not speed. */
    private synchronized void record(SupabaseBrokerSettings settings, String table, String key, long pid)
            throws SQLException {
        if (connection == null || connection.isClosed()) {
            Properties properties = new Properties();
            properties.putAll(settings.driverOptions());
            properties.setProperty("user", settings.user());
            if (settings.password() != null) {
                properties.setProperty("password", settings.password());
            }
            connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (key, pid) VALUES (?, ?)")) {
            insert.setString(1, key);
            insert.setLong(2, pid);
            insert.executeUpdate();
        }
    }
}
