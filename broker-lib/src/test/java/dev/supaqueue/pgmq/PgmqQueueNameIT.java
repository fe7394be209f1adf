package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** pgmq's own queue-name rules, and that a name can never smuggle SQL in. */
@PgmqIntegrationTest
class PgmqQueueNameIT {

    @Test
    void nameOfFortySevenCharactersIsAcceptedAndFortyEightIsTooLong(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String longest = queues.track("t_" + "x".repeat(39) + random6());
        assertThat(longest).hasSize(47);
        try (Connection connection = db.connect()) {
            create(connection, longest);
            assertThat(PgmqSql.send(connection, longest, "{}")).isPositive();

            String tooLong = longest + "y";
            assertThatThrownBy(() -> create(connection, tooLong))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("too long");
            assertThat(PgmqQueueManagementIT.names(connection, "SELECT queue_name FROM pgmq.list_queues()"))
                    .doesNotContain(tooLong);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"t_dollar$", "t_semi;colon", "t_dash--dash", "t_quote'd"})
    void namesWithForbiddenCharactersAreRejected(String name, TestDatabaseServer db) throws Exception {
        try (Connection connection = db.connect()) {
            assertThatThrownBy(() -> create(connection, name))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("invalid characters");
            assertThat(PgmqQueueManagementIT.names(connection, "SELECT queue_name FROM pgmq.meta"))
                    .doesNotContain(name);
        }
    }

    @Test
    void sqlSmuggledThroughAQueueNameChangesNothing(TestDatabaseServer db, TestQueues queues) throws Exception {
        String bystander = queues.create("bystander");
        List<String> attacks = List.of(
                "x'); DROP TABLE pgmq.meta; --",
                "x\"; DROP TABLE pgmq.meta; --",
                "x$$; DROP TABLE pgmq.meta; $$",
                "q_x; DELETE FROM pgmq.meta",
                bystander + "' OR '1'='1");
        try (Connection connection = db.connect()) {
            long id = PgmqSql.send(connection, bystander, "{\"safe\":true}");
            for (String attack : attacks) {
                for (String call : List.of("SELECT pgmq.create(?::text)", "SELECT * FROM pgmq.send(?::text, '{}'::jsonb)",
                        "SELECT pgmq.purge_queue(?::text)", "SELECT pgmq.drop_queue(?::text)")) {
                    try (PreparedStatement statement = connection.prepareStatement(call)) {
                        statement.setString(1, attack);
                        assertThatThrownBy(statement::execute).as(call + " with " + attack)
                                .isInstanceOf(SQLException.class);
                    }
                }
            }
            assertThat(PgmqQueueManagementIT.tableExists(connection, "meta")).isTrue();
            assertThat(PgmqQueueManagementIT.names(connection, "SELECT queue_name FROM pgmq.meta")).contains(bystander);
            assertThat(PgmqSql.read(connection, bystander, 30, 10))
                    .extracting(PgmqSql.MessageRow::msgId).containsExactly(id);
        }
    }

    private static void create(Connection connection, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            statement.setString(1, name);
            statement.execute();
        }
    }

    private static String random6() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(60_466_176L, 2_176_782_335L), Character.MAX_RADIX);
    }
}
