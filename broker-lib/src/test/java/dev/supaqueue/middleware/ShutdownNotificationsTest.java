package dev.supaqueue.middleware;

import static dev.supaqueue.middleware.InterruptTesting.await;
import static dev.supaqueue.middleware.InterruptTesting.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.message.Message;
import dev.supaqueue.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dramatiq's checklist item 43: the notify_shutdown truth table, and only opted-in running tasks interrupted. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ShutdownNotificationsTest {

    /** "absent" leaves the option out; null sets it to JSON null, which counts as unset. */
    private static final Object ABSENT = new Object();

    @Test
    void truthTable() {
        List<Object> levels = Arrays.asList(ABSENT, null, true, false);
        List<String> rows = new ArrayList<>();
        for (boolean middlewareDefault : new boolean[] {false, true}) {
            ShutdownNotifications notifications = new ShutdownNotifications(middlewareDefault);
            try (InterruptTesting t = new InterruptTesting(notifications)) {
                int n = 0;
                for (Object actorValue : levels) {
                    Actor<Object> actor = t.actor("actor" + n++,
                            actorValue == ABSENT ? Map.of() : options("notify_shutdown", actorValue), m -> null);
                    for (Object messageValue : levels) {
                        Message message = actor.messageWithOptions(List.of(), Map.of(),
                                messageValue == ABSENT ? Map.of() : options("notify_shutdown", messageValue));
                        boolean expected = messageValue instanceof Boolean b ? b
                                : actorValue instanceof Boolean b ? b
                                : middlewareDefault;
                        boolean actual = notifications.notifies(t.broker, message);
                        rows.add(middlewareDefault + "/" + actorValue + "/" + messageValue + " -> " + actual);
                        assertThat(actual).as("default %s, actor %s, message %s", middlewareDefault,
                                actorValue == ABSENT ? "absent" : actorValue,
                                messageValue == ABSENT ? "absent" : messageValue).isEqualTo(expected);
                    }
                }
            }
        }
        assertThat(rows).hasSize(32);
    }

    @Test
    void onlyOptedInRunningTasksAreInterruptedOnStop() throws Exception {
        InterruptTesting t = new InterruptTesting(new ShutdownNotifications());
        try (t) {
            CountDownLatch started = new CountDownLatch(3);
            Actor<Object> optedIn = t.actor("optedIn", options("notify_shutdown", true), m -> {
                started.countDown();
                Thread.sleep(10_000);
                return "slept";
            });
            Actor<Object> optedOutByMessage = t.actor("optedOutByMessage", options("notify_shutdown", true), m -> {
                started.countDown();
                Thread.sleep(300);
                return "finished";
            });
            Actor<Object> plain = t.actor("plain", Map.of(), m -> {
                started.countDown();
                Thread.sleep(300);
                return "finished";
            });
            Worker worker = t.start(3);
            optedIn.send();
            optedOutByMessage.sendWithOptions(List.of(), Map.of(), null, Map.of("notify_shutdown", false));
            plain.send();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            worker.stop(Duration.ofSeconds(5));
            long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(t.outcomes.awaitOne("optedIn").exception()).isInstanceOf(Shutdown.class)
                    .isInstanceOf(Interrupt.class).hasCauseInstanceOf(InterruptedException.class);
            assertThat(t.outcomes.awaitOne("optedOutByMessage").result()).isEqualTo("finished");
            assertThat(t.outcomes.awaitOne("optedOutByMessage").exception()).isNull();
            assertThat(t.outcomes.awaitOne("plain").result()).isEqualTo("finished");
            assertThat(stopMs).as("the others finished, the opted-in one did not sleep on").isLessThan(3_000);
            // All three were settled (acked): none is left to redeliver.
            assertThat(t.broker.queueSize("default")).isZero();
            assertThat(worker.stats().inFlight()).isZero();
        }
    }

    @Test
    void anIdleWorkerStopsAsUsual() throws Exception {
        InterruptTesting t = new InterruptTesting(new ShutdownNotifications(true));
        try (t) {
            Worker worker = t.start(1);
            await("the worker to run", worker::isRunning);
            worker.stop(Duration.ofSeconds(2));
            assertThat(worker.isRunning()).isFalse();
        }
    }
}
