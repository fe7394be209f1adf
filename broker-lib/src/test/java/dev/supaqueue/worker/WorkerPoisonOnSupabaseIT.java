package dev.supaqueue.worker;

import static dev.supaqueue.worker.SupabaseWorkers.deadLetters;
import static dev.supaqueue.worker.SupabaseWorkers.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ArgumentBindingException;
import dev.supaqueue.broker.ActorNotFoundException;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Poison messages on a real PostgreSQL: an unknown actor, a payload that is not a Dramatiq message and arguments
 * that do not bind all end in the dead-letter queue with their reason, while the worker keeps going.
 */
@PgmqIntegrationTest
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerPoisonOnSupabaseIT {

    private static final String REASON_OPTION = "dead_letter_reason";
    private static final String REASON_HEADER = "x-supaqueue-dead-letter-reason";

    private final MessageCodec codec = new MessageCodec();

    @Test
    void anUnknownActorAndAnUndecodablePayloadAreDeadLetteredAndTheWorkerGoesOn(TestDatabaseServer db,
                                                                                 TestQueues queues) throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            List<Integer> ran = new CopyOnWriteArrayList<>();
            Actor1<Integer, Void> good = ActorDefinition.named("good").on(broker).consumer(Integer.class, ran::add);

            String undecodable = "{\"not\":\"dramatiq\"}";
            for (int i = 0; i < 5; i++) {
                good.send(i);
            }
            Message unknown = broker.enqueue(Message.create("default", "nobody", List.of(1), Map.of(), Map.of()));
            try (Connection connection = db.connect()) {
                PgmqSql.send(connection, broker.pgmqQueue("default"), undecodable);
            }
            for (int i = 5; i < 10; i++) {
                good.send(i);
            }
            // One thread and a small prefetch: the good messages after the poison ones run after them.
            Worker worker = t.start(broker, options().workerThreads(1).prefetch(2));
            broker.join("default", Duration.ofSeconds(10));
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();

            assertThat(ran).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(worker.isRunning()).isTrue();
            assertThat(worker.stats().processed()).isEqualTo(10);
            assertThat(worker.stats().deadLettered()).as("nacked by the worker: the unknown actor").isEqualTo(1);

            List<PgmqMessage> dead = deadLetters(broker, "default");
            assertThat(dead).hasSize(2);

            PgmqMessage unknownRow = dead.stream().filter(row -> row.message().contains(unknown.messageId()))
                    .findFirst().orElseThrow();
            Message deadUnknown = codec.decode(unknownRow.message());
            assertThat(deadUnknown.messageId()).isEqualTo(unknown.messageId());
            assertThat(deadUnknown.actorName()).isEqualTo("nobody");
            assertThat(deadUnknown.args()).containsExactly(1);
            assertThat(deadUnknown.option(REASON_OPTION)).hasValue(
                    ActorNotFoundException.class.getName() + ": " + new ActorNotFoundException("nobody").getMessage());

            PgmqMessage undecodableRow = dead.stream().filter(row -> row != unknownRow).findFirst().orElseThrow();
            // The consumer decoded the payload as pgmq returns it: jsonb's rendering of what was sent.
            String stored;
            try (Connection connection = db.connect();
                 PreparedStatement render = connection.prepareStatement("SELECT ?::jsonb::text")) {
                render.setString(1, undecodable);
                try (ResultSet row = render.executeQuery()) {
                    row.next();
                    stored = row.getString(1);
                }
            }
            String decodeError = catchThrowableOfType(MessageDecodeException.class, () -> codec.decode(stored))
                    .getMessage();
            assertThat(decodeError).isNotBlank();
            if (broker.client().supports(PgmqFeature.HEADERS)) {
                // The payload is kept as it was; the reason travels in the headers.
                assertThat(undecodableRow.message()).isEqualTo(stored);
                assertThat(undecodableRow.headers()).contains(REASON_HEADER).contains(jsonEscaped(decodeError));
            } else {
                assertThat(undecodableRow.message()).contains("\"undecodable_message\"").contains("dramatiq")
                        .contains(REASON_OPTION).contains(jsonEscaped(decodeError));
            }
        }
    }

    @Test
    void argumentsThatDoNotBindAreDeadLetteredWithTheBindingError(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (SupabaseWorkers t = new SupabaseWorkers(db, queues)) {
            SupabaseBroker broker = t.broker();
            List<Integer> squares = new CopyOnWriteArrayList<>();
            Actor1<Integer, Integer> square = ActorDefinition.named("square").on(broker)
                    .function(int.class, x -> {
                        squares.add(x * x);
                        return x * x;
                    });
            // A string for an int parameter, as another producer (or a typo in Python) could send it.
            Message bad = broker.enqueue(Message.create("default", "square", List.of("seven"), Map.of(), Map.of()));
            square.send(3);
            String bindingError = catchThrowableOfType(ArgumentBindingException.class, () -> square.perform(bad))
                    .getMessage();

            Worker worker = t.start(broker, options().workerThreads(2));
            broker.join("default", Duration.ofSeconds(10));
            assertThat(worker.join(Duration.ofSeconds(5))).isTrue();

            assertThat(squares).containsExactly(9);
            assertThat(worker.stats().deadLettered()).isEqualTo(1);
            assertThat(worker.stats().actor("square").failed()).isEqualTo(1);
            List<PgmqMessage> dead = deadLetters(broker, "default");
            assertThat(dead).hasSize(1);
            Message deadMessage = codec.decode(dead.getFirst().message());
            assertThat(deadMessage.messageId()).isEqualTo(bad.messageId());
            assertThat(deadMessage.args()).containsExactly("seven");
            assertThat(deadMessage.option(REASON_OPTION))
                    .hasValue(ArgumentBindingException.class.getName() + ": " + bindingError);
            assertThat(bindingError).contains("seven");
        }
    }

    /** How a text appears inside a JSON string (enough for the quotes a decode error may carry). */
    private static String jsonEscaped(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
