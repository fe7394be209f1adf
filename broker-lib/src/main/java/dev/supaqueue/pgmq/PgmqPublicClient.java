package dev.supaqueue.pgmq;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Sends through Supabase's {@code pgmq_public} wrappers ("Expose Queues via PostgREST"), for roles that may
 * call them but have no rights on the {@code pgmq} schema's functions. Only sending is offered: the wrappers
 * have no headers, no visibility extension and no queue management, so such a role can produce but not work.
 * Delays are whole seconds, rounded up.
 */
public final class PgmqPublicClient {

    private final DataSource dataSource;

    public PgmqPublicClient(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** {@code pgmq_public.send(queue_name, message, sleep_seconds)}; returns the new message id. */
    public long send(String queue, String jsonMessage, Duration delay) {
        PgmqQueueName.validate(queue);
        Objects.requireNonNull(jsonMessage, "jsonMessage");
        int sleepSeconds = wholeSecondsRoundedUp(delay);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement send = connection.prepareStatement(
                     "SELECT * FROM pgmq_public.send(queue_name => ?::text, message => ?::jsonb,"
                             + " sleep_seconds => ?::integer)")) {
            send.setString(1, queue);
            send.setString(2, jsonMessage);
            send.setInt(3, sleepSeconds);
            try (ResultSet row = send.executeQuery()) {
                if (!row.next()) {
                    throw new PgmqException("pgmq_public.send", queue, "returned no message id");
                }
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new PgmqException("pgmq_public.send", queue, e);
        }
    }

    static int wholeSecondsRoundedUp(Duration delay) {
        if (delay == null || delay.isZero()) {
            return 0;
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        long millis = delay.toMillis();
        return Math.toIntExact((millis + 999) / 1000);
    }
}
