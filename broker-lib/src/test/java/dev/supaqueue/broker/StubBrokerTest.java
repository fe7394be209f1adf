package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.message.MessageEncoder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory broker (DRAMATIQ.md §1.6, §7 items 10, 16, 36, 37, 45 and the pgmq consume semantics). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StubBrokerTest {

    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Duration.ofSeconds(5);

    private final StubBroker broker = new StubBroker();
    private final TestActor actor = TestActor.declare(broker, "act", "q");
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private MessageProxy next(Consumer consumer) throws InterruptedException {
        Optional<MessageProxy> next = consumer.next();
        assertThat(next).as("a message from %s", consumer).isPresent();
        return next.orElseThrow();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ------------------------------------------------------------ undeclared queues (item 36)

    @Test
    void anUndeclaredQueueIsQueueNotFoundEverywhere() {
        Message message = Message.create("idontexist", "act", List.of(), Map.of(), Map.of());

        assertThatThrownBy(() -> broker.consume("idontexist", 1, SHORT)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.enqueue(message)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.join("idontexist", SHORT)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.join("idontexist", SHORT, true)).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.flush("idontexist")).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.deadLetters("idontexist")).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> broker.queueSize("idontexist")).isInstanceOf(QueueNotFoundException.class);
    }

    @Test
    void consumeValidatesItsArguments() {
        assertThatThrownBy(() -> broker.consume("q", 0, SHORT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> broker.consume("q", 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> broker.consume("q", 1, null)).isInstanceOf(NullPointerException.class);
    }

    // ------------------------------------------------------------ enqueue, consume, ack

    @Test
    void aMessageIsEnqueuedConsumedAndAcked() throws Exception {
        Message sent = actor.messageWithOptions(List.of("a@example.com", 2, 2.5, true),
                Map.of("urgent", true, "tags", List.of("x", "y")), Map.of("max_retries", 3));
        broker.enqueue(sent);
        assertThat(broker.queueSize("q")).isEqualTo(1);

        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);

            // The consumer gets a decoded copy of what was stored, equal to what was sent.
            assertThat(proxy.message()).isEqualTo(sent).isNotSameAs(sent);
            assertThat(proxy.deliveryCount()).isEqualTo(1);
            assertThat(broker.queueSize("q")).isZero();

            consumer.ack(proxy);
            broker.join("q", SHORT);
            assertThat(consumer.next()).isEmpty();
        }
        assertThat(broker.deadLetters("q")).isEmpty();
    }

    @Test
    void readyMessagesAreDeliveredInEnqueueOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(actor.send(i).messageId());
        }
        List<String> delivered = new ArrayList<>();
        try (Consumer consumer = broker.consume("q", 10, SHORT)) {
            for (int i = 0; i < 10; i++) {
                delivered.add(next(consumer).messageId());
            }
        }
        assertThat(delivered).isEqualTo(ids);
    }

    @Test
    void nextReturnsEmptyAfterTheTimeout() throws Exception {
        try (Consumer consumer = broker.consume("q", 1, Duration.ofMillis(100))) {
            long start = System.nanoTime();
            assertThat(consumer.next()).isEmpty();
            assertThat(millisSince(start)).isBetween(90L, 2_000L);
        }
    }

    @Test
    void aZeroTimeoutOnlyLooks() throws Exception {
        try (Consumer consumer = broker.consume("q", 1, Duration.ZERO)) {
            assertThat(consumer.next()).isEmpty();
            actor.send(1);
            assertThat(consumer.next()).isPresent();
        }
    }

    @Test
    void aWaitingConsumerWakesUpOnEnqueue() throws Exception {
        try (Consumer consumer = broker.consume("q", 1, LONG)) {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<Optional<MessageProxy>> next = threads.submit(() -> {
                waiting.countDown();
                return consumer.next();
            });
            waiting.await();
            Thread.sleep(50);
            long start = System.nanoTime();
            Message sent = actor.send("wake up");

            assertThat(next.get(2, TimeUnit.SECONDS)).get().extracting(MessageProxy::message).isEqualTo(sent);
            assertThat(millisSince(start)).isLessThan(1_000L);
        }
    }

    @Test
    void enqueueingOnADramatiqDelayQueueNameStoresOnTheCanonicalQueue() throws Exception {
        Message fromPython = Message.create("q.DQ", "act", List.of(1), Map.of(), Map.of());

        Message stored = broker.enqueue(fromPython);

        assertThat(stored.queueName()).isEqualTo("q");
        assertThat(stored.messageId()).isEqualTo(fromPython.messageId());
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            assertThat(next(consumer).message()).isEqualTo(stored);
        }
    }

    @Test
    void aNonJsonArgumentIsRefusedAtEnqueue() {
        assertThatThrownBy(() -> actor.send("ok", Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("args[1]")
                .hasMessageContaining("NaN")
                .hasMessageContaining("'act'")
                .hasMessageContaining("'q'");
        assertThatThrownBy(() -> actor.sendWithOptions(List.of(), Map.of("ratio", Double.POSITIVE_INFINITY),
                null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kwargs.ratio");
        assertThatThrownBy(() -> actor.send("nul\u0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
        assertThat(broker.queueSize("q")).isZero();
    }

    // ------------------------------------------------------------ delays (item 10)

    @Test
    void delaysAreHonouredAndIndependentOfEachOther() throws Exception {
        long start = System.nanoTime();
        // Enqueued in the opposite order of their delays: the shorter delay must still come first.
        Message later = broker.enqueue(actor.message("450"), Duration.ofMillis(450));
        Message sooner = broker.enqueue(actor.message("300"), Duration.ofMillis(300));
        Message now = actor.send("now");
        assertThat(broker.queueSize("q")).isEqualTo(3);

        try (Consumer consumer = broker.consume("q", 10, LONG)) {
            assertThat(next(consumer).message()).isEqualTo(now);
            assertThat(millisSince(start)).isLessThan(300L);

            assertThat(next(consumer).message()).isEqualTo(sooner);
            long soonerAt = millisSince(start);
            assertThat(soonerAt).isGreaterThanOrEqualTo(300L);

            assertThat(next(consumer).message()).isEqualTo(later);
            long laterAt = millisSince(start);
            assertThat(laterAt).isGreaterThanOrEqualTo(450L).isLessThan(3_000L);
        }
    }

    @Test
    void aDelayedMessageIsNotDeliveredEarly() throws Exception {
        broker.enqueue(actor.message(1), Duration.ofMillis(300));

        try (Consumer consumer = broker.consume("q", 1, Duration.ofMillis(100))) {
            assertThat(consumer.next()).isEmpty();
            assertThat(broker.queueSize("q")).isEqualTo(1);
        }
    }

    @Test
    void aDelayedMessageDoesNotHoldBackAReadyOne() throws Exception {
        broker.enqueue(actor.message("delayed"), Duration.ofSeconds(60));
        Message ready = actor.send("ready");

        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            assertThat(next(consumer).message()).isEqualTo(ready);
            assertThat(consumer.next()).isEmpty();
        }
    }

    @Test
    void aHugeDelayIsAcceptedAndNeverDelivered() throws Exception {
        broker.enqueue(actor.message(1), Duration.ofSeconds(Long.MAX_VALUE));

        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            assertThat(consumer.next()).isEmpty();
        }
        assertThat(broker.queueSize("q")).isEqualTo(1);
    }

    // ------------------------------------------------------------ prefetch (item 16)

    @Test
    void prefetchCapsOutstandingMessages() throws Exception {
        for (int i = 0; i < 15; i++) {
            actor.send(i);
        }
        try (Consumer consumer = broker.consume("q", 5, SHORT)) {
            List<MessageProxy> delivered = new ArrayList<>();
            Optional<MessageProxy> next;
            while ((next = consumer.next()).isPresent()) {
                delivered.add(next.get());
            }

            assertThat(delivered).hasSize(5);
            assertThat(broker.queueSize("q")).isEqualTo(10);

            // An ack frees one slot, and one slot only.
            consumer.ack(delivered.getFirst());
            assertThat(consumer.next()).isPresent();
            assertThat(consumer.next()).isEmpty();
            assertThat(broker.queueSize("q")).isEqualTo(9);
        }
    }

    @Test
    void aConsumerWaitingForASlotWakesUpWhenOneIsFreed() throws Exception {
        actor.send(1);
        actor.send(2);
        try (Consumer consumer = broker.consume("q", 1, LONG)) {
            MessageProxy first = next(consumer);
            Future<Optional<MessageProxy>> second = threads.submit(consumer::next);
            Thread.sleep(50);
            assertThat(second).isNotDone();

            long start = System.nanoTime();
            consumer.ack(first);

            assertThat(second.get(2, TimeUnit.SECONDS)).isPresent();
            assertThat(millisSince(start)).isLessThan(1_000L);
        }
    }

    @Test
    void aMessageIsDeliveredToOneConsumerAtATime() throws Exception {
        Message sent = actor.send(1);
        try (Consumer one = broker.consume("q", 1, SHORT); Consumer two = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(one);
            assertThat(proxy.message()).isEqualTo(sent);
            assertThat(two.next()).isEmpty();

            one.requeue(List.of(proxy));
            assertThat(next(two).message()).isEqualTo(sent);
        }
    }

    // ------------------------------------------------------------ nack, requeue, close

    @Test
    void nackMovesTheMessageToTheDeadLetters() throws Exception {
        Message sent = actor.send(1);
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.updateOptions(Map.of("retries", 20));
            proxy.fail();

            consumer.nack(proxy);

            assertThat(broker.deadLetters("q")).containsExactly(sent.withOptions(Map.of("retries", 20)));
            assertThat(broker.queueSize("q")).isZero();
            assertThat(consumer.next()).isEmpty();
            broker.join("q", SHORT);
        }
    }

    @Test
    void deadLettersIsASnapshot() throws Exception {
        actor.send(1);
        List<Message> before = broker.deadLetters("q");
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            consumer.nack(next(consumer));
        }
        assertThat(before).isEmpty();
        assertThat(broker.deadLetters("q")).hasSize(1);
        assertThatThrownBy(() -> broker.deadLetters("q").clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requeueMakesMessagesVisibleAgainAtOnceInTheirPlace() throws Exception {
        Message a = actor.send("a");
        Message b = actor.send("b");
        Message c = actor.send("c");
        try (Consumer consumer = broker.consume("q", 2, LONG)) {
            MessageProxy first = next(consumer);
            MessageProxy second = next(consumer);
            assertThat(broker.queueSize("q")).isEqualTo(1);

            consumer.requeue(List.of(second, first));

            assertThat(broker.queueSize("q")).isEqualTo(3);
            long start = System.nanoTime();
            MessageProxy again = next(consumer);
            MessageProxy againSecond = next(consumer);
            assertThat(millisSince(start)).isLessThan(1_000L);

            // A requeued message keeps its place before the one enqueued after it.
            assertThat(List.of(again.message(), againSecond.message())).containsExactly(a, b);
            assertThat(again.deliveryCount()).isEqualTo(2);
            assertThat(again.deliveryId()).isNotEqualTo(first.deliveryId()).isNotEqualTo(second.deliveryId());

            consumer.ack(again);
            MessageProxy third = next(consumer);
            assertThat(third.message()).isEqualTo(c);
            assertThat(third.deliveryCount()).isEqualTo(1);
        }
    }

    @Test
    void settlingADeliveryTwiceOrAfterRequeueDoesNothing() throws Exception {
        actor.send(1);
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy first = next(consumer);
            consumer.requeue(List.of(first));
            MessageProxy second = next(consumer);

            // The first delivery is over: acking or nacking it neither fails nor touches the new delivery.
            assertThatCode(() -> consumer.ack(first)).doesNotThrowAnyException();
            assertThatCode(() -> consumer.nack(first)).doesNotThrowAnyException();
            assertThat(broker.deadLetters("q")).isEmpty();
            assertThatThrownBy(() -> broker.join("q", SHORT)).isInstanceOf(QueueJoinTimeoutException.class);

            consumer.ack(second);
            consumer.ack(second);
            broker.join("q", SHORT);
        }
    }

    @Test
    void aDeliveryMustBeSettledByTheConsumerThatDeliveredIt() throws Exception {
        actor.send(1);
        try (Consumer one = broker.consume("q", 1, SHORT); Consumer two = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(one);

            assertThatThrownBy(() -> two.ack(proxy))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another consumer");
            one.ack(proxy);
        }
    }

    @Test
    void deliveryIdsAreUniqueAndDeliveryCountsCountDeliveries() throws Exception {
        actor.send(1);
        actor.send(2);
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        try (Consumer consumer = broker.consume("q", 2, SHORT)) {
            for (int round = 1; round <= 3; round++) {
                MessageProxy a = next(consumer);
                MessageProxy b = next(consumer);
                assertThat(a.deliveryCount()).isEqualTo(round);
                assertThat(b.deliveryCount()).isEqualTo(round);
                assertThat(ids.add(a.deliveryId())).isTrue();
                assertThat(ids.add(b.deliveryId())).isTrue();
                consumer.requeue(List.of(a, b));
            }
        }
    }

    @Test
    void closeRequeuesOutstandingMessages() throws Exception {
        Message sent = actor.send(1);
        Consumer consumer = broker.consume("q", 1, LONG);
        MessageProxy proxy = next(consumer);

        consumer.close();

        assertThat(broker.queueSize("q")).isEqualTo(1);
        // A closed consumer delivers nothing, at once, and settling its old deliveries does nothing.
        long start = System.nanoTime();
        assertThat(consumer.next()).isEmpty();
        assertThat(millisSince(start)).isLessThan(1_000L);
        consumer.ack(proxy);
        consumer.close();

        try (Consumer other = broker.consume("q", 1, SHORT)) {
            MessageProxy again = next(other);
            assertThat(again.message()).isEqualTo(sent);
            assertThat(again.deliveryCount()).isEqualTo(2);
            other.ack(again);
        }
        broker.join("q", SHORT);
    }

    @Test
    void closeWakesUpAConsumerWaitingOnAnotherThread() throws Exception {
        Consumer consumer = broker.consume("q", 1, LONG);
        Future<Optional<MessageProxy>> next = threads.submit(consumer::next);
        Thread.sleep(50);

        long start = System.nanoTime();
        consumer.close();

        assertThat(next.get(2, TimeUnit.SECONDS)).isEmpty();
        assertThat(millisSince(start)).isLessThan(1_000L);
    }

    @Test
    void aWaitingConsumerCanBeInterrupted() throws Exception {
        try (Consumer consumer = broker.consume("q", 1, LONG)) {
            CountDownLatch interrupted = new CountDownLatch(1);
            Thread thread = new Thread(() -> {
                try {
                    consumer.next();
                } catch (InterruptedException expected) {
                    interrupted.countDown();
                }
            });
            thread.start();
            Thread.sleep(50);
            thread.interrupt();

            assertThat(interrupted.await(2, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ------------------------------------------------------------ join (item 37)

    @Test
    void joinReturnsOnceEveryMessageIsAcked() throws Exception {
        for (int i = 0; i < 20; i++) {
            actor.send(i);
        }
        Consumer consumer = broker.consume("q", 5, LONG);
        Future<?> worker = threads.submit(() -> {
            for (int i = 0; i < 20; i++) {
                MessageProxy proxy = consumer.next().orElseThrow();
                Thread.sleep(2);
                consumer.ack(proxy);
            }
            return null;
        });

        broker.join("q", LONG);

        assertThat(broker.queueSize("q")).isZero();
        worker.get(1, TimeUnit.SECONDS);
        consumer.close();
    }

    @Test
    void joinOnAnEmptyQueueReturnsAtOnce() throws Exception {
        long start = System.nanoTime();
        broker.join("q", Duration.ZERO);
        broker.join("q", null);
        assertThat(millisSince(start)).isLessThan(1_000L);
    }

    @Test
    void joinTimesOutWhileMessagesAreReadyDelayedOrOutstanding() throws Exception {
        actor.send(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> broker.join("q", Duration.ofMillis(100)))
                .isInstanceOf(QueueJoinTimeoutException.class)
                .hasMessageContaining("'q'")
                .hasMessageContaining("100 ms");
        assertThat(millisSince(start)).isBetween(90L, 2_000L);

        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy outstanding = next(consumer);
            assertThatThrownBy(() -> broker.join("q", SHORT)).isInstanceOf(QueueJoinTimeoutException.class);
            consumer.ack(outstanding);
        }
        broker.join("q", SHORT);

        broker.enqueue(actor.message(2), Duration.ofSeconds(60));
        assertThatThrownBy(() -> broker.join("q", SHORT)).isInstanceOf(QueueJoinTimeoutException.class);
    }

    @Test
    void joinFailFastRethrowsTheExceptionOfADeadLetteredMessage() throws Exception {
        actor.send(1);
        IllegalStateException failure = new IllegalStateException("actor failed");
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.stuffException(failure);
            proxy.fail();
            consumer.nack(proxy);
            // The worker clears the exception after processing; the dead letter keeps it.
            proxy.clearException();
        }

        assertThatThrownBy(() -> broker.join("q", SHORT, true)).isSameAs(failure);
        assertThatCode(() -> broker.join("q", SHORT, false)).doesNotThrowAnyException();
        assertThatCode(() -> broker.join("q", SHORT)).doesNotThrowAnyException();
    }

    @Test
    void joinFailFastRethrowsTheFirstFailureOnly() throws Exception {
        actor.send(1);
        actor.send(2);
        actor.send(3);
        RuntimeException first = new IllegalArgumentException("first");
        try (Consumer consumer = broker.consume("q", 3, SHORT)) {
            consumer.nack(next(consumer)); // no exception: skipped by fail-fast
            MessageProxy failed = next(consumer);
            failed.stuffException(first);
            consumer.nack(failed);
            MessageProxy failedLater = next(consumer);
            failedLater.stuffException(new IllegalArgumentException("second"));
            consumer.nack(failedLater);
        }

        assertThatThrownBy(() -> broker.join("q", SHORT, true)).isSameAs(first);
        assertThat(broker.deadLetters("q")).hasSize(3);
    }

    @Test
    void joinFailFastWrapsACheckedException() throws Exception {
        Message sent = actor.send(1);
        IOException failure = new IOException("disk full");
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.stuffException(failure);
            consumer.nack(proxy);
        }

        assertThatThrownBy(() -> broker.join("q", SHORT, true))
                .isInstanceOf(BrokerException.class)
                .hasCause(failure)
                .hasMessageContaining(sent.messageId())
                .hasMessageContaining("'act'")
                .hasMessageContaining("disk full");
    }

    @Test
    void joinFailFastRethrowsAnErrorAsItIs() throws Exception {
        actor.send(1);
        AssertionError failure = new AssertionError("expected 2");
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.stuffException(failure);
            consumer.nack(proxy);
        }

        assertThatThrownBy(() -> broker.join("q", SHORT, true)).isSameAs(failure);
    }

    @Test
    void joinFailFastWaitsForTheQueueToDrainFirst() throws Exception {
        actor.send(1);
        actor.send(2);
        RuntimeException failure = new IllegalStateException("boom");
        try (Consumer consumer = broker.consume("q", 2, SHORT)) {
            MessageProxy failed = next(consumer);
            MessageProxy running = next(consumer);
            failed.stuffException(failure);
            consumer.nack(failed);

            Future<?> join = threads.submit(() -> {
                broker.join("q", LONG, true);
                return null;
            });
            Thread.sleep(100);
            assertThat(join).isNotDone();

            consumer.ack(running);
            assertThatThrownBy(() -> join.get(2, TimeUnit.SECONDS)).hasCause(failure);
        }
    }

    @Test
    void aFailFastJoinThatTimesOutCarriesTheFailure() throws Exception {
        actor.send(1);
        actor.send(2);
        RuntimeException failure = new IllegalStateException("boom");
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.stuffException(failure);
            consumer.nack(proxy);
        }

        assertThatThrownBy(() -> broker.join("q", SHORT, true))
                .isInstanceOf(QueueJoinTimeoutException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
        assertThatThrownBy(() -> broker.join("q", SHORT, false))
                .isInstanceOf(QueueJoinTimeoutException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }

    @Test
    void flushForgetsFailuresForFailFastButKeepsTheDeadLetters() throws Exception {
        actor.send(1);
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy proxy = next(consumer);
            proxy.stuffException(new IllegalStateException("before the flush"));
            consumer.nack(proxy);
        }

        broker.flush("q");

        assertThat(broker.deadLetters("q")).hasSize(1);
        assertThatCode(() -> broker.join("q", SHORT, true)).doesNotThrowAnyException();
    }

    // ------------------------------------------------------------ flush (item 36)

    @Test
    void flushEmptiesOneQueueOnly() {
        TestActor other = TestActor.declare(broker, "other", "q2");
        actor.send(1);
        broker.enqueue(actor.message(2), Duration.ofSeconds(60));
        other.send(3);

        broker.flush("q");

        assertThat(broker.queueSize("q")).isZero();
        assertThat(broker.queueSize("q2")).isEqualTo(1);
    }

    @Test
    void flushAllClearsQueuesAndDeadLettersWithoutBreakingAnOpenConsumer() throws Exception {
        TestActor other = TestActor.declare(broker, "other", "q2");
        actor.send(1);
        actor.send(2);
        broker.enqueue(actor.message(3), Duration.ofSeconds(60));
        other.send(4);
        try (Consumer consumer = broker.consume("q", 1, SHORT)) {
            MessageProxy failed = next(consumer);
            failed.stuffException(new IllegalStateException("boom"));
            consumer.nack(failed);
            MessageProxy inFlight = next(consumer);
            assertThat(broker.deadLetters("q")).hasSize(1);

            broker.flushAll();

            assertThat(broker.queueSize("q")).isZero();
            assertThat(broker.queueSize("q2")).isZero();
            assertThat(broker.deadLetters("q")).isEmpty();
            broker.join("q", SHORT, true);
            broker.join("q2", SHORT, true);

            // The flushed delivery is gone: settling it does nothing, and its prefetch slot is free again.
            assertThatCode(() -> consumer.ack(inFlight)).doesNotThrowAnyException();
            Message after = actor.send(5);
            assertThat(next(consumer).message()).isEqualTo(after);
        }
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void fourConsumersShareAThousandMessagesEachDeliveredExactlyOnce() throws Exception {
        int total = 1_000;
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger settled = new AtomicInteger();
        List<Consumer> consumers = new ArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Consumer consumer = broker.consume("q", 10, SHORT);
            consumers.add(consumer);
            workers.add(threads.submit(() -> {
                while (settled.get() < total) {
                    Optional<MessageProxy> next = consumer.next();
                    if (next.isPresent()) {
                        deliveries.incrementAndGet();
                        received.add(next.get().messageId());
                        consumer.ack(next.get());
                        settled.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        // Two producers while the consumers run.
        List<Future<?>> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            producers.add(threads.submit(() -> {
                for (int i = 0; i < total / 2; i++) {
                    sent.add(actor.send(i).messageId());
                }
            }));
        }
        for (Future<?> producer : producers) {
            producer.get(10, TimeUnit.SECONDS);
        }

        broker.join("q", Duration.ofSeconds(10));
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.SECONDS);
        }
        consumers.forEach(Consumer::close);

        assertThat(sent).hasSize(total);
        assertThat(deliveries.get()).isEqualTo(total);
        assertThat(received).isEqualTo(sent);
        assertThat(broker.queueSize("q")).isZero();
    }

    // ------------------------------------------------------------ pluggable encoder (item 45)

    @Test
    void theDefaultEncoderIsMessageCodec() {
        assertThat(broker.encoder()).isInstanceOf(MessageCodec.class);
        assertThat(new StubBroker(List.of()).encoder()).isInstanceOf(MessageCodec.class);
        assertThatThrownBy(() -> new StubBroker(List.of(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNonJsonEncoderRoundTripsThroughTheStub() throws Exception {
        XorFramedEncoder encoder = new XorFramedEncoder();
        StubBroker binary = new StubBroker(List.of(), encoder);
        TestActor.declare(binary, "act", "q");
        Map<String, Object> kwargs = new java.util.LinkedHashMap<>();
        kwargs.put("nested", Map.of("list", List.of(1, 2.5, "x")));
        kwargs.put("nothing", null);
        kwargs.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        Message sent = binary.enqueue(Message.create("q", "act", List.of("héllo ☃ 😀", Long.MAX_VALUE, true),
                kwargs, Map.of("max_retries", 3)));
        Message delayed = binary.enqueue(Message.create("q", "act", List.of("later"), Map.of(), Map.of()),
                Duration.ofMillis(20));

        byte[] stored = encoder.lastEncoded;
        assertThat(stored[0]).as("not a JSON object").isNotEqualTo((byte) '{');
        assertThatThrownBy(() -> new MessageCodec().decode(stored)).isInstanceOf(MessageDecodeException.class);

        try (Consumer consumer = binary.consume("q", 2, LONG)) {
            MessageProxy first = next(consumer);
            assertThat(first.message()).isEqualTo(sent);
            // Requeue hands back the same stored bytes, decoded again.
            consumer.requeue(List.of(first));
            assertThat(next(consumer).message()).isEqualTo(sent);
            assertThat(next(consumer).message()).isEqualTo(delayed);
        }
    }

    @Test
    void anUndecodableBodyIsDeadLetteredSkippedAndRethrownByAFailFastJoin() throws Exception {
        XorFramedEncoder encoder = new XorFramedEncoder(m -> m.args().contains("poison"));
        StubBroker binary = new StubBroker(List.of(), encoder);
        TestActor.declare(binary, "act", "q");
        Message before = binary.enqueue(Message.create("q", "act", List.of(1), Map.of(), Map.of()));
        binary.enqueue(Message.create("q", "act", List.of("poison"), Map.of(), Map.of()));
        Message after = binary.enqueue(Message.create("q", "act", List.of(2), Map.of(), Map.of()));

        try (Consumer consumer = binary.consume("q", 1, SHORT)) {
            MessageProxy first = next(consumer);
            consumer.ack(first);
            // The undecodable body is skipped without holding the consumer's only prefetch slot.
            MessageProxy second = next(consumer);
            consumer.ack(second);
            assertThat(List.of(first.message(), second.message())).containsExactly(before, after);
            assertThat(consumer.next()).isEmpty();
        }

        assertThat(binary.queueSize("q")).isZero();
        assertThat(binary.deadLetters("q")).as("an undecodable body has no message to list").isEmpty();
        assertThatThrownBy(() -> binary.join("q", SHORT, true))
                .isInstanceOf(MessageDecodeException.class)
                .satisfies(e -> assertThat(((MessageDecodeException) e).reason()).contains("bad magic number"));
        assertThatCode(() -> binary.join("q", SHORT)).doesNotThrowAnyException();
    }

    @Test
    void anEncoderThatBreaksItsContractOnDecodeStillDeadLettersTheBody() throws Exception {
        IllegalStateException bug = new IllegalStateException("encoder bug");
        StubBroker broken = new StubBroker(List.of(), new MessageEncoder() {
            @Override
            public byte[] encodeBytes(Message message) {
                return new byte[] {1, 2, 3};
            }

            @Override
            public Message decode(byte[] data) {
                throw bug;
            }
        });
        TestActor.declare(broken, "act", "q").send(1);

        try (Consumer consumer = broken.consume("q", 1, SHORT)) {
            assertThat(consumer.next()).isEmpty();
        }
        assertThatThrownBy(() -> broken.join("q", SHORT, true))
                .isInstanceOf(MessageDecodeException.class)
                .hasMessageContaining("encoder bug")
                .hasCause(bug);
    }

    @Test
    void anEncoderThatRefusesAMessageFailsTheEnqueueWithContext() {
        StubBroker refusing = new StubBroker(List.of(), new MessageEncoder() {
            @Override
            public byte[] encodeBytes(Message message) {
                throw new IllegalArgumentException("too big for this format");
            }

            @Override
            public Message decode(byte[] data) {
                throw new AssertionError("never stored");
            }
        });
        TestActor refused = TestActor.declare(refusing, "act", "q");

        assertThatThrownBy(() -> refused.send(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too big for this format")
                .hasMessageContaining("'act'");
        assertThat(refusing.queueSize("q")).isZero();
    }
}
