package dev.supaqueue.pgmq;

import static dev.supaqueue.testing.PgmqSql.read;
import static dev.supaqueue.testing.PgmqSql.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Creating, listing, measuring, purging and dropping queues. */
@PgmqIntegrationTest
class PgmqQueueManagementIT {

    @Test
    void metricsCountVisibleInFlightAndDelayedMessages(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("metrics");
        try (Connection connection = db.connect()) {
            send(connection, queue, "{\"m\":1}");
            send(connection, queue, "{\"m\":2}");
            send(connection, queue, "{\"m\":3}", 300);
            read(connection, queue, 300, 1);

            try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM pgmq.metrics(?::text)")) {
                statement.setString(1, queue);
                try (ResultSet row = statement.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getString("queue_name")).isEqualTo(queue);
                    assertThat(row.getLong("queue_length")).as("visible + in flight + delayed").isEqualTo(3);
                    assertThat(row.getLong("queue_visible_length")).isEqualTo(1);
                    assertThat(row.getLong("total_messages")).isEqualTo(3);
                    assertThat(row.getInt("oldest_msg_age_sec")).isBetween(0, 60);
                    assertThat(row.getInt("newest_msg_age_sec")).isBetween(0, 60);
                    assertThat(row.getObject("scrape_time")).isNotNull();
                    assertThat(row.next()).isFalse();
                }
            }
        }
    }

    @Test
    void metricsOfAnEmptyQueueHaveNoAges(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("metrics_empty");
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT * FROM pgmq.metrics(?::text)")) {
            statement.setString(1, queue);
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getLong("queue_length")).isZero();
                assertThat(row.getObject("oldest_msg_age_sec")).isNull();
                assertThat(row.getObject("newest_msg_age_sec")).isNull();
                assertThat(row.getLong("total_messages")).isZero();
            }
        }
    }

    @Test
    void metricsAllAndListQueuesIncludeEveryQueue(TestDatabaseServer db, TestQueues queues) throws Exception {
        String first = queues.create("listed_a");
        String second = queues.create("listed_b");
        try (Connection connection = db.connect()) {
            assertThat(names(connection, "SELECT queue_name FROM pgmq.metrics_all()")).contains(first, second);
            assertThat(names(connection, "SELECT queue_name FROM pgmq.list_queues()")).contains(first, second);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT is_partitioned, is_unlogged, created_at FROM pgmq.list_queues() WHERE queue_name = ?")) {
                statement.setString(1, first);
                try (ResultSet row = statement.executeQuery()) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getBoolean("is_partitioned")).isFalse();
                    assertThat(row.getBoolean("is_unlogged")).isFalse();
                    assertThat(row.getObject("created_at")).isNotNull();
                }
            }
        }
    }

    @Test
    void createIsIdempotentAndUnloggedQueuesAreMarked(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("idempotent");
        String unlogged = queues.track(queues.newName("unlogged"));
        try (Connection connection = db.connect()) {
            send(connection, queue, "{\"keep\":true}");
            PgmqSql.longs(connection, "SELECT 1 FROM pgmq.create(?::text)", queue);
            assertThat(PgmqMessageOperationsIT.queueLength(connection, queue)).as("re-create keeps messages").isEqualTo(1);

            PgmqSql.longs(connection, "SELECT 1 FROM pgmq.create_unlogged(?::text)", unlogged);
            assertThat(names(connection, "SELECT queue_name FROM pgmq.list_queues() WHERE is_unlogged"))
                    .contains(unlogged);
            assertThat(send(connection, unlogged, "{\"u\":1}")).isPositive();
        }
    }

    @Test
    void purgeRemovesEveryMessageAndReportsHowMany(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("purge");
        try (Connection connection = db.connect()) {
            PgmqSql.sendBatch(connection, queue, List.of("{}", "{}", "{}"));
            send(connection, queue, "{}", 300);
            read(connection, queue, 300, 1);

            assertThat(PgmqSql.single(connection, "SELECT pgmq.purge_queue(?::text)", queue)).isEqualTo(4);
            assertThat(PgmqMessageOperationsIT.queueLength(connection, queue)).isZero();
        }
    }

    @Test
    void dropRemovesTheQueueAndItsTables(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("drop");
        try (Connection connection = db.connect()) {
            send(connection, queue, "{}");
            assertThat(tableExists(connection, "q_" + queue)).isTrue();
            assertThat(tableExists(connection, "a_" + queue)).isTrue();

            assertThat(PgmqMessageOperationsIT.bool(connection, "SELECT pgmq.drop_queue(?::text)", queue)).isTrue();

            assertThat(names(connection, "SELECT queue_name FROM pgmq.list_queues()")).doesNotContain(queue);
            assertThat(tableExists(connection, "q_" + queue)).isFalse();
            assertThat(tableExists(connection, "a_" + queue)).isFalse();
        }
    }

    static boolean tableExists(Connection connection, String table) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(format('pgmq.%I', ?::text)) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    static List<String> names(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }
}
