package dev.supaqueue.ratelimits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Checklist item 46 with the in-memory backend: concurrent, window and bucket limiters. */
class StubRateLimitersTest {

    // Half a second into a bucket of one second, so bucket boundaries are where the tests put them.
    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00.500Z"));
    private final StubRateLimiterBackend backend = new StubRateLimiterBackend(clock);

    @Test
    void aConcurrentLimiterOfOneIsMutualExclusion() throws Exception {
        ConcurrentRateLimiter mutex = new ConcurrentRateLimiter(backend, "mutex", 1, Duration.ofMinutes(1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(pool.submit(() -> {
                    while (ran.get() < 200) {
                        mutex.tryRun(() -> {
                            int now = inside.incrementAndGet();
                            maxInside.accumulateAndGet(now, Math::max);
                            Thread.yield();
                            inside.decrementAndGet();
                            ran.incrementAndGet();
                        });
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ran.get()).isGreaterThanOrEqualTo(200);
        assertThat(maxInside.get()).isEqualTo(1);
    }

    @Test
    void aConcurrentLimiterAdmitsUpToItsLimitAndReleasesOnClose() {
        ConcurrentRateLimiter limiter = new ConcurrentRateLimiter(backend, "three", 3, Duration.ofMinutes(1));
        RateLimiter.Permit a = limiter.acquire();
        RateLimiter.Permit b = limiter.acquire();
        RateLimiter.Permit c = limiter.acquire();
        assertThat(limiter.tryAcquire()).isEmpty();

        b.close();
        b.close(); // twice: must not free a second slot
        RateLimiter.Permit d = limiter.acquire();
        assertThat(limiter.tryAcquire()).isEmpty();
        a.close();
        c.close();
        d.close();
        assertThat(limiter.tryAcquire()).isPresent();
    }

    @Test
    void aDeadHoldersLeaseExpiresAfterTheTtl() {
        ConcurrentRateLimiter limiter = new ConcurrentRateLimiter(backend, "lease", 1, Duration.ofSeconds(30));
        limiter.acquire(); // never closed: the holder "dies"

        clock.advance(Duration.ofSeconds(29));
        assertThat(limiter.tryAcquire()).as("still leased").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire()).as("lease expired").isPresent();
    }

    @Test
    void runThrowsRateLimitExceededAndTryRunReturnsFalseWithoutRunning() {
        ConcurrentRateLimiter limiter = new ConcurrentRateLimiter(backend, "busy", 1);
        AtomicInteger ran = new AtomicInteger();
        try (RateLimiter.Permit held = limiter.acquire()) {
            assertThat(held).isNotNull();
            assertThatThrownBy(() -> limiter.run(ran::incrementAndGet))
                    .isInstanceOf(RateLimitExceeded.class)
                    .isInstanceOf(dev.supaqueue.SupaqueueException.class)
                    .hasMessageContaining("'busy'")
                    .satisfies(e -> assertThat(((RateLimitExceeded) e).key()).isEqualTo("busy"));
            assertThat(limiter.tryRun(ran::incrementAndGet)).isFalse();
        }
        assertThat(ran).hasValue(0);

        assertThat(limiter.run(() -> ran.incrementAndGet())).isEqualTo(1);
        assertThat(limiter.tryRun(ran::incrementAndGet)).isTrue();
        assertThat(ran).hasValue(2);
    }

    @Test
    void aPermitIsReturnedWhenTheWorkThrows() {
        ConcurrentRateLimiter limiter = new ConcurrentRateLimiter(backend, "throws", 1);
        assertThatThrownBy(() -> limiter.run(() -> {
            throw new IOException("boom");
        })).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> limiter.tryRun(() -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(limiter.tryAcquire()).as("released after both failures").isPresent();
    }

    @Test
    void aWindowLimiterCapsAcquisitionsInASlidingWindow() {
        WindowRateLimiter limiter = new WindowRateLimiter(backend, "window", 3, Duration.ofSeconds(10));
        assertThat(acquisitions(limiter, 10)).isEqualTo(3);

        clock.advance(Duration.ofSeconds(5));
        assertThat(acquisitions(limiter, 10)).as("the first three are still in the window").isZero();
        clock.advance(Duration.ofSeconds(5));
        assertThat(acquisitions(limiter, 10)).as("they have slid out").isEqualTo(3);
    }

    @Test
    void aWindowSlidesOneHitAtATime() {
        WindowRateLimiter limiter = new WindowRateLimiter(backend, "slide", 2, Duration.ofSeconds(10));
        assertThat(limiter.tryRun(() -> { })).isTrue();   // t = 0
        clock.advance(Duration.ofSeconds(6));
        assertThat(limiter.tryRun(() -> { })).isTrue();   // t = 6
        assertThat(limiter.tryRun(() -> { })).isFalse();
        clock.advance(Duration.ofSeconds(4));             // t = 10: the first hit leaves the window
        assertThat(limiter.tryRun(() -> { })).isTrue();
        assertThat(limiter.tryRun(() -> { })).isFalse();
    }

    @Test
    void aBucketLimiterCapsAcquisitionsPerBucket() {
        BucketRateLimiter limiter = new BucketRateLimiter(backend, "bucket", 5, Duration.ofSeconds(1));
        assertThat(acquisitions(limiter, 20)).isEqualTo(5);
        clock.advance(Duration.ofMillis(499));
        assertThat(acquisitions(limiter, 20)).as("same bucket").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(acquisitions(limiter, 20)).as("next bucket").isEqualTo(5);
    }

    @Test
    void limitersWithDifferentKeysOrKindsCountSeparately() {
        new BucketRateLimiter(backend, "k", 1, Duration.ofSeconds(1)).acquire();
        new WindowRateLimiter(backend, "k", 1, Duration.ofSeconds(1)).acquire();
        new ConcurrentRateLimiter(backend, "k", 1).acquire();
        assertThat(new BucketRateLimiter(backend, "other", 1, Duration.ofSeconds(1)).tryAcquire()).isPresent();
    }

    @Test
    void aWindowLimiterHoldsUnderConcurrency() throws Exception {
        WindowRateLimiter limiter = new WindowRateLimiter(backend, "busy-window", 50, Duration.ofHours(1));
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                workers.add(pool.submit(() -> allowed.addAndGet(acquisitions(limiter, 100))));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(allowed).hasValue(50);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new ConcurrentRateLimiter(backend, "k", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new WindowRateLimiter(backend, " ", 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
        assertThatThrownBy(() -> new BucketRateLimiter(backend, "k", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket");
    }

    private static int acquisitions(RateLimiter limiter, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.tryRun(() -> { })) {
                allowed++;
            }
        }
        return allowed;
    }
}
