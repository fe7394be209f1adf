package dev.supaqueue.console.enqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The enqueue form, one bad value per row: the field's own message names the problem, Send is disabled with a
 * reason, and {@code send()} never asks for the database (the admin supplier fails the test if called).
 */
@Timeout(20)
class EnqueueFormValidationTest {

    private static final String HOSTILE_SQL = "'; DROP TABLE x; --";
    private static final String HOSTILE_MARKUP = "<script>alert(1)</script>";

    private final AtomicInteger adminCalls = new AtomicInteger();
    private final Supplier<QueueAdmin> noDatabase = () -> {
        adminCalls.incrementAndGet();
        throw new AssertionError("the form asked for the database");
    };

    private EnqueueViewModel form(EnqueueMode mode) {
        EnqueueViewModel form = new EnqueueViewModel(noDatabase, BackgroundTasks.inline(), "app_emails", "emails",
                false, ConsoleMessages.bundle());
        form.modeProperty().set(mode);
        form.actorNameProperty().set("send_email");
        return form;
    }

    static Stream<Arguments> badValues() {
        Function<EnqueueViewModel, StringProperty> actor = EnqueueViewModel::actorNameProperty;
        Function<EnqueueViewModel, StringProperty> args = EnqueueViewModel::argsProperty;
        Function<EnqueueViewModel, StringProperty> kwargs = EnqueueViewModel::kwargsProperty;
        Function<EnqueueViewModel, StringProperty> options = EnqueueViewModel::optionsProperty;
        Function<EnqueueViewModel, StringProperty> headers = EnqueueViewModel::headersProperty;
        Function<EnqueueViewModel, StringProperty> delay = EnqueueViewModel::delaySecondsProperty;
        Function<EnqueueViewModel, StringProperty> count = EnqueueViewModel::countProperty;
        Function<EnqueueViewModel, StringProperty> raw = EnqueueViewModel::rawPayloadProperty;
        Function<EnqueueViewModel, ObservableStringValue> actorError = EnqueueViewModel::actorNameErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> argsError = EnqueueViewModel::argsErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> kwargsError = EnqueueViewModel::kwargsErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> optionsError = EnqueueViewModel::optionsErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> headersError = EnqueueViewModel::headersErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> delayError = EnqueueViewModel::delayErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> countError = EnqueueViewModel::countErrorProperty;
        Function<EnqueueViewModel, ObservableStringValue> rawError = EnqueueViewModel::rawPayloadErrorProperty;
        EnqueueMode d = EnqueueMode.DRAMATIQ;
        return Stream.of(
                Arguments.of(d, "actor", actor, actorError, "", "actor"),
                Arguments.of(d, "actor", actor, actorError, HOSTILE_SQL, "actor name"),
                Arguments.of(d, "actor", actor, actorError, HOSTILE_MARKUP, "actor name"),
                Arguments.of(d, "actor", actor, actorError, "a".repeat(300), "actor name"),
                Arguments.of(d, "args", args, argsError, "[1, 2", "not valid JSON"),
                Arguments.of(d, "args", args, argsError, "{\"a\": 1}", "must be a JSON array"),
                Arguments.of(d, "args", args, argsError, "\"text\"", "must be a JSON array"),
                Arguments.of(d, "args", args, argsError, "null", "null"),
                Arguments.of(d, "args", args, argsError, HOSTILE_SQL, "not valid JSON"),
                Arguments.of(d, "kwargs", kwargs, kwargsError, "[1]", "must be a JSON object"),
                Arguments.of(d, "kwargs", kwargs, kwargsError, "{'a': 1}", "not valid JSON"),
                Arguments.of(d, "kwargs", kwargs, kwargsError, HOSTILE_MARKUP, "not valid JSON"),
                Arguments.of(d, "options", options, optionsError, "42", "must be a JSON object"),
                Arguments.of(d, "options", options, optionsError, "{\"max_retries\": }", "not valid JSON"),
                Arguments.of(d, "headers", headers, headersError, "[]", "object"),
                Arguments.of(d, "headers", headers, headersError, "{bad", "JSON"),
                Arguments.of(d, "headers", headers, headersError, HOSTILE_SQL, "JSON"),
                Arguments.of(d, "delay", delay, delayError, "", "delay"),
                Arguments.of(d, "delay", delay, delayError, "soon", "soon"),
                Arguments.of(d, "delay", delay, delayError, "-5", "-5"),
                Arguments.of(d, "delay", delay, delayError, "1.5", "1.5"),
                Arguments.of(d, "delay", delay, delayError, "99999999999999999999", "99999999999999999999"),
                Arguments.of(d, "delay", delay, delayError, HOSTILE_SQL, "DROP"),
                Arguments.of(d, "count", count, countError, "", "1"),
                Arguments.of(d, "count", count, countError, "0", "0"),
                Arguments.of(d, "count", count, countError, "-3", "-3"),
                Arguments.of(d, "count", count, countError, "100001", "100001"),
                Arguments.of(d, "count", count, countError, "many", "many"),
                Arguments.of(EnqueueMode.RAW, "raw", raw, rawError, "", "payload"),
                Arguments.of(EnqueueMode.RAW, "raw", raw, rawError, "{\"a\": ", "payload"),
                Arguments.of(EnqueueMode.RAW, "raw", raw, rawError, HOSTILE_SQL, "payload"),
                Arguments.of(EnqueueMode.RAW, "raw", raw, rawError, HOSTILE_MARKUP, "payload"));
    }

    @ParameterizedTest(name = "{0} {1} = {4}")
    @MethodSource("badValues")
    void aBadValueIsNamedOnItsFieldAndNothingIsSent(EnqueueMode mode, String field,
                                                   Function<EnqueueViewModel, StringProperty> input,
                                                   Function<EnqueueViewModel, ObservableStringValue> error,
                                                   String value, String expected) {
        EnqueueViewModel form = form(mode);
        assertThat(form.canSendProperty().get()).as("valid before the bad value").isTrue();

        input.apply(form).set(value);

        assertThat(error.apply(form).get()).as(field + " error").isNotBlank().containsIgnoringCase(expected);
        assertThat(form.validProperty().get()).isFalse();
        assertThat(form.canSendProperty().get()).isFalse();
        assertThat(form.disabledReasonProperty().get()).isNotEmpty();
        assertThat(form.previewProperty().get()).isEmpty();
        form.send();
        assertThat(adminCalls).hasValue(0);
        assertThat(form.resultProperty().get()).isEmpty();
    }

    @Test
    void aQueueNameThatPgmqWouldRefuseDisablesTheWholeForm() {
        EnqueueViewModel form = new EnqueueViewModel(noDatabase, BackgroundTasks.inline(), HOSTILE_SQL, "x", false,
                ConsoleMessages.bundle());
        form.actorNameProperty().set("send_email");

        assertThat(form.formErrorProperty().get()).isNotBlank();
        assertThat(form.canSendProperty().get()).isFalse();
        form.send();
        assertThat(adminCalls).hasValue(0);
    }

    @Test
    void hostileTextInsideValidJsonIsDataAndMaySend() {
        EnqueueViewModel form = form(EnqueueMode.DRAMATIQ);
        form.argsProperty().set("[\"" + HOSTILE_SQL + "\", \"<b>bold</b>\"]");
        assertThat(form.canSendProperty().get()).isTrue();
        assertThat(form.previewProperty().get()).contains(HOSTILE_SQL).contains("<b>bold</b>");
    }
}
