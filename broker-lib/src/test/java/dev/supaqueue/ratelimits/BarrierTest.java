package dev.supaqueue.ratelimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.SupaqueueException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Checklist item 46: an N-party barrier clears on the N-th wait and not before (in-memory backend). */
class BarrierTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final StubRateLimiterBackend backend = new StubRateLimiterBackend(clock);

    @Test
    void theBarrierClearsOnTheNthArrivalAndExactlyOneArrivalClearsIt() {
        Barrier barrier = new Barrier(backend, "group-1");
        assertThat(barrier.create(3)).isTrue();
        assertThat(barrier.create(5)).as("a live barrier is not recreated").isFalse();

        assertThat(barrier.arrive()).isFalse();
        assertThat(barrier.remaining()).isEqualTo(2);
        assertThat(barrier.arrive()).isFalse();
        assertThat(barrier.remaining()).isEqualTo(1);
        assertThat(barrier.arrive()).as("the third of three clears it").isTrue();
        assertThat(barrier.remaining()).isZero();
        assertThat(barrier.arrive()).as("a late arrival does not clear it again").isFalse();
    }

    @Test
    void waitingPartiesAreReleasedByTheLastOneAndNotBefore() throws Exception {
        Barrier barrier = new Barrier(backend, "group-2");
        barrier.create(4);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Boolean>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(pool.submit(() -> barrier.await(Duration.ofSeconds(10))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (barrier.remaining() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(barrier.remaining()).isEqualTo(1);
            Thread.sleep(100);
            assertThat(waiting).as("three of four parties keep waiting").noneMatch(Future::isDone);

            assertThat(barrier.await(Duration.ofSeconds(1))).isTrue();
            for (Future<Boolean> party : waiting) {
                assertThat(party.get(5, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void awaitTimesOutWhenPartiesAreMissing() throws Exception {
        Barrier barrier = new Barrier(backend, "group-3");
        barrier.create(2);
        long start = System.nanoTime();
        assertThat(barrier.await(Duration.ofMillis(100))).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
        assertThat(barrier.remaining()).as("the arrival counts even so").isEqualTo(1);
        assertThat(barrier.await(Duration.ofMillis(100))).isTrue();
    }

    @Test
    void aBarrierExpiresAfterItsTtl() {
        Barrier barrier = new Barrier(backend, "group-4", Duration.ofMinutes(1));
        barrier.create(2);
        barrier.arrive();
        clock.advance(Duration.ofMinutes(1));

        assertThat(barrier.remaining()).isEqualTo(-1);
        assertThatThrownBy(barrier::arrive).isInstanceOf(SupaqueueException.class)
                .hasMessageContaining("group-4").hasMessageContaining("expired");
        assertThat(barrier.create(1)).as("an expired barrier can be created anew").isTrue();
        assertThat(barrier.arrive()).isTrue();
    }

    @Test
    void arrivingAtAnUnknownBarrierIsAnError() {
        assertThatThrownBy(() -> new Barrier(backend, "nope").await(Duration.ofMillis(10)))
                .isInstanceOf(SupaqueueException.class).hasMessageContaining("never created");
        assertThatThrownBy(() -> new Barrier(backend, "k").create(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
