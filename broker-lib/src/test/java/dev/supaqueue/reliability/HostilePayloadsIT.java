package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ArgumentType;
import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.EnqueueRequest;
import dev.supaqueue.admin.EnqueueResult;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile payloads through the API: strings that look like SQL, markup or JSON escapes, every kind of Unicode
 * (astral plane included) and very long strings are stored and read back verbatim, by the admin (browse and
 * message) and by the actor that receives them; what jsonb cannot store (NUL, unpaired surrogates, NaN) is refused
 * before anything is sent, with a message that says what and where.
 */
@PgmqIntegrationTest
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostilePayloadsIT {

    private static final Logger log = LoggerFactory.getLogger(HostilePayloadsIT.class);
    /** With MessageCodec's limits: the hostile map keys are longer than Jackson's default limit. */
    private static final ObjectMapper JSON = new ObjectMapper(MessageCodec.payloadJsonFactory().build());

    static List<String> hostileStrings() {
        List<String> strings = new ArrayList<>(List.of(
                "", " ", "'", "''", "\"", "\\", "\\\\\"", "'; DROP TABLE pgmq.meta; --", "\"; DROP TABLE x; --",
                "x' OR '1'='1", "$$; SELECT pg_sleep(10); $$", "$1", "%s%n%x", "/* */ -- ", "E'\\x00'", "\\x00",
                "<script>alert('x')</script>", "<![CDATA[ ]]>", "&amp;&lt;&#0;", "<!-- -->", "{{7*7}}", "${jndi:x}",
                "\\u0000", "\\ud800", "\\n\\t", "\b\f\n\r\t", "\u0001\u001f\u007f\u0085", "\u2028\u2029",
                "{\"actor_name\":\"evil\"}", "[1,2", "null", "true", "1e309", "NaN", "-0",
                "caf\u00e9 e\u0301", "\u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8", "\u0645\u0631\u062d\u0628\u0627",
                "\u202eevil\u202c", "\ufeff\u200b\u200d", "\ud834\udd1e", "\ud83d\ude00\ud83d\udc69\u200d\ud83d"
                + "\udc69\u200d\ud83d\udc67", "\ud83c\uddfa\ud83c\udde6", "\udbff\udfff", "\ud800\udc00"));
        StringBuilder mixed = new StringBuilder();
        while (mixed.length() < 1024 * 1024) {
            mixed.append("'\"\\<&\u00e9\u65e5\ud83d\ude00\n");
        }
        strings.add(mixed.toString());
        strings.add("\ud83d\ude00".repeat(100_000));
        return strings;
    }

    @Test
    void hostileStringsTravelVerbatimThroughActorsAdminAndWorker(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker();
            QueueAdmin admin = t.admin(broker);
            Map<String, Object> received = new ConcurrentHashMap<>();
            Actor2<String, String, Void> echo = ActorDefinition.named("echo").on(broker)
                    .consumer(String.class, String.class, (key, value) -> received.put(key, value));
            Actor2<String, Map<String, Object>, Void> echoMap = ActorDefinition.named("echo_map").on(broker)
                    .consumer(ArgumentType.of(String.class), ArgumentType.mapOf(Object.class),
                            (key, value) -> received.put(key, value));
            List<String> strings = hostileStrings();
            String queue = broker.pgmqQueue("default");

            // Through Actor.send, as positional argument and as map keys and values.
            Map<String, Object> expected = new LinkedHashMap<>();
            Map<String, String> sentIds = new LinkedHashMap<>();
            for (int i = 0; i < strings.size(); i++) {
                Message message = echo.send("s" + i, strings.get(i));
                expected.put("s" + i, strings.get(i));
                sentIds.put(message.messageId(), "s" + i);
            }
            Map<String, Object> hostileMap = new LinkedHashMap<>();
            for (int i = 0; i < strings.size() - 2; i++) {
                hostileMap.put(strings.get(i), List.of(strings.get(i), i, Long.MAX_VALUE, 0.1, true));
            }
            hostileMap.put("nested", Map.of("deeper", List.of(Map.of("\ud83d\ude00", "\u0001"))));
            echoMap.send("map", hostileMap);
            expected.put("map", hostileMap);
            // Through the admin, as a Dramatiq message.
            for (int i = 0; i < strings.size(); i++) {
                admin.enqueue(EnqueueRequest.dramatiq(queue, "default", "echo", List.of("a" + i, strings.get(i)),
                        null, null));
                expected.put("a" + i, strings.get(i));
            }

            // The admin reads every stored message back as it was sent, before any worker touched it.
            int checked = 0;
            for (BrowsedMessage row : Brokers.browseAll(admin, MessageSource.queue(queue))) {
                BrowsedMessage full = admin.message(row.source(), row.msgId()).orElseThrow();
                assertThat(full.payloadTruncated()).isFalse();
                Message stored = full.dramatiqMessage().orElseThrow(() -> new AssertionError(
                        "not decoded: " + full.decodeProblem()));
                String key = (String) stored.args().getFirst();
                assertThat(stored.args().get(1)).as("stored %s", key).isEqualTo(expected.get(key));
                if (row.payloadTruncated()) {
                    assertThat(full.payload()).startsWith(row.payload().substring(0, Math.min(100,
                            row.payload().length())));
                } else {
                    assertThat(row.dramatiqMessage()).map(m -> m.args().get(1)).hasValue(expected.get(key));
                }
                checked++;
            }
            assertThat(checked).isEqualTo(expected.size());

            long started = System.nanoTime();
            t.start(broker, Brokers.options().workerThreads(4));
            broker.join("default", Duration.ofSeconds(60));
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            List<String> differing = expected.keySet().stream()
                    .filter(key -> !expected.get(key).equals(received.get(key))).toList();
            assertThat(differing).as("actors received something else than was sent").isEmpty();
            assertThat(broker.deadLetterCount("default")).isZero();
            log.info("hostile payloads: {} strings ({} chars in all), {} messages stored, browsed and received"
                            + " verbatim in {} ms", strings.size(), strings.stream().mapToLong(String::length).sum(),
                    expected.size(), elapsedMillis);
        }
    }

    @Test
    void rawJsonWithHostileStringsIsStoredAsTheSameJson(TestDatabaseServer db, TestQueues queues) throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker();
            QueueAdmin admin = t.admin(broker);
            String queue = queues.create("raw");
            List<String> strings = hostileStrings();
            Map<Long, JsonNode> sent = new LinkedHashMap<>();
            for (String value : strings) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("value", value);
                body.put(value, List.of(value, 1, 2.5, Long.MIN_VALUE));
                String json = JSON.writeValueAsString(body);
                EnqueueResult result = admin.enqueue(EnqueueRequest.raw(queue, json)
                        .withHeaders(JSON.writeValueAsString(Map.of("h", value))));
                sent.put(result.msgIds().getFirst(), JSON.readTree(json));
            }
            // A top-level string and array are JSON too.
            for (String json : List.of("\"'; DROP TABLE x; --\"", "[\"<b>\", \"\\ud83d\\ude00\", null]")) {
                sent.put(admin.enqueue(EnqueueRequest.raw(queue, json)).msgIds().getFirst(), JSON.readTree(json));
            }
            for (Map.Entry<Long, JsonNode> entry : sent.entrySet()) {
                BrowsedMessage row = admin.message(MessageSource.queue(queue), entry.getKey()).orElseThrow();
                // jsonb may reorder keys and drop whitespace; the JSON value itself must be the same.
                assertThat(JSON.readTree(row.payload())).as("message %s", entry.getKey()).isEqualTo(entry.getValue());
                if (entry.getValue().has("value")) {
                    assertThat(JSON.readTree(row.headers()).get("h").asText())
                            .isEqualTo(entry.getValue().get("value").asText());
                }
            }
            log.info("hostile payloads: {} raw JSON messages stored and read back as the same JSON", sent.size());
        }
    }

    @Test
    void whatJsonbCannotStoreIsRefusedBeforeAnythingIsSent(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker();
            QueueAdmin admin = t.admin(broker);
            Actor1<Object, Void> sink = ActorDefinition.named("sink").on(broker)
                    .consumer(Object.class, value -> { });
            String queue = broker.pgmqQueue("default");
            Map<String, Object> unstorable = new LinkedHashMap<>();
            unstorable.put("NUL", "a\u0000b");
            unstorable.put("lone high surrogate", "a\ud800b");
            unstorable.put("lone low surrogate", "\udc00");
            unstorable.put("NaN", Double.NaN);
            unstorable.put("Infinity", Double.POSITIVE_INFINITY);
            unstorable.put("NUL in a map key", Map.of("k\u0000", 1));
            unstorable.put("NaN deep inside", List.of(Map.of("x", List.of(1.0, Float.NaN))));
            List<String> said = new ArrayList<>();
            for (Map.Entry<String, Object> entry : unstorable.entrySet()) {
                Throwable failure = catchThrowable(() -> sink.send(entry.getValue()));
                assertThat(failure).as(entry.getKey()).isInstanceOf(IllegalArgumentException.class);
                assertThat(failure.getMessage()).as(entry.getKey())
                        .containsAnyOf("NUL", "surrogate", "NaN", "Infinity").containsAnyOf("args", "argument");
                said.add(entry.getKey() + " -> " + failure.getMessage());
            }
            List<String> rawUnstorable = List.of("{\"a\":\"x\\u0000y\"}", "{\"a\\u0000\":1}",
                    "{\"a\":\"\\ud800\"}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1", "{\"a\":1} {}", "");
            for (String json : rawUnstorable) {
                Throwable failure = catchThrowable(() -> admin.enqueue(EnqueueRequest.raw(queue, json).withCount(5)));
                assertThat(failure).as(json).isInstanceOf(IllegalArgumentException.class);
                assertThat(failure.getMessage()).as(json).containsAnyOf("NUL", "surrogate", "NaN", "not valid JSON",
                        "empty");
                if (json.contains("NaN") || json.contains("Infinity")) {
                    assertThat(failure.getMessage()).contains("not JSON numbers").doesNotContain("enable");
                }
                said.add(json + " -> " + failure.getMessage());
            }
            Throwable dramatiqFailure = catchThrowable(() -> admin.enqueue(EnqueueRequest.dramatiq(queue, "default",
                    "sink", List.of("a\u0000"), null, null)));
            assertThat(dramatiqFailure).isInstanceOf(IllegalArgumentException.class);
            said.add("dramatiq NUL -> " + dramatiqFailure.getMessage());

            assertThat(broker.queueLength("default")).as("nothing half-sent").isZero();
            log.info("hostile payloads refused:\n  {}", said.stream().collect(Collectors.joining("\n  ")));
        }
    }
}
