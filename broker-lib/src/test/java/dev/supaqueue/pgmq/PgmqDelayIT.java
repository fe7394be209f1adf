package dev.supaqueue.pgmq;

import static dev.supaqueue.testing.PgmqSql.read;
import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.PgmqSql.MessageRow;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pgmq's native delays: whole seconds, or an absolute time. */
@PgmqIntegrationTest
class PgmqDelayIT {

    @Test
    void messageDelayedBySecondsBecomesReadableOnlyAfterTheDelay(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("delay_seconds");
        try (Connection connection = db.connect()) {
            long delayed = send(connection, queue, "{\"d\":1}", 1);
            long now = send(connection, queue, "{\"d\":0}", 0);

            assertThat(read(connection, queue, 30, 10)).extracting(MessageRow::msgId).containsExactly(now);

            Thread.sleep(1_300);
            List<MessageRow> later = read(connection, queue, 30, 10);
            assertThat(later).extracting(MessageRow::msgId).containsExactly(delayed);
            assertThat(later.get(0).readCt()).as("a delay is not a delivery").isEqualTo(1);
        }
    }

    @Test
    void messageDelayedUntilATimestampBecomesReadableAtThatTime(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("delay_timestamp");
        try (Connection connection = db.connect()) {
            OffsetDateTime visibleAt = serverNow(connection).plusNanos(1_200_000_000L);
            long id = send(connection, queue, "{\"at\":true}", visibleAt);

            assertThat(read(connection, queue, 30, 10)).isEmpty();
            assertThat(visibleLength(connection, queue)).isZero();

            Thread.sleep(1_500);
            assertThat(read(connection, queue, 30, 10)).extracting(MessageRow::msgId).containsExactly(id);
        }
    }

    @Test
    void batchSendWithDelayHidesEveryMessage(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("delay_batch");
        try (Connection connection = db.connect()) {
            List<Long> ids;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[], ?::integer)")) {
                statement.setString(1, queue);
                statement.setArray(2, connection.createArrayOf("jsonb", new Object[] {"{\"b\":1}", "{\"b\":2}"}));
                statement.setInt(3, 1);
                try (ResultSet rows = statement.executeQuery()) {
                    ids = new java.util.ArrayList<>();
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            assertThat(ids).hasSize(2);
            assertThat(read(connection, queue, 30, 10)).isEmpty();

            Thread.sleep(1_300);
            assertThat(read(connection, queue, 30, 10)).extracting(MessageRow::msgId)
                    .containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    static OffsetDateTime serverNow(Connection connection) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getObject(1, OffsetDateTime.class);
        }
    }

    static long visibleLength(Connection connection, String queue) throws Exception {
        return PgmqSql.single(connection, "SELECT queue_visible_length FROM pgmq.metrics(?::text)", queue);
    }
}
