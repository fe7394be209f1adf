package dev.supaqueue.reliability;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor that the scenarios' worker processes run: {@code record(key, sleepMillis)} on queue
 * {@value #QUEUE} sleeps, then inserts one row per execution (key, pid, start, end) into the table named by the
 * system property {@value #TABLE_PROPERTY}. Without that property it declares nothing, so it stays inert in a
 * worker started for something else.
 *
 * <p>The insert survives terminated connections and a server restart: it reconnects and retries for up to
 * {@value #RECORD_RETRY_MILLIS} ms. Each execution has its own id with {@code ON CONFLICT DO NOTHING}, so an insert
 * that committed just before its connection died is not counted twice when it is retried.
 */
public final class RecordingActors implements ActorProvider {

    public static final String TABLE_PROPERTY = "supaqueue.reliability.table";
    public static final String QUEUE = "reliability";
    public static final String ACTOR = "record";

    private static final long RECORD_RETRY_MILLIS = 60_000;
    private static final Logger log = LoggerFactory.getLogger(RecordingActors.class);

    private Connection connection;

    @Override
    public void declareActors(Broker broker) {
        String table = System.getProperty(TABLE_PROPERTY);
        if (table == null) {
            return;
        }
        ExecutionsTable.requireValidName(table);
        SupabaseBrokerSettings settings = ((SupabaseBroker) broker).settings();
        long pid = ProcessHandle.current().pid();
        ActorDefinition.named(ACTOR).queue(QUEUE).parameterNames("key", "sleepMillis").on(broker)
                .consumer(String.class, Long.class, (key, sleepMillis) -> {
                    Instant started = Instant.now();
                    if (sleepMillis != null && sleepMillis > 0) {
                        Thread.sleep(sleepMillis);
                    }
                    record(settings, table, key, pid, started, Instant.now());
                });
    }

    /** One connection per process, shared: inserts are short next to the tasks and keep the connection count low. */
    private synchronized void record(SupabaseBrokerSettings settings, String table, String key, long pid,
                                     Instant started, Instant finished) throws SQLException, InterruptedException {
        String executionId = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + RECORD_RETRY_MILLIS;
        long backoff = 50;
        while (true) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = connect(settings);
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                        + " (execution_id, key, pid, started_at, finished_at) VALUES (?::uuid, ?, ?, ?, ?)"
                        + " ON CONFLICT (execution_id) DO NOTHING")) {
                    insert.setString(1, executionId);
                    insert.setString(2, key);
                    insert.setLong(3, pid);
                    insert.setTimestamp(4, Timestamp.from(started));
                    insert.setTimestamp(5, Timestamp.from(finished));
                    insert.executeUpdate();
                }
                return;
            } catch (SQLException e) {
                closeQuietly();
                if (System.currentTimeMillis() + backoff > deadline) {
                    throw e;
                }
                log.warn("Recording {} failed ({}); reconnecting in {} ms", key, e.getMessage(), backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 1_000);
            }
        }
    }

    private static Connection connect(SupabaseBrokerSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.putAll(settings.driverOptions());
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already broken: that is why it is being closed.
            }
            connection = null;
        }
    }
}
