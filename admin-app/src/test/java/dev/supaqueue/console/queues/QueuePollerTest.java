package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.NamespaceGroup;
import dev.supaqueue.admin.QueueOverview;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The poller's schedule, driven by a manual ticker and work that finishes when the test says so. */
class QueuePollerTest {

    private final ManualTicker ticker = new ManualTicker();
    private final DeferredTasks tasks = new DeferredTasks();
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicReference<Exception> failWith = new AtomicReference<>();
    private final QueuePoller poller = new QueuePoller(() -> {
        queries.incrementAndGet();
        Exception problem = failWith.get();
        if (problem != null) {
            throw problem;
        }
        return overview(queries.get());
    }, tasks, ticker);

    private static QueueOverview overview(int n) {
        return new QueueOverview(List.of(new NamespaceGroup("app", List.of())),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n), Duration.ofMillis(n), 100_000);
    }

    @Test
    void refreshesAtOnceAndThenEveryFiveSeconds() {
        assertThat(poller.intervalProperty().get()).isEqualTo(Duration.ofSeconds(5));
        poller.start();
        assertThat(tasks.pending()).isEqualTo(1);
        tasks.finishOne();
        assertThat(poller.overviewProperty().get().elapsed()).isEqualTo(Duration.ofMillis(1));

        ticker.advance(Duration.ofSeconds(4));
        assertThat(tasks.pending()).isZero();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(tasks.pending()).isEqualTo(1);
        tasks.finishOne();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(poller.refreshCount()).isEqualTo(3);
    }

    @Test
    void neverStartsASecondRefreshWhileOneIsInFlight() {
        poller.start();
        ticker.advance(Duration.ofSeconds(30)); // six ticks while the first query hangs
        assertThat(tasks.pending()).isEqualTo(1);
        assertThat(poller.refreshingProperty().get()).isTrue();

        tasks.finishOne();
        assertThat(poller.refreshingProperty().get()).isFalse();
        assertThat(tasks.pending()).as("skipped ticks are not made up").isZero();
    }

    @Test
    void aRefreshAskedForDuringOneRunsOnceAfterIt() {
        poller.start();
        poller.refreshNow();
        poller.refreshNow();
        assertThat(tasks.pending()).isEqualTo(1);

        tasks.finishOne();
        assertThat(tasks.pending()).as("one follow-up for both requests").isEqualTo(1);
        tasks.finishOne();
        assertThat(tasks.pending()).isZero();
        assertThat(queries).hasValue(2);
    }

    @Test
    void aFailedRefreshKeepsTheLastDataAndSaysWhy() {
        poller.start();
        tasks.finishOne();
        QueueOverview good = poller.overviewProperty().get();

        failWith.set(new IllegalStateException("Cannot reach the database",
                new SQLException("Connection refused")));
        poller.refreshNow();
        tasks.finishOne();
        assertThat(poller.overviewProperty().get()).isSameAs(good);
        assertThat(poller.errorProperty().get()).isEqualTo("Cannot reach the database: Connection refused");

        failWith.set(null);
        poller.refreshNow();
        tasks.finishOne();
        assertThat(poller.errorProperty().get()).isNull();
        assertThat(poller.overviewProperty().get()).isNotSameAs(good);
    }

    @Test
    void pausedPollersDoNotTickAndCatchUpOnResume() {
        poller.start();
        tasks.finishOne();
        poller.pause();
        assertThat(ticker.scheduledCount()).isZero();
        ticker.advance(Duration.ofMinutes(1));
        assertThat(tasks.pending()).isZero();

        poller.resume();
        assertThat(tasks.pending()).as("a refresh at once on resume").isEqualTo(1);
        tasks.finishOne();
        ticker.advance(Duration.ofSeconds(5));
        assertThat(tasks.pending()).isEqualTo(1);
    }

    @Test
    void theIntervalCanChangeButNotBelowOneSecond() {
        poller.start();
        tasks.finishOne();
        poller.setInterval(Duration.ofSeconds(30));
        assertThat(ticker.scheduledCount()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(29));
        assertThat(tasks.pending()).isZero();
        ticker.advance(Duration.ofSeconds(1));
        assertThat(tasks.pending()).isEqualTo(1);

        assertThatThrownBy(() -> poller.setInterval(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 s");
        assertThat(poller.intervalProperty().get()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void stopEndsTheTicks() {
        poller.start();
        poller.start();
        assertThat(ticker.scheduledCount()).as("a second start does nothing").isEqualTo(1);
        tasks.finishOne();
        poller.stop();
        ticker.advance(Duration.ofMinutes(1));
        assertThat(tasks.pending()).isZero();
        assertThat(poller.runningProperty().get()).isFalse();
    }
}
