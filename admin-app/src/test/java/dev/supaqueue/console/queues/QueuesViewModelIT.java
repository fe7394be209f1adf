package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The namespace tree, selection and history against the real database, refreshed by the shared poller. */
@PgmqIntegrationTest
class QueuesViewModelIT {

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> copied = new ArrayList<>();

    private QueuesViewModel viewModel(QueueAdmin admin) {
        QueuePoller poller = QueuePoller.forAdmin(() -> admin, BackgroundTasks.inline(), ticker);
        return new QueuesViewModel(poller, () -> admin, BackgroundTasks.inline(), ticker, copied::add,
                ConsoleMessages.bundle(), Locale.ENGLISH, ZoneId.of("UTC"));
    }

    private static NamespaceNode namespace(QueuesViewModel viewModel, String name) {
        return viewModel.namespaces().stream().filter(node -> node.namespace().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no namespace " + name));
    }

    @Test
    void showsNamespacesWithTheirQueuesAndCounts(TestDatabaseServer db, TestQueues queues) throws Exception {
        String shop = queues.newNamespace();
        String mail = queues.newNamespace();
        try (Connection connection = db.connect()) {
            for (String queue : List.of(shop + "_orders", shop + "_orders_xq", shop + "_refunds", mail + "_send")) {
                QueueFixtures.create(connection, queue);
            }
            QueueFixtures.sendDramatiq(connection, shop + "_orders", 5, "place_order");
            PgmqSql.read(connection, shop + "_orders", 300, 2);
            PgmqSql.send(connection, shop + "_orders", "{\"later\":true}", 600);
            QueueFixtures.sendDramatiq(connection, shop + "_orders_xq", 1, "place_order");
            QueueFixtures.sendDramatiq(connection, mail + "_send", 3, "send_email");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.builder().namespaces(shop, mail).build());
        QueuesViewModel viewModel = viewModel(admin);
        assertThat(viewModel.namespaces()).isEmpty();

        viewModel.activate();

        NamespaceNode shopNode = namespace(viewModel, shop);
        assertThat(shopNode.titleProperty().get()).isEqualTo(shop);
        assertThat(shopNode.queues()).extracting(QueueNode::shortName).containsExactly("orders", "refunds");
        QueueNode orders = shopNode.queues().getFirst();
        assertThat(orders.readyProperty().get()).isEqualTo("3");
        assertThat(orders.inFlightProperty().get()).isEqualTo("2");
        assertThat(orders.delayedProperty().get()).isEqualTo("1");
        assertThat(orders.deadProperty().get()).isEqualTo("1");
        assertThat(orders.archivedProperty().get()).isEqualTo("0");
        assertThat(orders.oldestAgeProperty().get()).matches("\\d+ s");
        assertThat(orders.countsProperty().get())
                .startsWith("ready 3 · in flight 2 · delayed 1 · dead 1 · archived 0 · oldest ");
        assertThat(shopNode.queues().get(1).deadProperty().get()).as("no dead-letter queue").isEqualTo("—");
        assertThat(shopNode.countsProperty().get()).isEqualTo("ready 3 · in flight 2 · delayed 1 · dead 1 · archived 0");
        assertThat(namespace(viewModel, mail).queues()).extracting(QueueNode::readyProperty)
                .extracting(property -> property.get()).containsExactly("3");
        assertThat(viewModel.statusProperty().get()).matches("\\d+ queues, counted in \\d+ ms");

        // A refresh updates the same nodes in place.
        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, shop + "_orders", 4, "place_order");
        }
        ticker.advance(Duration.ofSeconds(5));
        assertThat(namespace(viewModel, shop).queues().getFirst()).isSameAs(orders);
        assertThat(orders.readyProperty().get()).isEqualTo("7");
    }

    @Test
    void selectingAQueueShowsItsMessagesAndItsHistory(TestDatabaseServer db, TestQueues queues) throws Exception {
        String app = queues.newNamespace();
        String queue = app + "_jobs";
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, queue);
            QueueFixtures.sendDramatiq(connection, queue, 10, "work");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.builder().namespaces(app).build());
        QueuesViewModel viewModel = viewModel(admin);
        viewModel.activate();

        assertThat(viewModel.selectQueue(queue)).isTrue();
        assertThat(viewModel.selectedQueueProperty().get().name()).isEqualTo(queue);
        assertThat(viewModel.messages().rows()).hasSize(10);
        assertThat(viewModel.selectedHistory()).hasSize(1);
        assertThat(viewModel.selectedHistory().getFirst().depth()).isEqualTo(10);
        assertThat(viewModel.selectedHistory().getFirst().throughput()).isNull();

        try (Connection connection = db.connect()) {
            QueueFixtures.sendDramatiq(connection, queue, 6, "work");
        }
        ticker.advance(Duration.ofSeconds(5));
        assertThat(viewModel.selectedHistory()).hasSize(2);
        QueueSample second = viewModel.selectedHistory().get(1);
        assertThat(second.depth()).isEqualTo(16);
        assertThat(second.totalSent()).isEqualTo(16);
        assertThat(second.throughput()).as("6 sent between two server-clock readings").isPositive();
        assertThat(viewModel.selectedRatesProperty().get()).startsWith("depth 16, sent ");

        viewModel.selectMessage(viewModel.messages().rows().get(3));
        assertThat(viewModel.detail().actorProperty().get()).isEqualTo("work");

        // Refreshes keep the selection; a dropped queue ends it.
        ticker.advance(Duration.ofSeconds(5));
        assertThat(viewModel.selectedQueueProperty().get().name()).isEqualTo(queue);
        admin.dropQueue(queue);
        ticker.advance(Duration.ofSeconds(5));
        assertThat(viewModel.selectedQueueProperty().get()).isNull();
        assertThat(viewModel.messages().rows()).isEmpty();
        assertThat(viewModel.selectedHistory()).isEmpty();
        assertThat(viewModel.detail().presentProperty().get()).isFalse();
    }

    @Test
    void minimisingPausesThePoller(TestDatabaseServer db) {
        QueuesViewModel viewModel = viewModel(QueueAdmin.create(db.dataSource()));
        viewModel.activate();
        long refreshes = viewModel.poller().refreshCount();

        viewModel.windowMinimised(true);
        ticker.advance(Duration.ofMinutes(5));
        assertThat(viewModel.poller().refreshCount()).isEqualTo(refreshes);

        viewModel.windowMinimised(false);
        assertThat(viewModel.poller().refreshCount()).isEqualTo(refreshes + 1);
        viewModel.setRefreshInterval(Duration.ofSeconds(30));
        ticker.advance(Duration.ofSeconds(30));
        assertThat(viewModel.poller().refreshCount()).isEqualTo(refreshes + 2);
    }

    @Test
    void aProfilesNamespaceFilterShowsOnlyThatNamespace(TestDatabaseServer db, TestQueues queues) throws Exception {
        String shop = queues.newNamespace();
        String mail = queues.newNamespace();
        try (Connection connection = db.connect()) {
            QueueFixtures.create(connection, shop + "_orders");
            QueueFixtures.create(connection, mail + "_send");
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.builder().namespaces(shop, mail).build());
        QueuesViewModel viewModel = viewModel(admin);
        viewModel.activate();
        assertThat(viewModel.namespaces()).extracting(NamespaceNode::namespace).contains(shop, mail);

        viewModel.showOnlyNamespace(shop);
        assertThat(viewModel.namespaces()).extracting(NamespaceNode::namespace).containsExactly(shop);

        viewModel.refresh();
        assertThat(viewModel.namespaces()).extracting(NamespaceNode::namespace).containsExactly(shop);

        viewModel.showOnlyNamespace("");
        assertThat(viewModel.namespaces()).extracting(NamespaceNode::namespace).contains(shop, mail);
    }
}
