package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.supaqueue.pgmq.PgmqFeature;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** SupabaseBroker against a real PostgreSQL with pgmq: the mapping decided in ARCHITECTURE.md. */
@PgmqIntegrationTest
class SupabaseBrokerIT {

    private static final Duration SHORT = Duration.ofMillis(300);

    private static SupabaseBroker broker(TestDatabaseServer db, String namespace) {
        return new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of());
    }

    private static SupabaseBroker broker(TestDatabaseServer db, String namespace, Duration visibilityTimeout) {
        return new SupabaseBroker(db.brokerSettings().namespace(namespace).visibilityTimeout(visibilityTimeout).build(),
                List.of());
    }

    private static Message message(String queue, Object... args) {
        return Message.create(queue, "add", List.of(args), Map.of(), Map.of());
    }

    @Test
    void declaringAQueueCreatesItAndItsDeadLetterQueueUnderTheNamespace(TestDatabaseServer db, TestQueues queues) {
        String namespace = queues.newNamespace();
        try (SupabaseBroker broker = broker(db, namespace)) {
            broker.declareQueue("jobs");

            assertThat(broker.client().queueExists(namespace + "_jobs")).isTrue();
            assertThat(broker.client().queueExists(namespace + "_jobs_xq")).isTrue();
            assertThat(broker.pgmqQueue("jobs")).isEqualTo(namespace + "_jobs");
        }
    }

    @Test
    void anEnqueuedMessageIsConsumedAndAckRemovesIt(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("jobs");
            Message sent = broker.enqueue(message("jobs", 1, 2));

            try (Consumer consumer = broker.consume("jobs", 2, SHORT)) {
                MessageProxy received = consumer.next().orElseThrow();
                assertThat(received.message()).isEqualTo(sent);
                assertThat(received.deliveryCount()).isEqualTo(1);

                consumer.ack(received);
            }
            assertThat(broker.queueLength("jobs")).isZero();
            assertThat(broker.deadLetterCount("jobs")).isZero();
        }
    }

    @Test
    void enqueueDeclaresAQueueThisBrokerHasNotDeclared(TestDatabaseServer db, TestQueues queues) {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.enqueue(message("elsewhere"));

            assertThat(broker.isDeclared("elsewhere")).isTrue();
            assertThat(broker.queueLength("elsewhere")).isEqualTo(1);
        }
    }

    @Test
    void delayedMessagesUsePgmqsDelayAndArriveInOrder(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("later");
            Message second = broker.enqueue(message("later", 2), Duration.ofMillis(900));
            Message first = broker.enqueue(message("later", 1), Duration.ofMillis(500));

            try (Consumer consumer = broker.consume("later", 5, Duration.ofMillis(200))) {
                assertThat(consumer.next()).as("nothing is due yet").isEmpty();
                List<String> order = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (order.size() < 2 && System.nanoTime() < deadline) {
                    consumer.next().ifPresent(proxy -> {
                        order.add(proxy.messageId());
                        consumer.ack(proxy);
                    });
                }
                assertThat(order).containsExactly(first.messageId(), second.messageId());
            }
        }
    }

    @Test
    void inFlightIsCappedAtPrefetchAndTheBacklogStaysInTheDatabase(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("capped");
            for (int i = 0; i < 15; i++) {
                broker.enqueue(message("capped", i));
            }
            try (Consumer consumer = broker.consume("capped", 5, Duration.ofMillis(200))) {
                List<MessageProxy> held = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    held.add(consumer.next().orElseThrow());
                }
                assertThat(consumer.next()).as("prefetch reached").isEmpty();
                assertThat(broker.client().metrics(broker.pgmqQueue("capped")).queueVisibleLength())
                        .isEqualTo(10L);

                consumer.ack(held.get(0));
                assertThat(consumer.next()).as("an ack frees a slot").isPresent();
            }
        }
    }

    @Test
    void nackMovesTheMessageToTheDeadLetterQueueWithTheReason(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("failing");
            Message sent = broker.enqueue(message("failing", 7));

            try (Consumer consumer = broker.consume("failing", 1, SHORT)) {
                MessageProxy proxy = consumer.next().orElseThrow();
                proxy.stuffException(new IllegalStateException("boom"));
                proxy.fail();
                consumer.nack(proxy);
            }
            assertThat(broker.queueLength("failing")).isZero();
            List<PgmqMessage> dead = broker.client().read(broker.deadLetterQueue("failing"), 30, 10);
            assertThat(dead).hasSize(1);
            Message deadMessage = new MessageCodec().decode(dead.get(0).message());
            assertThat(deadMessage.messageId()).isEqualTo(sent.messageId());
            assertThat(deadMessage.option(SupabaseBroker.REASON_OPTION))
                    .contains("java.lang.IllegalStateException: boom");
            assertThat(deadMessage.option(SupabaseBroker.DEAD_LETTERED_AT_OPTION)).isPresent();
        }
    }

    @Test
    void undecodablePayloadsAreDeadLetteredWithTheReasonAndTheConsumerGoesOn(TestDatabaseServer db,
                                                                             TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("poison");
            try (Connection connection = db.connect()) {
                PgmqSql.send(connection, broker.pgmqQueue("poison"), "[1, 2, 3]");
                PgmqSql.send(connection, broker.pgmqQueue("poison"), "{\"actor_name\": \"x\"}");
            }
            Message good = broker.enqueue(message("poison", 1));

            try (Consumer consumer = broker.consume("poison", 5, Duration.ofSeconds(1))) {
                MessageProxy next = consumer.next().orElseThrow();
                assertThat(next.messageId()).isEqualTo(good.messageId());
                consumer.ack(next);
            }
            List<PgmqMessage> dead = broker.client().read(broker.deadLetterQueue("poison"), 30, 10);
            assertThat(dead).hasSize(2);
            for (PgmqMessage row : dead) {
                String reason = row.headers() != null ? row.headers() : row.message();
                assertThat(reason).containsAnyOf("x-supaqueue-dead-letter-reason", SupabaseBroker.REASON_OPTION);
            }
            assertThat(dead).extracting(PgmqMessage::message)
                    .anySatisfy(body -> assertThat(body).contains("[1, 2, 3]"))
                    .anySatisfy(body -> assertThat(body).contains("\"actor_name\": \"x\""));
        }
    }

    @Test
    void requeueMakesMessagesVisibleAtOnce(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("again");
            broker.enqueue(message("again"));
            try (Consumer consumer = broker.consume("again", 1, SHORT)) {
                MessageProxy first = consumer.next().orElseThrow();
                consumer.requeue(List.of(first));

                MessageProxy second = consumer.next().orElseThrow();
                assertThat(second.messageId()).isEqualTo(first.messageId());
                assertThat(second.deliveryCount()).isEqualTo(2);
                consumer.ack(second);
            }
        }
    }

    @Test
    void heartbeatKeepsAHeldMessageHiddenAndADeadHoldersMessageComesBack(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        Duration vt = Duration.ofSeconds(1);
        try (SupabaseBroker other = broker(db, namespace, vt)) {
            other.declareQueue("long");
            Consumer thief = other.consume("long", 1, Duration.ofMillis(100));
            Message sent;
            try (SupabaseBroker holder = broker(db, namespace, vt)) {
                holder.declareQueue("long");
                sent = holder.enqueue(message("long"));
                Consumer consumer = holder.consume("long", 1, SHORT);
                MessageProxy held = consumer.next().orElseThrow();
                assertThat(held.messageId()).isEqualTo(sent.messageId());

                // Three visibility timeouts: without the heartbeat the message would have come back twice.
                long until = System.nanoTime() + Duration.ofMillis(3_000).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(thief.next()).as("redelivered while its holder lives").isEmpty();
                }
                // The holder dies without acking (closing stops its heartbeat; the message is not given back).
            }
            Optional<MessageProxy> recovered = Optional.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (recovered.isEmpty() && System.nanoTime() < deadline) {
                recovered = thief.next();
            }
            assertThat(recovered).as("back after the visibility timeout").isPresent();
            assertThat(recovered.get().messageId()).isEqualTo(sent.messageId());
            assertThat(recovered.get().deliveryCount()).isEqualTo(2);
            thief.ack(recovered.get());
            thief.close();
        }
    }

    @Test
    void aFutureEtaFromAnotherProducerIsHonouredWithoutRunningEarly(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("eta");
            long eta = System.currentTimeMillis() + 1_200;
            String python = "{\"queue_name\":\"eta.DQ\",\"actor_name\":\"add\",\"args\":[1,2],\"kwargs\":{},"
                    + "\"options\":{\"eta\":" + eta + "},\"message_id\":\"0d2c1e6e-4c1b-4b7a-9f8e-2f6d3c5a1b09\","
                    + "\"message_timestamp\":" + System.currentTimeMillis() + "}";
            try (Connection connection = db.connect()) {
                PgmqSql.send(connection, broker.pgmqQueue("eta"), python);
            }
            try (Consumer consumer = broker.consume("eta", 1, Duration.ofMillis(300))) {
                assertThat(consumer.next()).as("not before its eta").isEmpty();
                Optional<MessageProxy> due = Optional.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
                while (due.isEmpty() && System.nanoTime() < deadline) {
                    due = consumer.next();
                }
                assertThat(due).isPresent();
                assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(eta);
                assertThat(due.get().message().actorName()).isEqualTo("add");
                assertThat(due.get().message().args()).containsExactly(1, 2);
                consumer.ack(due.get());
            }
        }
    }

    @Test
    void joinWaitsForInFlightMessagesAndTimesOut(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("joined");
            broker.enqueue(message("joined"));
            try (Consumer consumer = broker.consume("joined", 1, SHORT)) {
                MessageProxy proxy = consumer.next().orElseThrow();

                assertThatThrownBy(() -> broker.join("joined", Duration.ofMillis(400)))
                        .isInstanceOf(QueueJoinTimeoutException.class)
                        .hasMessageContaining("joined");

                consumer.ack(proxy);
                broker.join("joined", Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void flushAllEmptiesQueuesAndDeadLetters(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (SupabaseBroker broker = broker(db, queues.newNamespace())) {
            broker.declareQueue("a");
            broker.declareQueue("b");
            broker.enqueue(message("a"));
            broker.enqueue(message("b"), Duration.ofSeconds(60));
            try (Consumer consumer = broker.consume("a", 1, SHORT)) {
                MessageProxy proxy = consumer.next().orElseThrow();
                proxy.fail();
                consumer.nack(proxy);
            }
            broker.enqueue(message("a"));

            broker.flushAll();

            assertThat(broker.queueLength("a")).isZero();
            assertThat(broker.queueLength("b")).isZero();
            assertThat(broker.deadLetterCount("a")).isZero();
        }
    }

    @Test
    void worksThroughATransactionPoolerStyleConnection(TestDatabaseServer db, TestQueues queues) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().namespace(queues.newNamespace())
                .driverOption("prepareThreshold", "0").build();
        assertThat(settings.transactionPooler()).isTrue();
        assertThat(settings.listenAllowed()).isFalse();
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            broker.declareQueue("pooled");
            for (int i = 0; i < 10; i++) {
                broker.enqueue(message("pooled", i));
            }
            try (Consumer consumer = broker.consume("pooled", 10, SHORT)) {
                for (int i = 0; i < 10; i++) {
                    consumer.ack(consumer.next().orElseThrow());
                }
            }
            assertThat(broker.queueLength("pooled")).isZero();
        }
    }

    @Test
    void insertNotificationsWakeAnIdleConsumerAtOnce(TestDatabaseServer db, TestQueues queues) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().namespace(queues.newNamespace())
                .maxPollInterval(Duration.ofSeconds(20)).build();
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            Assumptions.assumeTrue(broker.client().supports(PgmqFeature.NOTIFY_INSERT),
                    "pgmq " + broker.client().installation().describe() + " has no insert notifications (needs 1.7)");
            broker.declareQueue("wake");
            try (Consumer consumer = broker.consume("wake", 1, Duration.ofSeconds(6))) {
                // Let the consumer go idle (its poll interval grows past the timeout) and the listener subscribe.
                assertThat(consumer.next()).isEmpty();
                Thread sender = new Thread(() -> {
                    sleep(500);
                    broker.enqueue(message("wake"));
                });
                sender.start();
                long started = System.nanoTime();
                Optional<MessageProxy> received = consumer.next();
                long waitedMillis = (System.nanoTime() - started) / 1_000_000;
                sender.join();
                assertThat(received).isPresent();
                assertThat(waitedMillis).as("woken by NOTIFY, not by the 20 s poll").isLessThan(3_000);
                consumer.ack(received.get());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void enqueueToAnUnreachableDatabaseFailsClearlyAfterItsAttempts() {
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder().host("127.0.0.1").port(1)
                .password("s3cret-password").namespace("unreachable").enqueueAttempts(2)
                .connectionTimeout(Duration.ofMillis(300)).build();
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            assertThatThrownBy(() -> broker.enqueue(message("jobs")))
                    .isInstanceOf(BrokerConnectionException.class)
                    .hasMessageNotContaining("s3cret-password");
        }
    }

    @Test
    void deadLettersOlderThanTheRetentionArePurged(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        SupabaseBrokerSettings settings = db.brokerSettings().namespace(namespace)
                .deadLetterRetention(Duration.ofSeconds(1)).build();
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            broker.declareQueue("old");
            broker.enqueue(message("old"));
            try (Consumer consumer = broker.consume("old", 1, SHORT)) {
                MessageProxy proxy = consumer.next().orElseThrow();
                proxy.fail();
                consumer.nack(proxy);
            }
            assertThat(broker.purgeExpiredDeadLetters()).as("still young").isZero();
            Thread.sleep(1_300);
            assertThat(broker.purgeExpiredDeadLetters()).isEqualTo(1);
            assertThat(broker.deadLetterCount("old")).isZero();
        }
    }
}
