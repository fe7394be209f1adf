package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison messages put straight into the pgmq table (as a foreign producer, a typo in a script or an attacker
 * could): every one ends in the dead-letter queue with a reason that says what is wrong, and the good messages
 * sent between them are all processed by a worker that keeps running.
 */
@PgmqIntegrationTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PoisonMessagesIT {

    private static final Logger log = LoggerFactory.getLogger(PoisonMessagesIT.class);
    private static final String REASON_HEADER = "x-supaqueue-dead-letter-reason";
    private static final String REASON_OPTION = "dead_letter_reason";
    /** jsonb accepts 10,000 levels; 100,000 exceed PostgreSQL's default stack depth. */
    private static final int DEEP = 10_000;
    private static final int MIB = 1024 * 1024;

    /** One poison: what it is, the raw JSON to store (null for SQL NULL), and words its reason must contain. */
    private record Poison(String label, String json, List<String> reasonWords) {
    }

    @Test
    void everyPoisonIsDeadLetteredWithItsReasonAndEveryGoodMessageRuns(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker();
            Map<Integer, Integer> runs = new ConcurrentHashMap<>();
            Actor1<Integer, Void> good = ActorDefinition.named("good").on(broker)
                    .consumer(Integer.class, i -> runs.merge(i, 1, Integer::sum));
            String queue = broker.pgmqQueue("default");

            List<Poison> poisons = poisons(queue);
            Map<Long, Poison> sent = new LinkedHashMap<>();
            int goodCount = 0;
            long started = System.nanoTime();
            try (Connection connection = db.connect()) {
                for (Poison poison : poisons) {
                    good.send(goodCount++);
                    sent.put(sendRaw(connection, queue, poison.json()), poison);
                    good.send(goodCount++);
                }
            }
            // Few threads and a small prefetch: the good messages after a poison only run if the worker went on.
            Worker worker = t.start(broker, Brokers.options().workerThreads(2).prefetch(3));
            broker.join("default", Duration.ofSeconds(60));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(worker.isRunning()).isTrue();
            Map<Integer, Integer> expected = new LinkedHashMap<>();
            for (int i = 0; i < goodCount; i++) {
                expected.put(i, 1);
            }
            assertThat(runs).as("every good message ran exactly once").isEqualTo(expected);

            QueueAdmin admin = t.admin(broker);
            List<BrowsedMessage> dead = Brokers.browseAll(admin, MessageSource.deadLetters(queue));
            assertThat(dead).as("one dead letter per poison").hasSize(poisons.size());
            List<String> reasons = new ArrayList<>();
            for (BrowsedMessage row : dead) {
                // browse cuts long payloads: the whole row comes from message().
                BrowsedMessage full = admin.message(row.source(), row.msgId()).orElseThrow();
                reasons.add(reasonOf(full));
            }
            for (Poison poison : poisons) {
                assertThat(reasons).as("a dead letter whose reason explains: " + poison.label())
                        .anySatisfy(reason -> assertThat(reason).contains(poison.reasonWords()));
            }
            assertThat(reasons).allSatisfy(reason -> assertThat(reason.length())
                    .as("a reason is a sentence, not the payload").isLessThan(2_000));
            log.info("poison scenario: {} poisons and {} good messages drained in {} ms; reasons:\n  {}",
                    poisons.size(), goodCount, elapsedMillis, String.join("\n  ", reasons));
        }
    }

    /**
     * A row whose message is SQL NULL (pgmq.send accepts it) goes to the dead letters as JSON null, and the rows
     * read in the same batch are not held up by it.
     */
    @Test
    void aSqlNullBodyIsDeadLetteredAndTheWorkerGoesOn(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker(b -> b.visibilityTimeout(Duration.ofSeconds(2)));
            Map<Integer, Integer> runs = new ConcurrentHashMap<>();
            Actor1<Integer, Void> good = ActorDefinition.named("good").on(broker)
                    .consumer(Integer.class, i -> runs.merge(i, 1, Integer::sum));
            String queue = broker.pgmqQueue("default");
            good.send(0);
            try (Connection connection = db.connect()) {
                sendRaw(connection, queue, null);
            }
            good.send(1);
            Worker worker = t.start(broker, Brokers.options().workerThreads(1).prefetch(3));
            broker.join("default", Duration.ofSeconds(10));

            assertThat(worker.isRunning()).isTrue();
            assertThat(runs).isEqualTo(Map.of(0, 1, 1, 1));
            List<BrowsedMessage> dead = Brokers.browseAll(t.admin(broker), MessageSource.deadLetters(queue));
            assertThat(dead).hasSize(1);
            assertThat(reasonOf(dead.getFirst())).contains("null");
        }
    }

    private List<Poison> poisons(String queue) {
        MessageCodec codec = new MessageCodec();
        String wellFormed = codec.encode(Message.create("default", "good", List.of(1), Map.of(), Map.of()));
        String deepList = "[".repeat(DEEP) + "]".repeat(DEEP);
        String megabyte = "x".repeat(MIB);
        List<Poison> list = new ArrayList<>();
        // Not an object: jsonb keeps only valid JSON, so these are the "invalid JSON" of a jsonb queue.
        list.add(new Poison("a JSON array", "[1,2,3]", List.of("object")));
        list.add(new Poison("a JSON string", "\"just text\"", List.of("object")));
        list.add(new Poison("JSON null", "null", List.of("object")));
        list.add(new Poison("a JSON number", "42", List.of("object")));
        // Objects of the wrong shape.
        list.add(new Poison("an empty object", "{}", List.of("missing")));
        list.add(new Poison("no actor_name", wellFormed.replace("\"actor_name\":\"good\",", ""),
                List.of("missing", "actor_name")));
        list.add(new Poison("args not a list", wellFormed.replace("\"args\":[1]", "\"args\":\"1\""),
                List.of("args")));
        list.add(new Poison("a text timestamp", wellFormed.replaceFirst("\"message_timestamp\":\\d+",
                "\"message_timestamp\":\"yesterday\""), List.of("message_timestamp")));
        list.add(new Poison("an unknown top-level key", wellFormed.replaceFirst("\\{", "{\"priority_boost\":9,"),
                List.of("unknown top-level key", "priority_boost")));
        // Decodable, but not runnable here.
        list.add(new Poison("an unknown actor", codec.encode(
                Message.create("default", "nobody_here", List.of(1), Map.of(), Map.of())), List.of("nobody_here")));
        list.add(new Poison("a text for an int", codec.encode(
                Message.create("default", "good", List.of("seven"), Map.of(), Map.of())), List.of("seven")));
        list.add(new Poison("too many arguments", codec.encode(
                Message.create("default", "good", List.of(1, 2, 3), Map.of(), Map.of())), List.of("argument")));
        list.add(new Poison("an unknown keyword argument", codec.encode(
                Message.create("default", "good", List.of(), Map.of("zzz", 1), Map.of())), List.of("zzz")));
        // Big and deep.
        list.add(new Poison("1 MiB object, not a message", "{\"blob\":\"" + megabyte + "\"}", List.of("missing")));
        list.add(new Poison("1 MiB argument for an int", codec.encode(
                Message.create("default", "good", List.of(megabyte), Map.of(), Map.of())), List.of("good")));
        list.add(new Poison(DEEP + " nested arrays", deepList, List.of("object")));
        list.add(new Poison(DEEP + " nested arrays as the argument", wellFormed.replace("\"args\":[1]",
                "\"args\":[" + deepList + "]"), List.of("nesting")));
        return list;
    }

    private static long sendRaw(Connection connection, String queue, String json) throws Exception {
        if (json != null) {
            return PgmqSql.send(connection, queue, json);
        }
        try (PreparedStatement send = connection.prepareStatement("SELECT * FROM pgmq.send(?::text, NULL::jsonb)")) {
            send.setString(1, queue);
            try (ResultSet row = send.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The reason from the headers (pgmq 1.5+) or from the options / envelope of the payload. */
    private static String reasonOf(BrowsedMessage row) {
        String text = row.headers() != null && row.headers().contains(REASON_HEADER) ? row.headers()
                : row.payload();
        assertThat(text).as("dead letter %s carries a reason", row.msgId()).isNotNull()
                .containsAnyOf(REASON_HEADER, REASON_OPTION);
        try {
            var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            var reason = tree.has(REASON_HEADER) ? tree.get(REASON_HEADER)
                    : tree.has(REASON_OPTION) ? tree.get(REASON_OPTION)
                    : tree.path("options").path(REASON_OPTION);
            assertThat(reason.isTextual()).as("reason of dead letter %s in %s", row.msgId(), text.length() > 300
                    ? text.substring(0, 300) : text).isTrue();
            return reason.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("dead letter " + row.msgId() + " has unreadable reason JSON", e);
        }
    }
}
