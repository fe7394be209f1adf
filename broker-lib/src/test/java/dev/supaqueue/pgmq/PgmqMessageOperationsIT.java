package dev.supaqueue.pgmq;

import static dev.supaqueue.testing.PgmqSql.bigintArray;
import static dev.supaqueue.testing.PgmqSql.read;
import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.PgmqSql.ArchivedRow;
import dev.supaqueue.testing.PgmqSql.MessageRow;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** set_vt, pop, delete and archive, one id at a time and by arrays of ids. */
@PgmqIntegrationTest
class PgmqMessageOperationsIT {

    @Test
    void setVtMakesAnInFlightMessageVisibleNowWithoutCountingARead(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("set_vt_now");
        try (Connection connection = db.connect()) {
            long id = send(connection, queue, "{\"s\":1}");
            read(connection, queue, 300, 1);
            assertThat(read(connection, queue, 300, 1)).isEmpty();

            List<MessageRow> changed = PgmqSql.rows(connection,
                    "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::integer)", queue, id, 0);
            assertThat(changed).extracting(MessageRow::msgId).containsExactly(id);
            assertThat(changed.get(0).readCt()).isEqualTo(1);

            List<MessageRow> again = read(connection, queue, 30, 1);
            assertThat(again).extracting(MessageRow::msgId).containsExactly(id);
            assertThat(again.get(0).readCt()).isEqualTo(2);
        }
    }

    @Test
    void setVtPostponesAVisibleMessage(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("set_vt_later");
        try (Connection connection = db.connect()) {
            long id = send(connection, queue, "{\"s\":2}");
            OffsetDateTime before = PgmqDelayIT.serverNow(connection);

            List<MessageRow> changed = PgmqSql.rows(connection,
                    "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::integer)", queue, id, 60);
            assertThat(changed.get(0).vt()).isBetween(before.plusSeconds(59), before.plusSeconds(62));
            assertThat(changed.get(0).readCt()).isZero();
            assertThat(read(connection, queue, 30, 1)).isEmpty();
        }
    }

    @Test
    void setVtOfAMissingMessageReturnsNothing(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("set_vt_missing");
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.rows(connection, "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::integer)",
                    queue, 424242L, 0)).isEmpty();
        }
    }

    @Test
    void popReturnsTheOldestVisibleMessageAndDeletesIt(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("pop");
        try (Connection connection = db.connect()) {
            long first = send(connection, queue, "{\"p\":1}");
            long second = send(connection, queue, "{\"p\":2}");

            List<MessageRow> popped = PgmqSql.rows(connection, "SELECT * FROM pgmq.pop(?::text)", queue);
            assertThat(popped).extracting(MessageRow::msgId).containsExactly(first);
            assertThat(popped.get(0).readCt()).as("pop is not counted as a read").isZero();

            assertThat(queueLength(connection, queue)).isEqualTo(1);
            assertThat(read(connection, queue, 30, 10)).extracting(MessageRow::msgId).containsExactly(second);
            assertThat(PgmqSql.rows(connection, "SELECT * FROM pgmq.pop(?::text)", queue))
                    .as("in-flight messages are not popped").isEmpty();
        }
    }

    @Test
    void deleteRemovesOneOrManyMessagesAndReportsWhatItRemoved(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("delete");
        try (Connection connection = db.connect()) {
            long a = send(connection, queue, "{\"x\":1}");
            long b = send(connection, queue, "{\"x\":2}");
            long c = send(connection, queue, "{\"x\":3}");

            assertThat(bool(connection, "SELECT pgmq.delete(?::text, ?::bigint)", queue, a)).isTrue();
            assertThat(bool(connection, "SELECT pgmq.delete(?::text, ?::bigint)", queue, a))
                    .as("already gone").isFalse();

            List<Long> deleted = PgmqSql.longs(connection, "SELECT * FROM pgmq.delete(?::text, ?::bigint[])",
                    queue, bigintArray(connection, List.of(b, c, 987_654_321L)));
            assertThat(deleted).containsExactlyInAnyOrder(b, c);
            assertThat(queueLength(connection, queue)).isZero();
            assertThat(PgmqSql.archive(connection, queue)).as("delete does not archive").isEmpty();
        }
    }

    @Test
    void archiveMovesMessagesToTheArchiveWithArchivedAt(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("archive");
        try (Connection connection = db.connect()) {
            long a = send(connection, queue, "{\"y\":1}");
            long b = send(connection, queue, "{\"y\":2}");
            long c = send(connection, queue, "{\"y\":3}");
            read(connection, queue, 30, 1);
            OffsetDateTime before = PgmqDelayIT.serverNow(connection);

            assertThat(bool(connection, "SELECT pgmq.archive(?::text, ?::bigint)", queue, a)).isTrue();
            assertThat(bool(connection, "SELECT pgmq.archive(?::text, ?::bigint)", queue, a)).isFalse();
            List<Long> archived = PgmqSql.longs(connection, "SELECT * FROM pgmq.archive(?::text, ?::bigint[])",
                    queue, bigintArray(connection, List.of(b, c, 987_654_321L)));
            assertThat(archived).containsExactlyInAnyOrder(b, c);

            assertThat(queueLength(connection, queue)).isZero();
            List<ArchivedRow> rows = PgmqSql.archive(connection, queue);
            assertThat(rows).extracting(ArchivedRow::msgId).containsExactly(a, b, c);
            assertThat(rows).extracting(ArchivedRow::readCt).containsExactly(1, 0, 0);
            assertThat(rows).extracting(ArchivedRow::message)
                    .containsExactly("{\"y\": 1}", "{\"y\": 2}", "{\"y\": 3}");
            assertThat(rows).allSatisfy(row ->
                    assertThat(row.archivedAt()).isBetween(before.minusSeconds(5), before.plusSeconds(60)));
        }
    }

    static long queueLength(Connection connection, String queue) throws Exception {
        return PgmqSql.single(connection, "SELECT queue_length FROM pgmq.metrics(?::text)", queue);
    }

    static boolean bool(Connection connection, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }
}
