package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamespaceGroupTest {

    private static QueueSummary queue(String name, Count ready, Count deadLetters) {
        return new QueueSummary(name, "app", name.substring(4), QueueType.LOGGED, Instant.EPOCH, ready,
                Count.exact(1), Count.exact(2), Count.exact(ready.value() + 3), Count.exact(0),
                deadLetters == null ? null : name + "_xq", deadLetters, Duration.ZERO, null, 7);
    }

    @Test
    void totalsKeepTheWeakestPrecision() {
        NamespaceGroup group = new NamespaceGroup("app", List.of(
                queue("app_a", Count.exact(5), Count.exact(1)),
                queue("app_b", Count.atLeast(10), null),
                queue("app_c", Count.exact(2), Count.estimate(1000))));

        assertThat(group.totalReady()).isEqualTo(Count.atLeast(17));
        assertThat(group.totalInFlight()).isEqualTo(Count.exact(3));
        assertThat(group.totalDelayed()).isEqualTo(Count.exact(6));
        assertThat(group.totalDeadLetters()).isEqualTo(Count.estimate(1001));
        assertThat(group.totalArchived()).isEqualTo(Count.exact(0));
    }

    @Test
    void anEstimateOutranksALowerBoundAndNothingSumsToAnExactZero() {
        assertThat(NamespaceGroup.sum(List.of(Count.atLeast(3), Count.estimate(4)))).isEqualTo(Count.estimate(7));
        assertThat(NamespaceGroup.sum(Arrays.asList(null, null))).isEqualTo(Count.exact(0));
        assertThat(new NamespaceGroup("", List.of()).isUnnamespaced()).isTrue();
    }
}
