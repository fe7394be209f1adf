package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.UnknownQueueException;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Creating and dropping queues from the tree, against the real database. */
@PgmqIntegrationTest
class QueueManagementViewModelIT {

    private final AtomicInteger refreshes = new AtomicInteger();

    private QueueManagementViewModel viewModel(QueueAdmin admin) {
        return new QueueManagementViewModel(() -> admin, BackgroundTasks.inline(), ConsoleMessages.bundle(),
                refreshes::incrementAndGet);
    }

    private static boolean exists(QueueAdmin admin, String queue) {
        try {
            admin.queue(queue);
            return true;
        } catch (UnknownQueueException e) {
            return false;
        }
    }

    @Test
    void createsAQueueAndRefreshesTheTree(TestDatabaseServer db, TestQueues queues) {
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        QueueManagementViewModel viewModel = viewModel(admin);
        String name = queues.track(queues.newName("created"));

        viewModel.newQueueNameProperty().set(name);
        viewModel.unloggedProperty().set(true);
        viewModel.create();

        assertThat(viewModel.errorProperty().get()).isNull();
        assertThat(viewModel.resultProperty().get()).isEqualTo("Created queue " + name + ".");
        assertThat(admin.queue(name).type()).hasToString("UNLOGGED");
        assertThat(viewModel.newQueueNameProperty().get()).isEmpty();
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aBadNameIsRefusedWithTheRuleAndNothingIsCreated(TestDatabaseServer db) {
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        QueueManagementViewModel viewModel = viewModel(admin);

        viewModel.newQueueNameProperty().set("Orders-2024");
        viewModel.create();

        assertThat(viewModel.errorProperty().get()).contains("Orders-2024");
        assertThat(viewModel.resultProperty().get()).isNull();
        assertThat(exists(admin, "Orders-2024")).isFalse();
        assertThat(refreshes).hasValue(0);
    }

    @Test
    void droppingNeedsTheQueueNameTypedExactly(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("drop_me");
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        QueueManagementViewModel viewModel = viewModel(admin);

        viewModel.requestDrop(queue);
        assertThat(viewModel.dropCandidateProperty().get()).isEqualTo(queue);
        viewModel.dropConfirmationProperty().set(queue.toUpperCase());
        viewModel.confirmDrop();
        assertThat(viewModel.errorProperty().get()).contains(queue);
        assertThat(exists(admin, queue)).isTrue();

        viewModel.dropConfirmationProperty().set(queue);
        viewModel.confirmDrop();
        assertThat(viewModel.resultProperty().get()).isEqualTo("Dropped queue " + queue + " with its archive.");
        assertThat(viewModel.dropCandidateProperty().get()).isNull();
        assertThat(exists(admin, queue)).isFalse();
    }

    @Test
    void aReadOnlyConnectionRefusesBothWithTheReason(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("kept");
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.builder().readOnly(true).build());
        QueueManagementViewModel viewModel = viewModel(admin);
        assertThat(viewModel.unavailableReasonProperty().get()).contains("read-only");

        viewModel.newQueueNameProperty().set(queues.newName("never"));
        viewModel.create();
        assertThat(viewModel.errorProperty().get()).contains("read-only");

        viewModel.requestDrop(queue);
        assertThat(viewModel.dropCandidateProperty().get()).isNull();
        assertThat(exists(admin, queue)).isTrue();
        Assertions.assertThat(refreshes).hasValue(0);
    }
}
