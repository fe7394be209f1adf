package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.SimpleDataSource;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The facade: read-only mode, validation before SQL, and the ways to make an admin. */
@PgmqIntegrationTest
class QueueAdminIT {

    /** Every change the admin offers, on one queue. */
    private static Map<String, Consumer<QueueAdmin>> everyChange(String queue) {
        Map<String, Consumer<QueueAdmin>> changes = new LinkedHashMap<>();
        changes.put("enqueue", admin -> admin.enqueue(EnqueueRequest.raw(queue, "{\"a\":1}")));
        changes.put("delete", admin -> admin.delete(MessageSource.queue(queue), Selection.ids(1L)));
        changes.put("delete archived", admin -> admin.delete(MessageSource.archive(queue), Selection.upTo(10)));
        changes.put("archive", admin -> admin.archive(queue, Selection.ids(1L)));
        changes.put("make visible", admin -> admin.makeVisible(queue, Selection.upTo(5)));
        changes.put("postpone", admin -> admin.postpone(queue, Selection.ids(1L), Duration.ofMinutes(1)));
        changes.put("replay", admin -> admin.replay(MessageSource.deadLetters(queue), Selection.upTo(5)));
        changes.put("move", admin -> admin.move(MessageSource.queue(queue), Selection.ids(1L), queue + "_other"));
        changes.put("purge", admin -> admin.purge(MessageSource.queue(queue)));
        changes.put("purge archive", admin -> admin.purge(MessageSource.archive(queue)));
        changes.put("create", admin -> admin.createQueue(queue + "_new", QueueType.LOGGED));
        changes.put("drop", admin -> admin.dropQueue(queue));
        return changes;
    }

    @Test
    void readOnlyModeRefusesEveryChangeBeforeTouchingTheDatabase(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("ro");
        try (Connection connection = db.connect()) {
            PgmqSql.send(connection, queue, "{\"kept\":true}");
        }
        CountingDataSource counting = new CountingDataSource(db);
        try (QueueAdmin admin = QueueAdmin.create(counting, AdminOptions.builder().readOnly(true).build())) {
            assertThat(admin.isReadOnly()).isTrue();
            everyChange(queue).forEach((name, change) -> assertThatThrownBy(() -> change.accept(admin))
                    .as(name)
                    .isInstanceOf(ReadOnlyModeException.class)
                    .hasMessageContaining("read-only")
                    .hasMessageContaining("nothing was changed"));
            assertThat(counting.connections.get()).as("connections asked for").isZero();

            // Looking still works.
            assertThat(admin.queue(queue).length()).isEqualTo(Count.exact(1));
        }
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.rows(connection, "SELECT * FROM pgmq.read(?::text, 0, 10)", queue)).hasSize(1);
        }
    }

    @Test
    void hostileQueueNamesAreRejectedBeforeAnySql(TestDatabaseServer db) {
        CountingDataSource counting = new CountingDataSource(db);
        List<String> hostile = List.of("x'; DROP TABLE pgmq.meta; --", "a$b", "semi;colon", "q".repeat(48), "");
        try (QueueAdmin admin = QueueAdmin.create(counting)) {
            for (String name : hostile) {
                assertThatThrownBy(() -> admin.queue(name)).as(name).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("pgmq queue name");
                assertThatThrownBy(() -> admin.dropQueue(name)).as(name).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> admin.createQueue(name, QueueType.LOGGED)).as(name)
                        .isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> admin.move(MessageSource.queue("fine"), Selection.ids(1L), name)).as(name)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        assertThat(counting.connections.get()).as("connections asked for").isZero();
    }

    @Test
    void aBrokersAdminKnowsTheBrokersNamespaceAndLeavesItsPoolOpen(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of())) {
            broker.declareQueue("emails");
            try (QueueAdmin admin = QueueAdmin.forBroker(broker)) {
                assertThat(admin.options().namespaces()).contains(namespace);
                QueueSummary emails = admin.queue(namespace + "_emails");
                assertThat(emails.namespace()).isEqualTo(namespace);
                assertThat(emails.shortName()).isEqualTo("emails");
                assertThat(emails.deadLetterQueue()).isEqualTo(namespace + "_emails_xq");
            }
            assertThat(broker.queueLength("emails")).as("the broker's pool still works").isZero();
        }
    }

    @Test
    void anAdminWithItsOwnPoolClosesIt(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("own_pool");
        QueueAdmin admin = QueueAdmin.connect(db.brokerSettings().maxConnections(2).build(), AdminOptions.defaults());
        admin.enqueue(EnqueueRequest.raw(queue, "{\"n\":1}").withCount(3));
        assertThat(admin.queue(queue).ready()).isEqualTo(Count.exact(3));
        assertThat(admin.installation().version()).isNotNull();
        admin.close();
        assertThatThrownBy(admin::queues).isInstanceOf(RuntimeException.class);
    }

    /** Counts how often the admin asks for a connection. */
    private static final class CountingDataSource extends SimpleDataSource {
        final AtomicInteger connections = new AtomicInteger();

        CountingDataSource(TestDatabaseServer db) {
            super(db.jdbcUrl(), db.credentials());
        }

        @Override
        public Connection getConnection() throws SQLException {
            connections.incrementAndGet();
            return super.getConnection();
        }
    }
}
