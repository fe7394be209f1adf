package dev.supaqueue.console.enqueue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The form's checks, preview and send guard, without a database: any call for the admin fails the test. */
class EnqueueViewModelTest {

    private final AtomicInteger adminCalls = new AtomicInteger();

    /** Counts and refuses: these tests must never reach the database. */
    private final Supplier<QueueAdmin> noDatabase = () -> {
        adminCalls.incrementAndGet();
        throw new AssertionError("the form asked for the database");
    };

    private EnqueueViewModel form(boolean readOnly) {
        EnqueueViewModel form = new EnqueueViewModel(noDatabase, BackgroundTasks.inline(), "app_emails", "emails",
                readOnly, ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");
        return form;
    }

    @Test
    void aValidDramatiqFormCanBeSentAndPreviewsTheMessage() throws Exception {
        EnqueueViewModel form = form(false);
        form.argsProperty().set("[1, \"two\", 0.1]");
        form.kwargsProperty().set("{\"to\": \"a@example.com\"}");
        form.optionsProperty().set("{\"max_retries\": 3}");

        assertThat(form.validProperty().get()).isTrue();
        assertThat(form.canSendProperty().get()).isTrue();
        assertThat(form.disabledReasonProperty().get()).isEmpty();
        JsonNode preview = new ObjectMapper().readTree(form.previewProperty().get());
        assertThat(preview.get("queue_name").asText()).isEqualTo("emails");
        assertThat(preview.get("actor_name").asText()).isEqualTo("send_email");
        assertThat(preview.get("args").toString()).isEqualTo("[1,\"two\",0.1]");
        assertThat(preview.get("kwargs").toString()).isEqualTo("{\"to\":\"a@example.com\"}");
        assertThat(preview.get("options").toString()).isEqualTo("{\"max_retries\":3}");
        assertThat(preview.get("message_id").asText()).hasSize(36);
        assertThat(preview.get("message_timestamp").isNumber()).isTrue();
        assertThat(form.previewNoteProperty().get()).contains("own new message_id");
    }

    @Test
    void theRawPreviewIsThePayloadAsTyped() {
        EnqueueViewModel form = form(false);
        form.modeProperty().set(EnqueueMode.RAW);
        form.rawPayloadProperty().set("{\"hello\": [1, 2]}");
        form.argsProperty().set("not looked at in raw mode");

        assertThat(form.canSendProperty().get()).isTrue();
        assertThat(form.previewProperty().get()).isEqualTo("{\"hello\": [1, 2]}");
        assertThat(form.argsErrorProperty().get()).isEmpty();
        assertThat(form.previewNoteProperty().get()).isEqualTo("Every copy is sent exactly as shown.");

        form.rawPayloadProperty().set("{\"hello\": ");
        assertThat(form.rawPayloadErrorProperty().get()).startsWith("The payload is not valid JSON")
                .contains("line 1");
        assertThat(form.previewProperty().get()).isEmpty();
        assertThat(form.canSendProperty().get()).isFalse();
    }

    @Test
    void badJsonNamesTheProblemAndWhere() {
        EnqueueViewModel form = form(false);
        form.kwargsProperty().set("{\"to\": }");

        assertThat(form.kwargsErrorProperty().get()).startsWith("The kwargs are not valid JSON: Unexpected character")
                .contains("at line 1, column 8");
        assertThat(form.canSendProperty().get()).isFalse();
        assertThat(form.disabledReasonProperty().get()).isEqualTo("fix the highlighted fields");
        assertThat(form.previewProperty().get()).isEmpty();

        form.kwargsProperty().set("{\"to\": 1} {}");
        assertThat(form.kwargsErrorProperty().get()).startsWith("The kwargs are not valid JSON: Trailing token");

        form.kwargsProperty().set("{\"to\": 1}");
        assertThat(form.kwargsErrorProperty().get()).isEmpty();
        assertThat(form.canSendProperty().get()).isTrue();
    }

    @Test
    void argsMustBeAnArrayAndKwargsOptionsAndHeadersObjects() {
        EnqueueViewModel form = form(false);
        form.argsProperty().set("{\"a\": 1}");
        form.kwargsProperty().set("[1]");
        form.optionsProperty().set("3");
        form.headersProperty().set("\"x\"");

        assertThat(form.argsErrorProperty().get()).isEqualTo("The args must be a JSON array such as [1, \"two\"],"
                + " got an object");
        assertThat(form.kwargsErrorProperty().get()).endsWith("got an array");
        assertThat(form.optionsErrorProperty().get()).endsWith("got a number");
        assertThat(form.headersErrorProperty().get()).startsWith("The headers must be a JSON object").endsWith(
                "got a string");
        assertThat(form.canSendProperty().get()).isFalse();

        form.argsProperty().set("");
        form.kwargsProperty().set("");
        form.optionsProperty().set("");
        form.headersProperty().set("{\"trace_id\": \"abc\"}");
        assertThat(form.canSendProperty().get()).as("blank means none").isTrue();
    }

    @Test
    void theActorNameMustNotBeBlank() {
        EnqueueViewModel form = form(false);
        form.actorNameProperty().set("   ");

        assertThat(form.actorNameErrorProperty().get()).startsWith("The actor name must not be blank");
        assertThat(form.canSendProperty().get()).isFalse();
    }

    @Test
    void theCountMustBeFromOneToOneHundredThousand() {
        EnqueueViewModel form = form(false);
        form.countProperty().set("0");
        assertThat(form.countErrorProperty().get()).isEqualTo("The count must be between 1 and 100000, got 0");
        assertThat(form.canSendProperty().get()).isFalse();

        form.countProperty().set("100001");
        assertThat(form.countErrorProperty().get()).isEqualTo("The count must be between 1 and 100000, got 100001");

        form.countProperty().set("lots");
        assertThat(form.countErrorProperty().get()).contains("whole number").contains("\u201clots\u201d");

        form.countProperty().set("100000");
        assertThat(form.countErrorProperty().get()).isEmpty();
        assertThat(form.canSendProperty().get()).isTrue();
    }

    @Test
    void theCountIsCheckedEvenWhileAnotherFieldIsInvalid() {
        EnqueueViewModel form = form(false);
        form.argsProperty().set("[");
        form.countProperty().set("0");

        assertThat(form.countErrorProperty().get()).isEqualTo("The count must be between 1 and 100000, got 0");
        assertThat(form.argsErrorProperty().get()).startsWith("The args are not valid JSON");
    }

    @Test
    void theDelayMustNotBeNegativeNorTooLong() {
        EnqueueViewModel form = form(false);
        form.delaySecondsProperty().set("-5");
        assertThat(form.delayErrorProperty().get()).isEqualTo("The delay must not be negative, got -5 seconds");
        assertThat(form.canSendProperty().get()).isFalse();

        form.delaySecondsProperty().set("1.5");
        assertThat(form.delayErrorProperty().get()).startsWith("The delay must be a whole number of seconds");

        form.delaySecondsProperty().set(Long.toString(3654L * 24 * 3600));
        assertThat(form.delayErrorProperty().get()).startsWith("The delay must be at most 10 years");

        form.delaySecondsProperty().set("60");
        assertThat(form.delayErrorProperty().get()).isEmpty();
        assertThat(form.canSendProperty().get()).isTrue();
    }

    @Test
    void anInvalidQueueNameIsAFormError() {
        EnqueueViewModel form = new EnqueueViewModel(noDatabase, BackgroundTasks.inline(), "bad;name", "x",
                false, ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");

        assertThat(form.formErrorProperty().get()).startsWith("pgmq queue name must not contain ;");
        assertThat(form.canSendProperty().get()).isFalse();
    }

    @Test
    void aReadOnlyConnectionRefusesToSendWithoutAskingForTheDatabase() {
        EnqueueViewModel form = form(true);

        assertThat(form.validProperty().get()).isTrue();
        assertThat(form.canSendProperty().get()).isFalse();
        assertThat(form.disabledReasonProperty().get()).isEqualTo("read-only connection");
        form.send();
        assertThat(adminCalls).hasValue(0);
        assertThat(form.resultProperty().get()).isEmpty();
        assertThat(form.errorProperty().get()).isEmpty();
    }

    @Test
    void anInvalidFormIsNotSent() {
        EnqueueViewModel form = form(false);
        form.argsProperty().set("nope");
        form.send();
        assertThat(adminCalls).hasValue(0);
    }

    @Test
    void aFailedSendIsAPlainMessageThatCanBeDismissed() {
        EnqueueViewModel form = new EnqueueViewModel(() -> {
            throw new IllegalStateException("Connection refused");
        }, BackgroundTasks.inline(), "app_emails", "emails", false, ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");

        form.send();
        assertThat(form.errorProperty().get()).isEqualTo("Could not send to app_emails: Connection refused");
        assertThat(form.sendingProperty().get()).isFalse();
        assertThat(form.canSendProperty().get()).isTrue();
        form.dismissError();
        assertThat(form.errorProperty().get()).isEmpty();
    }

    @Test
    void whileSendingSendIsDisabledAndASecondSendIsIgnored() {
        List<Runnable> pending = new ArrayList<>();
        AtomicInteger works = new AtomicInteger();
        BackgroundTasks deferred = new BackgroundTasks() {
            @Override
            public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
                works.incrementAndGet();
                pending.add(() -> onFailure.accept(new IllegalStateException("statement timeout")));
            }
        };
        EnqueueViewModel form = new EnqueueViewModel(noDatabase, deferred, "app_emails", "emails", false,
                ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");

        form.send();
        assertThat(form.sendingProperty().get()).isTrue();
        assertThat(form.canSendProperty().get()).isFalse();
        assertThat(form.disabledReasonProperty().get()).isEqualTo("sending\u2026");
        form.send();
        assertThat(works).hasValue(1);
        assertThat(adminCalls).as("the work itself has not run yet").hasValue(0);

        pending.getFirst().run();
        assertThat(form.sendingProperty().get()).isFalse();
        assertThat(form.errorProperty().get()).isEqualTo("Could not send to app_emails: statement timeout");
        assertThat(form.canSendProperty().get()).isTrue();
    }

    @Test
    void knownActorsAreOfferedSortedOnce() {
        EnqueueViewModel form = form(false);
        form.setKnownActors(List.of("send_email", "place_order", "send_email"));
        assertThat(form.knownActors()).containsExactly("place_order", "send_email");
    }
}
