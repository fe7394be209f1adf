package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A role that may only use Supabase's pgmq_public wrappers (as the Data API roles do) can still produce, through
 * a broker in producer-only mode; consuming needs the pgmq schema and is refused with a clear message.
 */
@PgmqIntegrationTest
class SupabaseBrokerProducerOnlyIT {

    @Test
    void aRestrictedRoleProducesThroughPgmqPublic(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        String role = "supaqueue_producer_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = UUID.randomUUID().toString();
        try (SupabaseBroker owner = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of())) {
            owner.declareQueue("emails");
            String table = "q_" + owner.pgmqQueue("emails");
            try (Connection admin = db.connect()) {
                createProducerRole(admin, role, password, table);
            }
            try {
                SupabaseBrokerSettings restricted = db.brokerSettings().namespace(namespace).user(role)
                        .password(password).apiSurface(SupabaseBrokerSettings.ApiSurface.PGMQ_PUBLIC).build();
                Message sent;
                try (SupabaseBroker producer = new SupabaseBroker(restricted, List.of())) {
                    sent = producer.enqueue(Message.create("emails", "send_email", List.of("a@example.com"),
                            Map.of(), Map.of()));

                    assertThatThrownBy(() -> producer.consume("emails", 1, Duration.ofMillis(100)))
                            .isInstanceOf(UnsupportedOperationException.class)
                            .hasMessageContaining("pgmq_public");
                }
                assertThat(readAs(db, role, password, owner.pgmqQueue("emails")))
                        .as("the role cannot read pgmq directly").isInstanceOf(SQLException.class);

                List<PgmqMessage> rows = owner.client().read(owner.pgmqQueue("emails"), 30, 10);
                assertThat(rows).hasSize(1);
                assertThat(new MessageCodec().decode(rows.get(0).message())).isEqualTo(sent);
            } finally {
                try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                    statement.execute("DROP OWNED BY " + role);
                    statement.execute("DROP ROLE " + role);
                }
            }
        }
    }

    /** What Supabase's "Expose Queues via PostgREST" grants an API role, for one queue. */
    private static void createProducerRole(Connection admin, String role, String password, String table)
            throws SQLException {
        try (Statement statement = admin.createStatement()) {
            // The role name is made of a fixed prefix and hex digits above, so it is a safe identifier.
            statement.execute("CREATE ROLE " + role + " LOGIN");
            try (PreparedStatement setPassword = admin.prepareStatement(
                    "SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text)")) {
                setPassword.setString(1, role);
                setPassword.setString(2, password);
                try (var row = setPassword.executeQuery()) {
                    row.next();
                    statement.execute(row.getString(1));
                }
            }
            statement.execute("GRANT USAGE ON SCHEMA pgmq_public, pgmq TO " + role);
            statement.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgmq TO " + role);
            // pgmq >= 1.8 throttles insert notifications in a table that every sender updates.
            try (var throttle = statement.executeQuery(
                    "SELECT to_regclass('pgmq.notify_insert_throttle') IS NOT NULL")) {
                throttle.next();
                if (throttle.getBoolean(1)) {
                    statement.execute("GRANT SELECT, UPDATE ON pgmq.notify_insert_throttle TO " + role);
                }
            }
            try (PreparedStatement grant = admin.prepareStatement(
                    "SELECT format('GRANT SELECT, INSERT ON pgmq.%I TO %I', ?::text, ?::text)")) {
                grant.setString(1, table);
                grant.setString(2, role);
                try (var row = grant.executeQuery()) {
                    row.next();
                    statement.execute(row.getString(1));
                }
            }
        }
    }

    private static Object readAs(TestDatabaseServer db, String role, String password, String queue) {
        Properties credentials = new Properties();
        credentials.setProperty("user", role);
        credentials.setProperty("password", password);
        String url = db.brokerSettings().build().jdbcUrl();
        try (Connection connection = DriverManager.getConnection(url, credentials);
             PreparedStatement read = connection.prepareStatement("SELECT * FROM pgmq.read(?::text, 30, 1)")) {
            read.setString(1, queue);
            read.executeQuery().close();
            return "read succeeded";
        } catch (SQLException e) {
            return e;
        }
    }
}
