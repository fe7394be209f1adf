package dev.supaqueue.broker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LISTEN connection per broker for pgmq's insert notifications (channel {@code pgmq.q_<queue>.INSERT},
 * pgmq ≥ 1.7), routed to the consumers' {@link QueueWakeup}s. Consumers keep polling as well, so a lost
 * connection only makes them slower until it is back: the listener reconnects with backoff.
 */
final class NotificationListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final Supplier<Connection> connections;
    private final Map<String, QueueWakeup> wakeupsByChannel = new ConcurrentHashMap<>();
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    NotificationListener(Supplier<Connection> connections, String name) {
        this.connections = connections;
        this.thread = new Thread(this::run, "supaqueue-listener-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Routes notifications of a pgmq queue to this wakeup. */
    void register(String pgmqQueue, QueueWakeup wakeup) {
        wakeupsByChannel.put("pgmq.q_" + pgmqQueue + ".INSERT", wakeup);
    }

    boolean connected() {
        return connection != null;
    }

    private void run() {
        long backoffMillis = 500;
        while (running) {
            try (Connection c = connections.get()) {
                connection = c;
                listening.clear();
                backoffMillis = 500;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    listenToNewChannels(c);
                    PGNotification[] notifications = pg.getNotifications(250);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            QueueWakeup wakeup = wakeupsByChannel.get(notification.getName());
                            if (wakeup != null) {
                                wakeup.signal();
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connection = null;
                if (!running) {
                    return;
                }
                log.warn("LISTEN connection lost ({}); consumers poll until it is back in {} ms", e.getMessage(),
                        backoffMillis);
                sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, Duration.ofSeconds(30).toMillis());
            }
        }
    }

    private void listenToNewChannels(Connection c) throws SQLException {
        for (String channel : wakeupsByChannel.keySet()) {
            if (listening.contains(channel)) {
                continue;
            }
            // LISTEN takes no parameters: let the server quote the channel name as an identifier.
            String sql;
            try (PreparedStatement quote = c.prepareStatement("SELECT 'LISTEN ' || quote_ident(?::text)")) {
                quote.setString(1, channel);
                try (ResultSet row = quote.executeQuery()) {
                    row.next();
                    sql = row.getString(1);
                }
            }
            try (Statement listen = c.createStatement()) {
                listen.execute(sql);
            }
            listening.add(channel);
            log.debug("Listening on {}", channel);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the LISTEN connection failed", e);
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
