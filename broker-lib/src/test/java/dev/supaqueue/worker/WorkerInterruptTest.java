package dev.supaqueue.worker;

import static dev.supaqueue.worker.WorkerTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Worker#interrupt}: how a middleware's reason replaces the outcome of the attempt it interrupts. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WorkerInterruptTest {

    /** Records what after_process_message sees and, from it, whether an interrupt still applies. */
    private static final class Recorder implements Middleware {

        final List<Throwable> exceptions = new CopyOnWriteArrayList<>();
        final List<Object> results = new CopyOnWriteArrayList<>();
        final List<Boolean> lateInterrupts = new CopyOnWriteArrayList<>();
        final AtomicReference<Worker> worker = new AtomicReference<>();
        final AtomicReference<Throwable> stuffed = new AtomicReference<>();

        @Override
        public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
            exceptions.add(exception == null ? new Throwable("none") : exception);
            results.add(String.valueOf(result));
            stuffed.set(message.exception());
            lateInterrupts.add(worker.get().interrupt(message, new IllegalStateException("too late")));
        }
    }

    private final Recorder recorder = new Recorder();
    private final WorkerTesting t = new WorkerTesting(new StubBroker(List.of(recorder)));

    @AfterEach
    void stop() {
        t.stopAll();
    }

    @Test
    void theFirstReasonReplacesTheOutcomeWithTheActorsExceptionAsCause() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        TestActor.declare(t.broker, "sleeps", m -> {
            running.countDown();
            Thread.sleep(10_000);
            return "slept";
        });
        Worker worker = t.start(WorkerTesting.options().workerThreads(1));
        recorder.worker.set(worker);

        Message sent = t.broker.getActor("sleeps").send();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        MessageProxy proxy = worker.currentMessage(worker.runningMessages().getFirst().thread()).orElseThrow();
        assertThat(proxy.messageId()).isEqualTo(sent.messageId());

        assertThat(worker.interrupt(new MessageProxy(sent, 0, 1), new IllegalStateException("not this proxy")))
                .isFalse();
        IllegalStateException first = new IllegalStateException("first");
        assertThat(worker.interrupt(proxy, first)).isTrue();
        assertThat(worker.interrupt(proxy, new IllegalStateException("second"))).isFalse();
        t.drain(worker, "default");

        assertThat(recorder.exceptions).singleElement().isSameAs(first);
        assertThat(first).hasCauseInstanceOf(InterruptedException.class);
        assertThat(recorder.stuffed.get()).as("stuffed into the proxy for the after hooks").isSameAs(first);
        assertThat(proxy.exception()).as("and cleared afterwards").isNull();
        assertThat(recorder.results).containsExactly("null");
        assertThat(recorder.lateInterrupts).as("no interrupt once the actor has ended").containsExactly(false);
        assertThat(worker.stats().failed()).isEqualTo(1);
        assertThat(worker.interrupt(proxy, new IllegalStateException("after"))).isFalse();
    }

    @Test
    void aNormalReturnAfterTheInterruptStillFailsAndTheNextMessageStartsClean() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        TestActor.declare(t.broker, "ignores", m -> {
            running.countDown();
            while (interrupted.getCount() > 0) {
                Thread.onSpinWait(); // deaf to interrupts
            }
            return "ignored the interrupt"; // with the interrupt status still set
        });
        AtomicReference<Boolean> nextInterrupted = new AtomicReference<>();
        TestActor.declare(t.broker, "next", m -> {
            nextInterrupted.set(Thread.currentThread().isInterrupted());
            return "next";
        });
        Worker worker = t.start(WorkerTesting.options().workerThreads(1));
        recorder.worker.set(worker);

        t.broker.getActor("ignores").send();
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        await("the task to run", () -> !worker.runningMessages().isEmpty());
        MessageProxy proxy = worker.runningMessages().getFirst().message();
        IllegalStateException reason = new IllegalStateException("stop now");
        assertThat(worker.interrupt(proxy, reason)).isTrue();
        interrupted.countDown();
        t.broker.getActor("next").send();
        t.drain(worker, "default");

        assertThat(recorder.exceptions.getFirst()).isSameAs(reason);
        assertThat(reason).hasNoCause();
        assertThat(recorder.results.getFirst()).isEqualTo("null");
        assertThat(nextInterrupted.get()).isFalse();
        assertThat(recorder.results.get(1)).isEqualTo("next");
        assertThat(worker.stats().processed()).isEqualTo(1);
        assertThat(worker.stats().failed()).isEqualTo(1);
    }
}
