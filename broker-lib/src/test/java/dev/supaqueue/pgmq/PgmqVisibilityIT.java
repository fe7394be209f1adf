package dev.supaqueue.pgmq;

import static dev.supaqueue.testing.PgmqSql.read;
import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql.MessageRow;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A read message stays hidden for its visibility timeout, then comes back with a higher read count. */
@PgmqIntegrationTest
class PgmqVisibilityIT {

    @Test
    void readMessageIsInvisibleUntilItsVisibilityTimeoutPasses(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("visibility");
        try (Connection connection = db.connect()) {
            long id = send(connection, queue, "{\"job\":1}");

            List<MessageRow> first = read(connection, queue, 1, 10);
            assertThat(first).extracting(MessageRow::msgId).containsExactly(id);
            assertThat(first.get(0).readCt()).isEqualTo(1);
            assertThat(first.get(0).vt()).isAfter(first.get(0).enqueuedAt());

            assertThat(read(connection, queue, 1, 10)).as("hidden while its vt lasts").isEmpty();

            Thread.sleep(1_300);
            List<MessageRow> again = read(connection, queue, 30, 10);
            assertThat(again).extracting(MessageRow::msgId).containsExactly(id);
            assertThat(again.get(0).readCt()).isEqualTo(2);
            assertThat(again.get(0).message()).isEqualTo("{\"job\": 1}");
        }
    }

    @Test
    void readReturnsAtMostQtyMessagesOldestFirstAndSkipsInvisibleOnes(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("qty");
        try (Connection connection = db.connect()) {
            long a = send(connection, queue, "{\"n\":1}");
            long b = send(connection, queue, "{\"n\":2}");
            long c = send(connection, queue, "{\"n\":3}");

            // pgmq does not promise an output order, only which rows it takes: the lowest ids.
            assertThat(read(connection, queue, 30, 2)).extracting(MessageRow::msgId).containsExactlyInAnyOrder(a, b);
            assertThat(read(connection, queue, 30, 2)).extracting(MessageRow::msgId).containsExactly(c);
            assertThat(read(connection, queue, 30, 2)).isEmpty();
        }
    }

    @Test
    void conditionalReadOnlyTakesMessagesContainingTheGivenJson(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("conditional");
        try (Connection connection = db.connect()) {
            send(connection, queue, "{\"actor_name\":\"a\"}");
            long wanted = send(connection, queue, "{\"actor_name\":\"b\",\"x\":1}");

            List<MessageRow> rows = dev.supaqueue.testing.PgmqSql.rows(connection,
                    "SELECT * FROM pgmq.read(?::text, ?::integer, ?::integer, ?::jsonb)",
                    queue, 30, 10, "{\"actor_name\":\"b\"}");
            assertThat(rows).extracting(MessageRow::msgId).containsExactly(wanted);
        }
    }
}
