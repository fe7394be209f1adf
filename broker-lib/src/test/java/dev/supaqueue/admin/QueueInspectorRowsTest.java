package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueInspectorRowsTest {

    @Test
    void deadLetterQueuesFoldIntoTheirOriginAndOrphansStayRows() {
        Set<String> rows = QueueInspector.rowNames(Set.of("jobs", "jobs_xq", "orphan_xq", "xq", "_xq"));

        assertThat(rows).containsExactlyInAnyOrder("jobs", "orphan_xq", "xq", "_xq");
    }

    @Test
    void aDeadLetterQueueOfAFoldedQueueIsARowSoNoCountIsLost() {
        Set<String> rows = QueueInspector.rowNames(Set.of("jobs", "jobs_xq", "jobs_xq_xq"));

        assertThat(rows).containsExactlyInAnyOrder("jobs", "jobs_xq_xq");
    }

    @Test
    void namesDifferingOnlyInCaseAreDifferentQueues() {
        assertThat(QueueInspector.rowNames(Set.of("Jobs", "jobs_xq"))).containsExactlyInAnyOrder("Jobs", "jobs_xq");
    }
}
