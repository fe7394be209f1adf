package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.Count;
import dev.supaqueue.admin.NamespaceGroup;
import dev.supaqueue.admin.QueueOverview;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.admin.QueueType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionSessionTest {

    private static QueueSummary queue(String name, String namespace) {
        Count zero = Count.exact(0);
        return new QueueSummary(name, namespace, namespace.isEmpty() ? name : name.substring(namespace.length() + 1),
                QueueType.LOGGED, Instant.EPOCH, zero, zero, zero, zero, zero, null, null, null, null, 0);
    }

    private static final QueueOverview OVERVIEW = new QueueOverview(List.of(
            new NamespaceGroup("app", List.of(queue("app_emails", "app"), queue("app_reports", "app"))),
            new NamespaceGroup("", List.of(queue("other", ""), queue("orphan_xq", "")))),
            Instant.EPOCH, Duration.ZERO, 100);

    @Test
    void aNamespacedWorkerConsumesTheQueuesOfItsNamespaceByTheirDramatiqNames() {
        assertThat(ConnectionSession.dramatiqQueues(OVERVIEW, "app")).containsExactly("emails", "reports");
    }

    @Test
    void withoutANamespaceEveryQueueButDeadLettersIsOffered() {
        assertThat(ConnectionSession.dramatiqQueues(OVERVIEW, ""))
                .containsExactly("app_emails", "app_reports", "other");
    }

    @Test
    void anotherNamespaceOffersNothing() {
        assertThat(ConnectionSession.dramatiqQueues(OVERVIEW, "billing")).isEmpty();
    }
}
