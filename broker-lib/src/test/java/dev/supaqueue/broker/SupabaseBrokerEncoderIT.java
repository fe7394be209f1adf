package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.message.MessageEncoder;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SupabaseBroker with a custom {@link MessageEncoder} (DRAMATIQ.md §7 item 45): JSON only, since pgmq stores jsonb. */
@PgmqIntegrationTest
class SupabaseBrokerEncoderIT {

    private static final Duration SHORT = Duration.ofMillis(300);

    /**
     * A JSON encoder other than MessageCodec: keys in reverse order and a marker inside options, which decode
     * requires and removes, so the test can tell that this encoder wrote and read the body.
     */
    static final class MarkedJsonEncoder implements MessageEncoder {

        static final String MARKER = "encoded_by";
        private static final ObjectMapper JSON = new ObjectMapper();
        private final MessageCodec codec = new MessageCodec();

        @Override
        public byte[] encodeBytes(Message message) {
            Map<String, Object> options = new LinkedHashMap<>(message.options());
            options.put(MARKER, "marked-json");
            Map<String, Object> fields = new LinkedHashMap<>(message.toMap());
            fields.put(Message.OPTIONS, options);
            List<String> keys = new ArrayList<>(fields.keySet());
            Collections.reverse(keys);
            Map<String, Object> reversed = new LinkedHashMap<>();
            keys.forEach(key -> reversed.put(key, fields.get(key)));
            try {
                return JSON.writeValueAsBytes(reversed);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + message.messageId(), e);
            }
        }

        @Override
        public Message decode(byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            Map<String, Object> fields;
            try {
                fields = JSON.readValue(data, new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (IOException e) {
                throw new MessageDecodeException("not JSON: " + e.getMessage(), text, e);
            }
            if (!(fields.get(Message.OPTIONS) instanceof Map<?, ?> options)
                    || !"marked-json".equals(options.get(MARKER))) {
                throw new MessageDecodeException("no \"" + MARKER + "\" marker in options", text);
            }
            Map<Object, Object> unmarked = new LinkedHashMap<>(options);
            unmarked.remove(MARKER);
            fields.put(Message.OPTIONS, unmarked);
            return codec.fromMap(fields);
        }
    }

    /** An encoder that writes these fixed bytes, whatever the message. */
    private static MessageEncoder writing(byte[] body) {
        return new MessageEncoder() {
            @Override
            public byte[] encodeBytes(Message message) {
                return body.clone();
            }

            @Override
            public Message decode(byte[] data) {
                throw new MessageDecodeException("never stored", null);
            }
        };
    }

    private static SupabaseBroker broker(TestDatabaseServer db, String namespace, MessageEncoder encoder) {
        return new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of(), encoder);
    }

    @Test
    void aCustomJsonEncoderRoundTripsThroughPgmqAndWritesTheDeadLetters(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        MarkedJsonEncoder encoder = new MarkedJsonEncoder();
        try (SupabaseBroker broker = broker(db, queues.newNamespace(), encoder)) {
            assertThat(broker.encoder()).isSameAs(encoder);
            broker.declareQueue("jobs");
            Map<String, Object> kwargs = new LinkedHashMap<>();
            kwargs.put("nested", List.of(1, Map.of("ratio", 2.5)));
            kwargs.put("nothing", null);
            kwargs.put("big", new BigInteger("123456789012345678901234567890"));
            Message sent = broker.enqueue(Message.create("jobs", "add", List.of("héllo ☃ 😀", Long.MAX_VALUE),
                    kwargs, Map.of("max_retries", 3)));
            Message failing = broker.enqueue(Message.create("jobs", "add", List.of(2), Map.of(), Map.of()));

            // jsonb keeps the marker; a vt of 0 leaves the rows visible.
            List<PgmqMessage> rows = broker.client().read(broker.pgmqQueue("jobs"), 0, 10);
            assertThat(rows).hasSize(2)
                    .allSatisfy(row -> assertThat(row.message()).contains("\"encoded_by\": \"marked-json\""));

            try (Consumer consumer = broker.consume("jobs", 2, SHORT)) {
                MessageProxy first = consumer.next().orElseThrow();
                assertThat(first.message()).isEqualTo(sent);
                consumer.ack(first);

                MessageProxy second = consumer.next().orElseThrow();
                assertThat(second.message()).isEqualTo(failing);
                second.stuffException(new IllegalStateException("boom"));
                second.fail();
                consumer.nack(second);
            }
            assertThat(broker.queueLength("jobs")).isZero();

            List<PgmqMessage> dead = broker.client().read(broker.deadLetterQueue("jobs"), 30, 10);
            assertThat(dead).hasSize(1);
            Message deadMessage = encoder.decode(dead.get(0).message().getBytes(StandardCharsets.UTF_8));
            assertThat(deadMessage.messageId()).isEqualTo(failing.messageId());
            assertThat(deadMessage.option(SupabaseBroker.REASON_OPTION))
                    .contains("java.lang.IllegalStateException: boom");
        }
    }

    @Test
    void aNonJsonEncoderIsRefusedAtEnqueueAndNothingIsStored(TestDatabaseServer db, TestQueues queues) {
        try (SupabaseBroker broker = broker(db, queues.newNamespace(), new XorFramedEncoder())) {
            broker.declareQueue("jobs");
            Message message = Message.create("jobs", "add", List.of(1), Map.of(), Map.of());

            assertThatThrownBy(() -> broker.enqueue(message))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message.messageId())
                    .hasMessageContaining(XorFramedEncoder.class.getName())
                    .hasMessageContaining("not UTF-8")
                    .hasMessageContaining("pgmq stores messages as jsonb")
                    .hasMessageContaining("use a JSON-producing encoder with SupabaseBroker")
                    .hasMessageContaining("non-JSON encoders work with StubBroker only");
            assertThat(broker.queueLength("jobs")).isZero();
        }
    }

    @Test
    void outputThatJsonbWouldNotStoreAsOneObjectIsRefusedWithTheReason(TestDatabaseServer db, TestQueues queues) {
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("[1, 2, 3]", "not a JSON object");
        refusals.put("{\"a\": \"nul \\u0000\"}", "NUL character");
        refusals.put("{\"a\": 1} {\"b\": 2}", "extra data");
        refusals.put("{\"a\": NaN}", "not valid JSON");
        refusals.put("{\"a\": ", "not valid JSON");
        String namespace = queues.newNamespace();
        refusals.forEach((body, reason) -> {
            try (SupabaseBroker broker = broker(db, namespace, writing(body.getBytes(StandardCharsets.UTF_8)))) {
                broker.declareQueue("jobs");
                assertThatThrownBy(() -> broker.enqueue(Message.create("jobs", "add", List.of(), Map.of(), Map.of())))
                        .as(body)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(reason)
                        .hasMessageContaining("jsonb");
                assertThat(broker.queueLength("jobs")).isZero();
            }
        });
    }

    @Test
    void aBodyTheCustomEncoderCannotDecodeIsDeadLetteredWithTheReason(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        try (SupabaseBroker plain = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(), List.of());
             SupabaseBroker marked = broker(db, namespace, new MarkedJsonEncoder())) {
            assertThat(plain.encoder()).isInstanceOf(MessageCodec.class);
            // A valid Dramatiq message, but without the marker this encoder requires.
            plain.enqueue(Message.create("jobs", "add", List.of(1), Map.of(), Map.of()));
            Message good = marked.enqueue(Message.create("jobs", "add", List.of(2), Map.of(), Map.of()));

            try (Consumer consumer = marked.consume("jobs", 5, Duration.ofSeconds(1))) {
                MessageProxy next = consumer.next().orElseThrow();
                assertThat(next.message()).isEqualTo(good);
                consumer.ack(next);
            }
            assertThat(marked.queueLength("jobs")).isZero();
            List<PgmqMessage> dead = marked.client().read(marked.deadLetterQueue("jobs"), 30, 10);
            assertThat(dead).hasSize(1);
            PgmqMessage row = dead.get(0);
            String reason = row.headers() != null ? row.headers() : row.message();
            assertThat(reason).contains("no \\\"encoded_by\\\" marker in options");
        }
    }
}
