package dev.supaqueue.middleware;

import static dev.supaqueue.middleware.InterruptTesting.await;
import static dev.supaqueue.middleware.InterruptTesting.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dramatiq's checklist item 17 (time limits) and 44 (no exception kept), without Retries: one attempt each. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TimeLimitTest {

    /** A long default, so only the actor's or message's limit can fire; checked every 20 ms. */
    private final TimeLimit timeLimit = new TimeLimit(60_000, 20);
    private final InterruptTesting t = new InterruptTesting(timeLimit);

    @AfterEach
    void stop() {
        t.close();
    }

    private static Object sleepLong(Object ignored) throws InterruptedException {
        Thread.sleep(10_000);
        return "slept";
    }

    @Test
    void actorTimeLimitFailsTheAttemptWithTimeLimitExceededAndFreesTheThread() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Actor<Object> slow = t.actor("slow", options("time_limit", 150), m -> {
            attempts.incrementAndGet();
            return sleepLong(m);
        });
        Actor<Object> next = t.actor("next", Map.of(), m -> "done");
        Worker worker = t.start(1);

        long start = System.nanoTime();
        slow.send();
        InterruptTesting.Outcomes.Attempt attempt = t.outcomes.awaitOne("slow");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(attempt.exception()).isInstanceOf(TimeLimitExceeded.class).isInstanceOf(Interrupt.class)
                .hasMessage("Time limit of 150 ms exceeded")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(attempt.result()).isNull();
        assertThat(tookMs).isBetween(140L, 3_000L);
        // The stack trace is where the actor was: in Thread.sleep.
        assertThat(attempt.exception().getStackTrace()).anyMatch(e -> e.getMethodName().equals("sleepLong"));

        // The only worker thread is free and starts clean.
        next.send();
        t.drain(worker);
        assertThat(t.outcomes.of("next")).singleElement().satisfies(a -> {
            assertThat(a.result()).isEqualTo("done");
            assertThat(a.exception()).isNull();
        });
        assertThat(attempts).hasValue(1);
        assertThat(worker.stats().actor("slow").failed()).isEqualTo(1);
        assertThat(worker.stats().actor("slow").processed()).isZero();
        assertThat(t.broker.deadLetters("default")).isEmpty(); // no Retries: failed attempts are acked
        assertThat(timeLimit.overdueTasks()).isZero();
    }

    @Test
    void messageTimeLimitOverridesTheActorsAndZeroFallsThrough() throws Exception {
        Actor<Object> fromMessage = t.actor("fromMessage", options("time_limit", 60_000), TimeLimitTest::sleepLong);
        Actor<Object> zeroInMessage = t.actor("zeroInMessage", options("time_limit", 100), TimeLimitTest::sleepLong);
        t.start(2);

        fromMessage.sendWithOptions(List.of(), Map.of(), null, Map.of("time_limit", 100));
        // Python's `or`: a message's 0 is no limit of its own; the actor's applies.
        zeroInMessage.sendWithOptions(List.of(), Map.of(), null, Map.of("time_limit", 0));

        assertThat(t.outcomes.awaitOne("fromMessage").exception()).isInstanceOf(TimeLimitExceeded.class)
                .hasMessage("Time limit of 100 ms exceeded");
        assertThat(t.outcomes.awaitOne("zeroInMessage").exception()).isInstanceOf(TimeLimitExceeded.class)
                .hasMessage("Time limit of 100 ms exceeded");
    }

    @Test
    void theReasonWinsHoweverTheActorEnds() throws Exception {
        // Catches the interrupt and returns normally: still a failure.
        Actor<Object> swallows = t.actor("swallows", options("time_limit", 100), m -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return "finished anyway";
            }
            return "slept";
        });
        // Wraps the interrupt in its own exception: that becomes the cause.
        Actor<Object> wraps = t.actor("wraps", options("time_limit", 100), m -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the usual idiom; must not leak into the ack or next task
                throw new IllegalStateException("gave up", e);
            }
            return "slept";
        });
        AtomicBoolean nextSawInterrupt = new AtomicBoolean(true);
        Actor<Object> next = t.actor("next", Map.of(), m -> {
            nextSawInterrupt.set(Thread.currentThread().isInterrupted());
            return null;
        });
        Worker worker = t.start(1);

        swallows.send();
        wraps.send();
        InterruptTesting.Outcomes.Attempt swallowed = t.outcomes.awaitOne("swallows");
        InterruptTesting.Outcomes.Attempt wrapped = t.outcomes.awaitOne("wraps");
        next.send();
        t.drain(worker);

        assertThat(swallowed.exception()).isInstanceOf(TimeLimitExceeded.class).hasNoCause();
        assertThat(swallowed.result()).isNull();
        assertThat(wrapped.exception()).isInstanceOf(TimeLimitExceeded.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(InterruptedException.class);
        assertThat(nextSawInterrupt).isFalse();
        assertThat(worker.stats().failed()).isEqualTo(2);
        assertThat(worker.stats().processed()).isEqualTo(1);
    }

    @Test
    void aTaskIgnoringInterruptsIsReportedAndCountedAndTheWorkerSurvives() throws Exception {
        AtomicBoolean looping = new AtomicBoolean();
        Actor<Object> spins = t.actor("spins", options("time_limit", 100), m -> {
            looping.set(true);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
            long spins2 = 0;
            while (System.nanoTime() < end) {
                spins2++; // checks nothing, not even the interrupt status
            }
            return spins2;
        });
        Actor<Object> next = t.actor("next", Map.of(), m -> "done");
        Worker worker = t.start(1);

        spins.send();
        await("the task to be reported overdue", () -> timeLimit.overdueTasks() == 1);
        assertThat(looping).isTrue();
        assertThat(timeLimit.stuckTasks()).isEqualTo(1);
        assertThat(t.outcomes.of("spins")).isEmpty(); // still running

        InterruptTesting.Outcomes.Attempt attempt = t.outcomes.awaitOne("spins");
        assertThat(attempt.exception()).isInstanceOf(TimeLimitExceeded.class).hasNoCause();
        next.send();
        t.drain(worker);
        assertThat(t.outcomes.of("next")).singleElement().extracting(a -> a.result()).isEqualTo("done");
        assertThat(timeLimit.overdueTasks()).isEqualTo(1);
        assertThat(timeLimit.stuckTasks()).isZero();
        assertThat(worker.isRunning()).isTrue();
    }

    // 44
    @Test
    void keepsNoExceptionAfterProcessing() throws Exception {
        Actor<Object> slow = t.actor("slow", options("time_limit", 100), TimeLimitTest::sleepLong);
        Actor<Object> quick = t.actor("quick", Map.of(), m -> "quick");
        Worker worker = t.start(2);

        slow.send();
        quick.send();
        t.drain(worker);

        InterruptTesting.Outcomes.Attempt attempt = t.outcomes.awaitOne("slow");
        assertThat(attempt.exception()).isInstanceOf(TimeLimitExceeded.class);
        assertThat(attempt.proxy().exception()).as("the proxy's exception is cleared").isNull();
        assertThat(t.outcomes.awaitOne("quick").proxy().exception()).isNull();
        assertThat(timeLimit.trackedTasks()).as("no deadline left").isZero();
    }

    @Test
    void aQuickTaskIsNotInterrupted() throws Exception {
        Actor<Object> quick = t.actor("quick", options("time_limit", 1_000), m -> {
            Thread.sleep(50);
            return "ok";
        });
        Worker worker = t.start(1);
        quick.send();
        t.drain(worker);
        Thread.sleep(100); // a few more checks
        assertThat(t.outcomes.of("quick")).singleElement().satisfies(a -> {
            assertThat(a.exception()).isNull();
            assertThat(a.result()).isEqualTo("ok");
        });
        assertThat(timeLimit.trackedTasks()).isZero();
    }

    @Test
    void validatesItsArguments() {
        assertThat(new TimeLimit().timeLimitMs()).isEqualTo(600_000);
        assertThat(new TimeLimit().intervalMs()).isEqualTo(1_000);
        assertThat(timeLimit.actorOptions()).containsExactly("time_limit");
        assertThatThrownBy(() -> new TimeLimit(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeLimit(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stopsItsTimerWithTheLastWorker() throws Exception {
        t.actor("quick", Map.of(), m -> null);
        assertThat(timeLimit.timerRunning()).isFalse();
        Worker first = t.start(1);
        Worker second = t.start(1);
        assertThat(timeLimit.timerRunning()).isTrue();
        first.stop(Duration.ofSeconds(2));
        assertThat(timeLimit.timerRunning()).isTrue();
        second.stop(Duration.ofSeconds(2));
        assertThat(timeLimit.timerRunning()).isFalse();
    }
}
