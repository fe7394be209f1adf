package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ReplayPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String DEAD_LETTERED = """
            {"queue_name": "emails", "actor_name": "send_email", "args": [1, "two"], "kwargs": {"to": "ann"},
             "options": {"max_retries": 3, "retries": 3, "traceback": "Traceback ...", "eta": 1700000000000,
                         "dead_letter_reason": "java.io.IOException: boom", "dead_lettered_at": 1700000000123},
             "message_id": "0b6e9f7c-7c1e-4a57-9d4b-3f0f3f1a2b3c", "message_timestamp": 1699999999999}""";

    @Test
    void replayResetsTheFailureStateAndKeepsEverythingElse() throws Exception {
        JsonNode replayed = JSON.readTree(ReplayPayloads.forReplay(DEAD_LETTERED, "app_emails_xq", "app_emails"));
        JsonNode original = JSON.readTree(DEAD_LETTERED);

        assertThat(replayed.get("options").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("max_retries", "eta");
        assertThat(replayed.get("options").get("eta")).isEqualTo(original.get("options").get("eta"));
        for (String kept : new String[] {"queue_name", "actor_name", "args", "kwargs", "message_id",
                "message_timestamp"}) {
            assertThat(replayed.get(kept)).as(kept).isEqualTo(original.get(kept));
        }
    }

    @Test
    void replayKeepsNumbersExactly() throws Exception {
        String payload = """
                {"queue_name": "q", "actor_name": "a", "args": [1.50, 123456789012345678901234567890, 1e-7],
                 "kwargs": {}, "options": {"retries": 1}, "message_id": "m", "message_timestamp": 1}""";

        String replayed = ReplayPayloads.forReplay(payload, "q_xq", "q");

        assertThat(replayed).contains("[1.50,123456789012345678901234567890,0.0000001]")
                .doesNotContain("retries");
    }

    @Test
    void aPayloadThatNeedsNoChangeIsReturnedAsTheSameText() {
        String clean = """
                {"queue_name": "emails", "actor_name": "a", "args": [], "kwargs": {}, "options": {"eta": 1}}""";
        String foreign = "{\"order\": 42, \"retries\": 3}";
        String text = "\"just text\"";

        assertThat(ReplayPayloads.forReplay(clean, "emails_xq", "emails")).isSameAs(clean);
        assertThat(ReplayPayloads.forReplay(foreign, "emails_xq", "emails")).isSameAs(foreign);
        assertThat(ReplayPayloads.forReplay(text, "emails_xq", "emails")).isSameAs(text);
        assertThat(ReplayPayloads.forMove(clean, "app_mail", "app_jobs")).as("not named after the queue")
                .isSameAs(clean);
        assertThat(ReplayPayloads.forMove(foreign, "emails", "jobs")).isSameAs(foreign);
    }

    @Test
    void theEnvelopeOfAnUndecodableMessageIsUnwrapped() throws Exception {
        String envelope = """
                {"undecodable_message": {"weird": [1, 2], "retries": 9}, "dead_letter_reason": "not Dramatiq"}""";
        String scalarEnvelope = "{\"undecodable_message\": \"plain\", \"dead_letter_reason\": \"x\"}";

        assertThat(JSON.readTree(ReplayPayloads.forReplay(envelope, "q_xq", "q")))
                .isEqualTo(JSON.readTree("{\"weird\": [1, 2], \"retries\": 9}"));
        assertThat(ReplayPayloads.forReplay(scalarEnvelope, "q_xq", "q")).isEqualTo("\"plain\"");
        // Only the exact two-key shape is the envelope.
        String lookalike = "{\"undecodable_message\": 1, \"dead_letter_reason\": \"x\", \"more\": true}";
        assertThat(ReplayPayloads.forReplay(lookalike, "q_xq", "q")).isSameAs(lookalike);
        assertThat(ReplayPayloads.forMove(envelope, "q_xq", "r")).isSameAs(envelope);
    }

    @Test
    void onlyDramatiqsShapeCountsAsADramatiqMessage() throws Exception {
        String extraKey = """
                {"queue_name": "q", "actor_name": "a", "args": [], "kwargs": {}, "options": {"retries": 1},
                 "extra": 1}""";
        String argsNotArray = """
                {"queue_name": "q", "actor_name": "a", "args": {}, "kwargs": {}, "options": {"retries": 1}}""";
        String noOptions = "{\"queue_name\": \"q\", \"actor_name\": \"a\", \"args\": [], \"kwargs\": {}}";

        assertThat(ReplayPayloads.forReplay(extraKey, "q_xq", "q")).isSameAs(extraKey);
        assertThat(ReplayPayloads.forReplay(argsNotArray, "q_xq", "q")).isSameAs(argsNotArray);
        assertThat(ReplayPayloads.forReplay(noOptions, "q_xq", "q")).isSameAs(noOptions);
        assertThat(ReplayPayloads.isDramatiqMessage(JSON.readTree(DEAD_LETTERED))).isTrue();
    }

    @Test
    void moveRewritesTheQueueNameWithinANamespaceAndKeepsTheRest() throws Exception {
        JsonNode moved = JSON.readTree(ReplayPayloads.forMove(DEAD_LETTERED, "app_emails", "app_reports"));
        JsonNode original = JSON.readTree(DEAD_LETTERED);

        assertThat(moved.get("queue_name").textValue()).isEqualTo("reports");
        assertThat(moved.get("options")).as("a move keeps the retry state").isEqualTo(original.get("options"));
        assertThat(moved.get("message_id")).isEqualTo(original.get("message_id"));
    }

    @Test
    void theQueueNameRuleFollowsThePrefix() {
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails", "app_reports")).isEqualTo("reports");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails_xq", "app_reports"))
                .as("from a dead-letter queue").isEqualTo("reports");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails", "app_reports_xq"))
                .as("into a dead-letter queue").isEqualTo("reports");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "emails", "reports"))
                .as("empty prefix").isEqualTo("reports");
        assertThat(ReplayPayloads.queueNameAfterMove("emails.DQ", "app_emails", "app_reports"))
                .as("Dramatiq's delay-queue name").isEqualTo("reports");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails", "other_reports"))
                .as("another namespace").isEqualTo("emails");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_mail", "app_reports"))
                .as("source not named after the queue").isEqualTo("emails");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails", "app_"))
                .as("nothing left after the prefix").isEqualTo("emails");
        assertThat(ReplayPayloads.queueNameAfterMove("emails", "app_emails_xq", "app_emails"))
                .as("back to its own queue").isEqualTo("emails");
    }

    @Test
    void replayToAnotherQueueFollowsTheSameRule() throws Exception {
        JsonNode replayed = JSON.readTree(ReplayPayloads.forReplay(DEAD_LETTERED, "app_emails_xq", "app_urgent"));

        assertThat(replayed.get("queue_name").textValue()).isEqualTo("urgent");
        assertThat(replayed.get("options").has("retries")).isFalse();
    }

    @Test
    void replayedHeadersLoseOnlyTheDeadLetterReason() throws Exception {
        String both = "{\"x-supaqueue-dead-letter-reason\": \"boom\", \"trace_id\": \"t-1\"}";

        assertThat(JSON.readTree(ReplayPayloads.headersForReplay(both)))
                .isEqualTo(JSON.readTree("{\"trace_id\": \"t-1\"}"));
        assertThat(ReplayPayloads.headersForReplay("{\"x-supaqueue-dead-letter-reason\": \"boom\"}")).isNull();
        assertThat(ReplayPayloads.headersForReplay(null)).isNull();
        assertThat(ReplayPayloads.headersForReplay("null")).isNull();
        assertThat(ReplayPayloads.headersForReplay("{}")).isNull();
        String plain = "{\"trace_id\": \"t-2\"}";
        assertThat(ReplayPayloads.headersForReplay(plain)).isSameAs(plain);
        assertThat(ReplayPayloads.headersForReplay("[1, 2]")).isEqualTo("[1, 2]");
    }
}
