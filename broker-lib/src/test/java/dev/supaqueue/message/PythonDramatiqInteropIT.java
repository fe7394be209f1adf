package dev.supaqueue.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with the real Python Dramatiq, both ways: bodies written by {@link MessageCodec} (directly, and
 * as PostgreSQL jsonb renders them) are decoded by Dramatiq's own {@code Message.decode}, and messages built and
 * encoded by Dramatiq ({@code Message(...)}, {@code actor.message_with_options}, {@code pipeline}, a
 * {@code StubBroker} send) are decoded by {@link MessageCodec}; finally a Dramatiq-encoded message sent with
 * {@code pgmq.send} is processed by a Java {@link Worker}.
 *
 * <p>Needs a Python whose {@code import dramatiq} works: {@code python3} by default, or the interpreter named by
 * {@code SUPAQUEUE_TEST_PYTHON}, with the environment's {@code PYTHONPATH}. Without one every test is reported as
 * skipped (not passed), with the way to enable it. The Python side is
 * {@code src/test/resources/dev/supaqueue/message/interop/dramatiq_interop.py}.
 */
@PgmqIntegrationTest
class PythonDramatiqInteropIT {

    private static final String SCRIPT_RESOURCE = "interop/dramatiq_interop.py";
    private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern UUID4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    /** The id and timestamp of the Python cases built with explicit values (see the script). */
    private static final String PY_ID = "9b2f6c1e-3d4a-4e5f-8a7b-1c2d3e4f5a6b";
    private static final long PY_TS = 1735689600123L;

    private static final String FIXED_ID = "3f6c1d2a-8b4e-4c1f-9a7d-0e5b2c9d4f11";
    private static final long FIXED_TS = 1735689600000L;

    private static PythonDramatiq python;

    private final MessageCodec codec = new MessageCodec();

    @BeforeEach
    void requirePythonDramatiq() {
        PythonDramatiq found = python();
        Assumptions.assumeTrue(found.available(), found.reason());
    }

    // ---------------------------------------------------------------------------------------- Java -> Python

    @Test
    void javaEncodedMessagesAreDecodedByPythonDramatiq() throws Exception {
        Map<String, Message> cases = javaCases();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        cases.forEach((id, message) -> bodies.put(id, codec.encodeBytes(message)));

        Map<String, JsonNode> results = pythonDecode(bodies);

        assertThat(results).hasSize(cases.size());
        for (Map.Entry<String, Message> entry : cases.entrySet()) {
            String id = entry.getKey();
            Message original = entry.getValue();
            Message back = decodedByPython(id, results.get(id), bodies.get(id));
            assertThat(back).as("%s: Python's Message.decode(...).asdict(), read back in Java", id)
                    .isEqualTo(original);
            assertThat(back.messageId()).isEqualTo(original.messageId());
            assertThat(back.messageTimestamp()).isEqualTo(original.messageTimestamp());
            assertThat(results.get(id).get("args_is_tuple").asBoolean()).as("%s: args became a tuple", id).isTrue();
        }
        assertThat(results.get("pipe_target").get("nested_messages").asInt())
                .as("pipe_target chain and group callbacks accepted by Message(**dict)").isEqualTo(3);
    }

    @Test
    void javaEncodedMessagesAsRenderedByJsonbAreDecodedByPythonDramatiq(TestDatabaseServer db) throws Exception {
        Map<String, Message> cases = javaCases();
        Map<String, String> jsonbTexts = new LinkedHashMap<>();
        try (Connection connection = db.connect();
             PreparedStatement roundTrip = connection.prepareStatement("SELECT ?::jsonb::text")) {
            for (Map.Entry<String, Message> entry : cases.entrySet()) {
                roundTrip.setString(1, codec.encode(entry.getValue()));
                try (ResultSet row = roundTrip.executeQuery()) {
                    row.next();
                    jsonbTexts.put(entry.getKey(), row.getString(1));
                }
            }
        }
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        jsonbTexts.forEach((id, text) -> bodies.put(id, text.getBytes(StandardCharsets.UTF_8)));

        Map<String, JsonNode> results = pythonDecode(bodies);

        assertThat(results).hasSize(cases.size());
        for (Map.Entry<String, Message> entry : cases.entrySet()) {
            String id = entry.getKey();
            Message original = entry.getValue();
            Message back = decodedByPython(id, results.get(id), bodies.get(id));
            // Python and MessageCodec read the jsonb rendering identically ...
            assertThat(back).as("%s: Python and Java read the jsonb text alike", id)
                    .isEqualTo(codec.decode(jsonbTexts.get(id)));
            // ... and it is the original message, up to jsonb's numeric form (1e16 comes back as an integer).
            assertThat(back.queueName()).isEqualTo(original.queueName());
            assertThat(back.actorName()).isEqualTo(original.actorName());
            assertThat(back.messageId()).isEqualTo(original.messageId());
            assertThat(back.messageTimestamp()).isEqualTo(original.messageTimestamp());
            assertSameJson(id, original.toMap(), back.toMap());
        }
    }

    @Test
    void pythonDramatiqRefusesWhatItShouldSoTheHarnessSeesRefusals() throws Exception {
        byte[] unknownKey = ("{\"queue_name\":\"default\",\"actor_name\":\"add\",\"args\":[],\"kwargs\":{},"
                + "\"options\":{},\"message_id\":\"" + FIXED_ID + "\",\"message_timestamp\":1,\"extra\":1}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] missingOptions = "{\"queue_name\":\"default\",\"actor_name\":\"add\",\"args\":[],\"kwargs\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("unknown_key", unknownKey);
        bodies.put("missing_options", missingOptions);

        Map<String, JsonNode> results = pythonDecode(bodies);

        assertThat(results.get("unknown_key").path("error").asText()).startsWith("DecodeError");
        assertThat(results.get("unknown_key").path("cause").asText()).contains("extra");
        assertThat(results.get("missing_options").path("error").asText()).startsWith("DecodeError");
    }

    // ---------------------------------------------------------------------------------------- Python -> Java

    @Test
    void messagesEncodedByPythonDramatiqAreDecodedByMessageCodec() throws Exception {
        long before = System.currentTimeMillis();
        Map<String, PythonEncoded> encoded = pythonEncode();
        long after = System.currentTimeMillis();

        assertThat(encoded.keySet()).containsExactly("plain", "empty", "unicode", "numbers", "nested", "options",
                "actor_message_with_options", "actor_message_kwargs", "pipeline_0", "pipeline_1", "pipeline_2",
                "stub_send", "stub_send_delayed");
        Map<String, Message> decoded = new LinkedHashMap<>();
        encoded.forEach((id, py) -> decoded.put(id, codec.decode(py.body())));

        // Built with dramatiq.Message(...) and explicit ids: every field must match.
        assertThat(decoded.get("plain")).isEqualTo(
                new Message("default", "add", list(1, 2), map(), map(), PY_ID, PY_TS));
        assertThat(decoded.get("empty")).isEqualTo(
                new Message("default", "noop", list(), map(), map(), PY_ID, PY_TS));
        assertThat(decoded.get("unicode")).isEqualTo(new Message("default", "greet",
                list("café", "🚀 launch", "日本語", "👨‍👩‍👧", "𠀋", "tab\tnew\nline\r",
                        "quote \" back \\ slash /", "\u2028\u2029", "\u0001\u001f\u007f", "مرحبا", "e\u0301"),
                map("naïve", "über", "🔑", "🔒"), map(), PY_ID, PY_TS));
        assertThat(decoded.get("numbers")).isEqualTo(new Message("math", "compute",
                list(0, -1, Integer.MAX_VALUE, 2147483648L, Long.MAX_VALUE, Long.MIN_VALUE,
                        BigInteger.TWO.pow(63), BigInteger.TWO.pow(64), BigInteger.TWO.pow(70).negate(),
                        BigInteger.TEN.pow(30), 0.1, 1e16, -2.5, 1.5e-07, Double.MIN_VALUE, Double.MAX_VALUE, 1.0,
                        -0.0, 123456.789),
                map("big", BigInteger.TWO.pow(100), "ratio", 1.0 / 3), map(), PY_ID, PY_TS));
        assertThat(decoded.get("numbers").args().get(10)).isInstanceOf(Double.class);
        assertThat(decoded.get("numbers").args().get(11)).as("1e+16 stays a float").isInstanceOf(Double.class);
        assertThat(decoded.get("numbers").args().get(17)).isEqualTo(-0.0);
        assertThat(decoded.get("nested")).isEqualTo(new Message("default", "store",
                list(list(1, list(2, list(3, list(4, list())))), map("a", map("b", map("c", null)))),
                map("payload", map(
                        "items", list(map("sku", "x-1", "qty", 3, "tags", list("a", "b")), map("sku", "y-2", "qty", 0)),
                        "flags", map("gift", true, "express", false, "note", null),
                        "empty_list", list(), "empty_map", map(), "", "empty key", "dotted.key", 1)),
                map(), PY_ID, PY_TS));
        assertThat(decoded.get("options")).isEqualTo(new Message("default.DQ", "flaky", list("x"), map(),
                map("retries", 3, "max_retries", 5, "min_backoff", 1000, "max_backoff", 60000,
                        "eta", 1735689660123L, "requeue_timestamp", 1735689601000L,
                        "traceback", "Traceback (most recent call last):\n  File \"tasks.py\", line 7, in flaky\n"
                                + "    raise ValueError(\"boom ☃\")\nValueError: boom ☃\n",
                        "time_limit", 30000, "max_age", 3600000, "notify_shutdown", false, "on_success", "done",
                        "redis_message_id", "abc"),
                PY_ID, PY_TS));

        // Built through actors on a StubBroker: generated id and timestamp, as Python holds them.
        for (Map.Entry<String, PythonEncoded> entry : encoded.entrySet()) {
            String id = entry.getKey();
            Message message = decoded.get(id);
            assertThat(message.messageId()).as("%s: message_id", id).isEqualTo(entry.getValue().messageId());
            assertThat(message.messageTimestamp()).as("%s: message_timestamp", id)
                    .isEqualTo(entry.getValue().messageTimestamp());
            if (!message.messageId().equals(PY_ID)) {
                assertThat(message.messageId()).as("%s: a uuid4", id).matches(UUID4);
                assertThat(message.messageTimestamp()).as("%s: stamped while the script ran", id)
                        .isBetween(before - 1_000, after + 1_000);
            }
        }
        assertFields(decoded.get("actor_message_with_options"), "interop", "add", list(40, 2), map(),
                map("max_retries", 7, "time_limit", 5000, "custom", map("k", list(1, "é"))));
        assertFields(decoded.get("actor_message_kwargs"), "interop", "report", list("résultat"),
                map("label", "📊"), map());
        assertFields(decoded.get("stub_send"), "interop", "add", list(20, 22), map(), map());
        Message delayed = decoded.get("stub_send_delayed");
        assertThat(delayed.queueName()).isEqualTo("interop.DQ");
        assertThat(delayed.args()).containsExactly(5, 6);
        assertThat(delayed.options()).containsOnlyKeys("eta");
        assertThat(((Number) delayed.options().get("eta")).longValue() - delayed.messageTimestamp())
                .as("eta = now + 60000 ms").isBetween(59_000L, 61_000L);

        // pipeline([add(1, 2), add(3), report()]): each pipe_target is the next message, as a message dict.
        Message first = decoded.get("pipeline_0");
        Message second = decoded.get("pipeline_1");
        Message third = decoded.get("pipeline_2");
        assertFields(first, "interop", "add", list(1, 2), map(), map("pipe_target", second.toMap()));
        assertFields(second, "interop", "add", list(3), map(), map("pipe_target", third.toMap()));
        assertFields(third, "interop", "report", list(), map(), map("pipe_ignore", true));
        @SuppressWarnings("unchecked")
        Map<String, ?> target = (Map<String, ?>) first.options().get("pipe_target");
        assertThat(codec.fromMap(target)).isEqualTo(second);
        assertThat(List.of(first.messageId(), second.messageId(), third.messageId())).doesNotHaveDuplicates();
    }

    @Test
    void aPythonEncodedMessageSentWithPgmqIsProcessedByAJavaWorker(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        Map<String, PythonEncoded> encoded = pythonEncode();
        // add.send(20, 22) as StubBroker enqueued it, and add.message_with_options(args=(40, 2), max_retries=7,
        // time_limit=5000, custom=...), both on queue "interop", in Python's ASCII-only JSON.
        String sent = new String(encoded.get("stub_send").body(), StandardCharsets.US_ASCII);
        String withOptions = new String(encoded.get("actor_message_with_options").body(), StandardCharsets.US_ASCII);

        List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(queues.newNamespace()).build(),
                List.of())) {
            ActorDefinition.named("add").queue("interop").on(broker).function(int.class, int.class, (a, b) -> {
                calls.add(List.of(a, b));
                ran.countDown();
                return a + b;
            });
            broker.declareQueue("interop");
            try (Connection connection = db.connect()) {
                PgmqSql.send(connection, broker.pgmqQueue("interop"), sent);
                PgmqSql.send(connection, broker.pgmqQueue("interop"), withOptions);
            }

            Worker worker = new Worker(broker, WorkerOptions.builder().consumerTimeout(Duration.ofMillis(100))
                    .shutdownTimeout(Duration.ofSeconds(5)).build());
            worker.start();
            try {
                assertThat(ran.await(20, TimeUnit.SECONDS)).as("the actor ran for both messages").isTrue();
                broker.join("interop", Duration.ofSeconds(10));
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }

            assertThat(calls).containsExactlyInAnyOrder(List.of(20, 22), List.of(40, 2));
            assertThat(broker.queueLength("interop")).as("acked").isZero();
            assertThat(broker.deadLetterCount("interop")).as("nothing dead-lettered").isZero();
        }
    }

    // ---------------------------------------------------------------------------------------- cases

    /** Messages made in Java, sent to Python's decoder. */
    private static Map<String, Message> javaCases() {
        Map<String, Message> cases = new LinkedHashMap<>();
        cases.put("plain", Message.create("default", "add", list(1, 2), map(), map()));
        cases.put("empty", new Message("default", "noop", list(), map(), map(), FIXED_ID, FIXED_TS));
        StringBuilder controls = new StringBuilder();
        for (char c = 1; c < 0x20; c++) {
            controls.append(c);
        }
        String longText = "ünïcødé 🚀 ".repeat(10_000);
        cases.put("unicode", new Message("default", "greet",
                list("café", "🚀 launch", "日本語", "👨‍👩‍👧", "𠀋 (outside the BMP)", controls.toString(), "\u007f",
                        "quote \" back \\ slash / </script>", "\u2028\u2029", "مرحبا", "e\u0301", "\uFEFF bom",
                        "\uFFFF", longText),
                map("naïve", "über", "🔑", list("🔒", "ключ"), "日本", map("ネスト", "値")),
                map("note", "é ☃ 🎉"), FIXED_ID, FIXED_TS));
        cases.put("numbers", new Message("math", "compute",
                list(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 2147483648L, Long.MAX_VALUE, Long.MIN_VALUE,
                        BigInteger.TWO.pow(63), BigInteger.TWO.pow(64), BigInteger.TWO.pow(70).negate(),
                        BigInteger.TEN.pow(40).add(BigInteger.ONE), 0.1, 1e16, -2.5, 1.5e-7, Double.MIN_VALUE,
                        Double.MAX_VALUE, 1.0, -0.0, 100.0, 1e22, 1e-5, 1.0 / 3, 123456.789, 0.30000000000000004),
                map("big", BigInteger.TWO.pow(100), "negative_big", new BigInteger("-98765432109876543210"),
                        "ratio", 2.0 / 3, "zero", 0.0),
                map(), FIXED_ID, FIXED_TS));
        Object deep = "bottom";
        for (int i = 0; i < 60; i++) {
            deep = i % 2 == 0 ? list(deep) : map("level" + i, deep);
        }
        cases.put("nested_kwargs", Message.create("default", "store", list(map("a", list(1, map("b", null)))),
                map("payload", map("items", list(map("sku", "x-1", "qty", 3, "tags", list("a", "b")),
                                map("sku", "y-2", "qty", 0, "tags", list())),
                        "flags", map("gift", true, "express", false, "note", null),
                        "", "empty key", "dotted.key", 1, "empty_map", map(), "empty_list", list()),
                        "deep", deep, "nothing", null),
                map()));
        cases.put("retry_options", Message.create("default", "flaky", list("x"), map(),
                map("retries", 3, "max_retries", 20, "min_backoff", 15000, "max_backoff", 604800000,
                        "traceback", "Traceback (most recent call last):\n  File \"/app/tasks.py\", line 12, in"
                                + " flaky\n    raise RuntimeError('boom \"quoted\" ☃')\nRuntimeError: boom\n",
                        "requeue_timestamp", 1735689601234L, "time_limit", 60000, "max_age", 3600000,
                        "notify_shutdown", true, "on_failure", "report_failure", "on_success", "report_success",
                        "throws_name", "ValueError")));
        cases.put("eta_delay_queue", Message.create("default.DQ", "add", list(1, 2), map(),
                map("eta", 1735689660000L)));
        Message last = new Message("results", "report", list(), map(), map("pipe_ignore", true),
                "7e1b9c52-0a3d-4f6e-9b8c-2d4e6f8a0b1c", FIXED_TS);
        Message middle = new Message("default", "add", list(3), map(), map("pipe_target", last.toMap()),
                "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", FIXED_TS);
        Message callback = new Message("default", "done", list("all"), map(), map(),
                "aa2f6c1e-3d4a-4e5f-8a7b-1c2d3e4f5a6b", FIXED_TS);
        cases.put("pipe_target", new Message("default", "add", list(1, 2), map(),
                map("pipe_target", middle.toMap(), "group_completion_uuid", "5f0c4b2e-6d1a-4c3b-9e8f-7a6b5c4d3e2f",
                        "group_completion_callbacks", list(callback.toMap())),
                FIXED_ID, FIXED_TS));
        cases.put("queue_name_with_dots", Message.create("jobs-high_priority.v2", "Task_Name.with-dots",
                list(true, false, null, "", list(), map()), map("x", -0.5), map()));
        return cases;
    }

    // ---------------------------------------------------------------------------------------- Python

    /** Has Python decode each body (exact bytes) with {@code dramatiq.Message.decode}; results by case id. */
    private static Map<String, JsonNode> pythonDecode(Map<String, byte[]> bodies) throws Exception {
        ArrayNode input = JSON.createArrayNode();
        bodies.forEach((id, body) -> {
            ObjectNode item = input.addObject();
            item.put("id", id);
            item.put("body_b64", Base64.getEncoder().encodeToString(body));
        });
        JsonNode output = python().run("decode", JSON.writeValueAsBytes(input));
        Map<String, JsonNode> results = new LinkedHashMap<>();
        for (JsonNode result : output) {
            results.put(result.get("id").asText(), result);
        }
        return results;
    }

    /** The message Python decoded, read back from Python's {@code json.dumps(message.asdict())}. */
    private Message decodedByPython(String id, JsonNode result, byte[] body) {
        assertThat(result).as("%s: no result from Python", id).isNotNull();
        if (result.has("error")) {
            fail("Python Dramatiq refused case %s: %s (cause %s)%nbody: %s", id, result.get("error").asText(),
                    result.path("cause").asText(), new String(body, StandardCharsets.UTF_8));
        }
        return codec.decode(result.get("ok").asText());
    }

    private record PythonEncoded(byte[] body, String messageId, long messageTimestamp) {
    }

    /** The messages Python Dramatiq built and encoded (see the script), by case id. */
    private static Map<String, PythonEncoded> pythonEncode() throws Exception {
        JsonNode output = python().run("encode", new byte[0]);
        Map<String, PythonEncoded> encoded = new LinkedHashMap<>();
        for (JsonNode item : output) {
            encoded.put(item.get("id").asText(), new PythonEncoded(
                    Base64.getDecoder().decode(item.get("body_b64").asText()),
                    item.get("message_id").asText(), item.get("message_timestamp").asLong()));
        }
        return encoded;
    }

    private static synchronized PythonDramatiq python() {
        if (python == null) {
            python = PythonDramatiq.locate();
        }
        return python;
    }

    /** A Python interpreter that can {@code import dramatiq}, or why there is none. */
    private record PythonDramatiq(String interpreter, Path script, boolean available, String reason) {

        static PythonDramatiq locate() {
            String interpreter = Objects.requireNonNullElse(System.getenv("SUPAQUEUE_TEST_PYTHON"), "python3");
            String enable = " — these interop tests need Python Dramatiq. To enable them: pip install dramatiq"
                    + " (Dramatiq 2.x), or set PYTHONPATH to a directory holding the dramatiq package"
                    + " (a checkout of Dramatiq), or set SUPAQUEUE_TEST_PYTHON to a Python that has it.";
            ProcessResult check;
            try {
                check = ProcessResult.run(List.of(interpreter, "-c", "import dramatiq"), new byte[0],
                        Duration.ofSeconds(30));
            } catch (IOException e) {
                return new PythonDramatiq(interpreter, null, false,
                        "cannot run " + interpreter + " (" + e.getMessage() + ")" + enable);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new PythonDramatiq(interpreter, null, false, "interrupted" + enable);
            }
            if (check.exit() != 0) {
                String[] lines = check.stderr().strip().split("\n");
                return new PythonDramatiq(interpreter, null, false, interpreter + " -c \"import dramatiq\" failed ("
                        + lines[lines.length - 1] + ", PYTHONPATH=" + Objects.requireNonNullElse(System.getenv("PYTHONPATH"), "unset")
                        + ")" + enable);
            }
            try (InputStream in = PythonDramatiqInteropIT.class.getResourceAsStream(SCRIPT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + SCRIPT_RESOURCE);
                }
                Path script = Files.createTempFile("dramatiq_interop", ".py");
                script.toFile().deleteOnExit();
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                return new PythonDramatiq(interpreter, script, true, "available");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        JsonNode run(String mode, byte[] stdin) throws Exception {
            ProcessResult result = ProcessResult.run(List.of(interpreter, script.toString(), mode), stdin,
                    PYTHON_TIMEOUT);
            if (result.exit() != 0) {
                fail("dramatiq_interop.py %s exited with %d:%n%s", mode, result.exit(), result.stderr());
            }
            return JSON.readTree(result.stdout());
        }
    }

    private record ProcessResult(int exit, String stdout, String stderr) {

        static ProcessResult run(List<String> command, byte[] stdin, Duration timeout)
                throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("%s did not finish within %s", command, timeout);
            }
            return new ProcessResult(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        }

        private static byte[] readAll(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------- helpers

    private static void assertFields(Message message, String queueName, String actorName, List<Object> args,
                                     Map<String, Object> kwargs, Map<String, Object> options) {
        assertThat(message.queueName()).isEqualTo(queueName);
        assertThat(message.actorName()).isEqualTo(actorName);
        assertThat(message.args()).isEqualTo(args);
        assertThat(message.kwargs()).isEqualTo(kwargs);
        assertThat(message.options()).isEqualTo(options);
    }

    /** Deep equality where numbers compare by value, since jsonb keeps values but not int/float form. */
    private static void assertSameJson(String id, Object expected, Object actual) {
        List<String> differences = new ArrayList<>();
        compare("", expected, actual, differences);
        assertThat(differences).as("%s: differences after the jsonb round trip", id).isEmpty();
    }

    private static void compare(String path, Object expected, Object actual, List<String> differences) {
        if (expected instanceof Number e && actual instanceof Number a) {
            if (decimal(e).compareTo(decimal(a)) != 0) {
                differences.add(path + ": " + e + " != " + a);
            }
        } else if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                differences.add(path + ": " + e.size() + " elements != " + a.size());
                return;
            }
            for (int i = 0; i < e.size(); i++) {
                compare(path + "[" + i + "]", e.get(i), a.get(i), differences);
            }
        } else if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            if (!e.keySet().equals(a.keySet())) {
                differences.add(path + ": keys " + e.keySet() + " != " + a.keySet());
                return;
            }
            for (Object key : e.keySet()) {
                compare(path + "." + key, e.get(key), a.get(key), differences);
            }
        } else if (!Objects.equals(expected, actual)) {
            differences.add(path + ": " + expected + " != " + actual);
        }
    }

    private static BigDecimal decimal(Number number) {
        return switch (number) {
            case Double d -> BigDecimal.valueOf(d);
            case BigInteger big -> new BigDecimal(big);
            case BigDecimal decimal -> decimal;
            default -> BigDecimal.valueOf(number.longValue());
        };
    }

    private static List<Object> list(Object... values) {
        return Arrays.asList(values);
    }

    /** A map from alternating keys and values; null values allowed. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
