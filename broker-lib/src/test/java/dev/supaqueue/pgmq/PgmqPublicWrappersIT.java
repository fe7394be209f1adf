package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.PgmqSql.MessageRow;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Supabase's {@code pgmq_public} wrappers behave like the pgmq functions they wrap. They are called with
 * named arguments, as Supabase's Data API (PostgREST) calls them, so the parameter names are pinned too.
 */
@PgmqIntegrationTest
class PgmqPublicWrappersIT {

    @Test
    void sendAndReadThroughTheWrappers(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("public_send");
        try (Connection connection = db.connect()) {
            long id = PgmqSql.single(connection,
                    "SELECT * FROM pgmq_public.send(queue_name => ?::text, message => ?::jsonb)", queue, "{\"w\":1}");

            // sleep_seconds is the visibility timeout of the read.
            List<MessageRow> read = PgmqSql.rows(connection,
                    "SELECT * FROM pgmq_public.read(queue_name => ?::text, sleep_seconds => ?::integer, n => ?::integer)",
                    queue, 30, 5);
            assertThat(read).extracting(MessageRow::msgId).containsExactly(id);
            assertThat(read.get(0).readCt()).isEqualTo(1);
            assertThat(PgmqSql.read(connection, queue, 30, 5)).as("hidden for 30 s like pgmq.read").isEmpty();
        }
    }

    @Test
    void sendWithSleepSecondsDelaysTheMessage(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("public_delay");
        try (Connection connection = db.connect()) {
            long id = PgmqSql.single(connection,
                    "SELECT * FROM pgmq_public.send(queue_name => ?::text, message => ?::jsonb, sleep_seconds => ?::integer)",
                    queue, "{\"w\":2}", 1);
            assertThat(PgmqSql.read(connection, queue, 30, 5)).isEmpty();
            Thread.sleep(1_300);
            assertThat(PgmqSql.read(connection, queue, 30, 5)).extracting(MessageRow::msgId).containsExactly(id);
        }
    }

    @Test
    void sendBatchPopArchiveAndDeleteThroughTheWrappers(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("public_batch");
        try (Connection connection = db.connect()) {
            List<Long> ids = PgmqSql.longs(connection,
                    "SELECT * FROM pgmq_public.send_batch(queue_name => ?::text, messages => ?::jsonb[])",
                    queue, connection.createArrayOf("jsonb", new Object[] {"{\"b\":1}", "{\"b\":2}", "{\"b\":3}"}));
            assertThat(ids).hasSize(3);

            List<MessageRow> popped = PgmqSql.rows(connection,
                    "SELECT * FROM pgmq_public.pop(queue_name => ?::text)", queue);
            assertThat(popped).extracting(MessageRow::msgId).containsExactly(ids.get(0));

            assertThat(PgmqMessageOperationsIT.bool(connection,
                    "SELECT pgmq_public.archive(queue_name => ?::text, message_id => ?::bigint)", queue, ids.get(1)))
                    .isTrue();
            assertThat(PgmqMessageOperationsIT.bool(connection,
                    "SELECT pgmq_public.delete(queue_name => ?::text, message_id => ?::bigint)", queue, ids.get(2)))
                    .isTrue();
            assertThat(PgmqMessageOperationsIT.bool(connection,
                    "SELECT pgmq_public.delete(queue_name => ?::text, message_id => ?::bigint)", queue, ids.get(2)))
                    .isFalse();

            assertThat(PgmqMessageOperationsIT.queueLength(connection, queue)).isZero();
            assertThat(PgmqSql.archive(connection, queue)).extracting(PgmqSql.ArchivedRow::msgId)
                    .containsExactly(ids.get(1));
        }
    }
}
