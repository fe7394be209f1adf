package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnqueueRequestTest {

    private static final MessageCodec CODEC = new MessageCodec();

    @Test
    void aRawRequestKeepsThePayloadAsGivenAndSendsItOnce() {
        EnqueueRequest request = EnqueueRequest.raw("jobs", "{ \"b\": 1,  \"a\": [true, null] }");

        assertThat(request.queue()).isEqualTo("jobs");
        assertThat(request.payload()).isEqualTo("{ \"b\": 1,  \"a\": [true, null] }");
        assertThat(request.headers()).isNull();
        assertThat(request.delay()).isZero();
        assertThat(request.count()).isEqualTo(1);
        assertThat(request.newMessageIds()).isFalse();
        assertThat(request.bodies(3)).containsExactly(request.payload(), request.payload(), request.payload());
    }

    @Test
    void anyJsonValueIsAPayload() {
        assertThat(EnqueueRequest.raw("jobs", "\"just text\"").payload()).isEqualTo("\"just text\"");
        assertThat(EnqueueRequest.raw("jobs", "42").payload()).isEqualTo("42");
        assertThat(EnqueueRequest.raw("jobs", "null").payload()).isEqualTo("null");
        assertThat(EnqueueRequest.raw("jobs", "[1, 2]").payload()).isEqualTo("[1, 2]");
    }

    @Test
    void theFiveArgumentConstructorMakesARawRequest() {
        EnqueueRequest request = new EnqueueRequest("jobs", "{}", "{\"h\": 1}", Duration.ofSeconds(5), 7);

        assertThat(request).isEqualTo(new EnqueueRequest("jobs", "{}", "{\"h\": 1}", Duration.ofSeconds(5), 7,
                false));
    }

    @Test
    void invalidJsonIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{\"a\": 1,\n \"b\": }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The payload is not valid JSON: ")
                .hasMessageContaining("line 2, column 7")
                .hasMessageContaining("character 16");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{\"a\": 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The payload is not valid JSON: ");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{'a': 1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1, column 2");
    }

    @Test
    void moreThanOneValueIsRefused() {
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{} {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more data after the JSON value at line 1, column 4");
    }

    @Test
    void anEmptyOrMissingPayloadIsRefused() {
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("The payload is empty");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }

    @Test
    void textsJsonbCannotStoreAreRefused() {
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{\"a\": \"x\\u0000y\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL character");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "{\"\\u0000\": 1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL character");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "[\"\\ud800\"]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired UTF-16 surrogate (\\ud800)");
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs", "\"\\udc00x\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired UTF-16 surrogate");
        // A pair is one character, and fine.
        assertThat(EnqueueRequest.raw("jobs", "\"\\ud83d\\ude00 😀\"").payload()).contains("😀");
    }

    @Test
    void headersMustBeAJsonObject() {
        EnqueueRequest request = EnqueueRequest.raw("jobs", "{}");

        assertThat(request.withHeaders("{\"trace\": \"t1\"}").headers()).isEqualTo("{\"trace\": \"t1\"}");
        assertThat(request.withHeaders("{\"trace\": 1}").withHeaders(null).headers()).isNull();
        assertThatThrownBy(() -> request.withHeaders("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("The headers must be a JSON object").hasMessageContaining("got an array");
        assertThatThrownBy(() -> request.withHeaders("\"x\""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got a string");
        assertThatThrownBy(() -> request.withHeaders("{\"a\" 1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The headers are not valid JSON");
    }

    @Test
    void theDelayMustBeBetweenZeroAndTenYears() {
        EnqueueRequest request = EnqueueRequest.raw("jobs", "{}");

        assertThat(request.withDelay(Duration.ofMinutes(5)).delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(request.withDelay(EnqueueRequest.MAX_DELAY).delay()).isEqualTo(EnqueueRequest.MAX_DELAY);
        assertThatThrownBy(() -> request.withDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative, got PT-0.001S");
        assertThatThrownBy(() -> request.withDelay(EnqueueRequest.MAX_DELAY.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10 years");
        assertThatThrownBy(() -> request.withDelay(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duration.ZERO");
    }

    @Test
    void theCountMustBeBetweenOneAndOneHundredThousand() {
        EnqueueRequest request = EnqueueRequest.raw("jobs", "{}");

        assertThat(request.withCount(EnqueueRequest.MAX_COUNT).count()).isEqualTo(100_000);
        assertThatThrownBy(() -> request.withCount(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("The count must be between 1 and 100000, got 0");
        assertThatThrownBy(() -> request.withCount(100_001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 100001");
    }

    @Test
    void queueNamesMustBeValidForPgmq() {
        assertThatThrownBy(() -> EnqueueRequest.raw("jobs'; DROP TABLE pgmq.meta; --", "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain");
        assertThatThrownBy(() -> EnqueueRequest.raw("x".repeat(48), "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 47 characters");
        assertThatThrownBy(() -> EnqueueRequest.raw(null, "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }

    @Test
    void aDramatiqRequestIsADramatiqMessageAndEveryCopyGetsItsOwnMessageId() {
        EnqueueRequest request = EnqueueRequest.dramatiq("app_emails", "emails", "send_email",
                List.of("ann@example.com", 3), Map.of("urgent", true), Map.of("max_retries", 2)).withCount(25);

        Message template = CODEC.decode(request.payload());
        assertThat(template.queueName()).isEqualTo("emails");
        assertThat(template.actorName()).isEqualTo("send_email");
        assertThat(request.newMessageIds()).isTrue();
        assertThat(request.withDelay(Duration.ofSeconds(1)).withHeaders("{}").newMessageIds()).isTrue();

        List<Message> copies = request.bodies(25).stream().map(CODEC::decode).toList();
        assertThat(copies).hasSize(25);
        assertThat(copies).extracting(Message::messageId).doesNotHaveDuplicates()
                .doesNotContain(template.messageId());
        assertThat(copies).allSatisfy(copy -> {
            assertThat(copy.actorName()).isEqualTo("send_email");
            assertThat(copy.queueName()).isEqualTo("emails");
            assertThat(copy.args()).containsExactly("ann@example.com", 3);
            assertThat(copy.kwargs()).containsEntry("urgent", true);
            assertThat(copy.options()).containsEntry("max_retries", 2);
            assertThat(copy.messageTimestamp()).isGreaterThanOrEqualTo(template.messageTimestamp());
        });
    }

    @Test
    void aDramatiqRequestNeedsNamesAndJsonValues() {
        assertThatThrownBy(() -> EnqueueRequest.dramatiq("q", " ", "actor", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Dramatiq queue name");
        assertThatThrownBy(() -> EnqueueRequest.dramatiq("q", "q", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor name");
        assertThatThrownBy(() -> EnqueueRequest.dramatiq("q", "q", "actor", List.of(Double.NaN), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("args[0]");
        assertThat(CODEC.decode(EnqueueRequest.dramatiq("q", "q", "actor", null, null, null).payload()).args())
                .isEmpty();
    }

    @Test
    void newMessageIdsNeedADramatiqPayload() {
        assertThatThrownBy(() -> new EnqueueRequest("q", "{\"not\": \"dramatiq\"}", null, Duration.ZERO, 2, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a Dramatiq message as payload");
    }
}
