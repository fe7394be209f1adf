package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The client as it runs behind a transaction-mode pooler (Supavisor on 6543, PgBouncer): pgjdbc with
 * {@code prepareThreshold=0} never creates a named server-side prepared statement, and the client needs none.
 */
@PgmqIntegrationTest
class PgmqClientPoolerIT {

    @Test
    void everyOperationWorksWithoutServerSidePreparedStatements(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String url = TestDataSources.withParameter(db.jdbcUrl(), "prepareThreshold", "0");
        String queue = queues.create("pooler");
        String deadLetters = queues.create("pooler_xq");
        try (Connection connection = DriverManager.getConnection(url, db.credentials())) {
            PgmqClient client = new PgmqClient(TestDataSources.single(connection));

            // More rounds than pgjdbc's default threshold of 5, which would otherwise switch to named statements.
            for (int round = 0; round < 8; round++) {
                exerciseEveryOperation(client, queue, deadLetters);
            }
            assertThat(serverSidePreparedStatements(connection)).isZero();
        }
    }

    @Test
    void withoutTheParameterTheSameWorkDoesPrepareOnTheServer(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        // The control for the test above: the counting method does see named statements when they exist.
        String queue = queues.create("pooler_control");
        String deadLetters = queues.create("pooler_control_xq");
        String url = TestDataSources.withParameter(db.jdbcUrl(), "prepareThreshold", "1");
        try (Connection connection = DriverManager.getConnection(url, db.credentials())) {
            PgmqClient client = new PgmqClient(TestDataSources.single(connection));
            for (int round = 0; round < 3; round++) {
                exerciseEveryOperation(client, queue, deadLetters);
            }
            assertThat(serverSidePreparedStatements(connection)).isPositive();
        }
    }

    @Test
    void theParameterIsAppendedWhetherOrNotTheUrlHasParameters() {
        assertThat(TestDataSources.withParameter("jdbc:postgresql://h:5432/db", "prepareThreshold", "0"))
                .isEqualTo("jdbc:postgresql://h:5432/db?prepareThreshold=0");
        assertThat(TestDataSources.withParameter("jdbc:postgresql://h/db?sslmode=require", "prepareThreshold", "0"))
                .isEqualTo("jdbc:postgresql://h/db?sslmode=require&prepareThreshold=0");
    }

    private static void exerciseEveryOperation(PgmqClient client, String queue, String deadLetters) {
        long one = client.send(queue, "{\"n\":1}");
        long delayed = client.send(queue, "{\"n\":2}", Duration.ofMillis(1));
        // Statements of the headers and millisecond forms where the version has them.
        List<Long> batch = client.sendBatch(queue, List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}"));
        if (client.supports(PgmqFeature.HEADERS)) {
            client.send(queue, "{\"n\":6}", "{\"h\":1}", Duration.ZERO);
            client.sendBatch(queue, List.of("{\"n\":7}"), List.of("{\"h\":2}"), Duration.ofMillis(1));
        }
        List<PgmqMessage> read = client.read(queue, 30, 1);
        assertThat(read).extracting(PgmqMessage::msgId).containsExactly(one);
        client.setVt(queue, one, 0);
        client.setVt(queue, batch, 30);
        client.delete(queue, one);
        client.archive(queue, delayed);
        client.inTransaction(session -> {
            long copy = session.send(deadLetters, "{\"dead\":true}");
            session.delete(queue, batch.get(0));
            return copy;
        });
        client.archive(queue, List.of(batch.get(1)));
        client.delete(queue, List.of(batch.get(2)));
        client.pop(queue);
        client.metrics(queue);
        client.metricsAll();
        client.listQueues();
        client.queueExists(queue);
        client.purgeQueue(queue);
        client.purgeQueue(deadLetters);
    }

    private static long serverSidePreparedStatements(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_prepared_statements");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
