package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.Count;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.admin.QueueType;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueueSampleTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static QueueSummary queue(String name, long length, long totalSent) {
        return new QueueSummary(name, "app", name.substring(4), QueueType.LOGGED, T0, Count.exact(length),
                Count.exact(0), Count.exact(0), Count.exact(length), Count.exact(0), null, null, null, null,
                totalSent);
    }

    @Test
    void throughputIsTheSentDeltaPerSecondOfServerTime() {
        assertThat(QueueSample.throughput(T0, 100, T0.plusSeconds(5), 150)).isEqualTo(10.0);
        assertThat(QueueSample.throughput(T0, 100, T0.plusMillis(2500), 101)).isEqualTo(0.4);
        assertThat(QueueSample.throughput(T0, 100, T0.plusSeconds(5), 100)).isEqualTo(0.0);
    }

    @Test
    void throughputIsUnknownWhenTimeStandsStillOrTheQueueWasRecreated() {
        assertThat(QueueSample.throughput(T0, 100, T0, 150)).isNull();
        assertThat(QueueSample.throughput(T0, 100, T0.minusSeconds(1), 150)).isNull();
        assertThat(QueueSample.throughput(T0, 100, T0.plusSeconds(5), 3)).as("sequence restarted").isNull();
    }

    @Test
    void samplesCarryDepthAndTheRateSinceThePreviousOne() {
        QueueSample first = QueueSample.first(T0, queue("app_jobs", 7, 20));
        QueueSample second = QueueSample.next(first, T0.plusSeconds(2), queue("app_jobs", 9, 30));

        assertThat(first.depth()).isEqualTo(7);
        assertThat(first.throughput()).isNull();
        assertThat(second.depth()).isEqualTo(9);
        assertThat(second.totalSent()).isEqualTo(30);
        assertThat(second.throughput()).isEqualTo(5.0);
    }
}
