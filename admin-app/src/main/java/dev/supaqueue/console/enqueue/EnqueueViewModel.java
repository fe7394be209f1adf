package dev.supaqueue.console.enqueue;

import dev.supaqueue.admin.EnqueueRequest;
import dev.supaqueue.admin.EnqueueResult;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The "Enqueue test messages" form of one queue: a Dramatiq message (actor, args, kwargs, options) or a raw JSON
 * payload, optional headers, a delay and a number of copies. Every edit is checked at once, each problem is
 * shown on its field, and {@link #previewProperty()} shows the message that will be sent. Sending goes through
 * {@link QueueAdmin#enqueue} on a background task; a read-only connection never reaches the database.
 */
public final class EnqueueViewModel {

    /** Longest actor name the form accepts; Dramatiq's are function names. */
    static final int MAX_ACTOR_NAME = 200;
    /** Function or class names, optionally dotted: what Dramatiq and Supaqueue actors are called. */
    private static final java.util.regex.Pattern ACTOR_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.:$-]*");
    private static final java.util.regex.Pattern ACTOR_NAME_CHARACTER =
            java.util.regex.Pattern.compile("[A-Za-z0-9_.:$-]");

    private final Supplier<QueueAdmin> admin;
    private final BackgroundTasks tasks;
    private final String queue;
    private final String dramatiqQueueName;
    private final boolean readOnly;
    private final ResourceBundle texts;

    private final ObjectProperty<EnqueueMode> mode = new SimpleObjectProperty<>(this, "mode", EnqueueMode.DRAMATIQ);
    private final StringProperty actorName = new SimpleStringProperty(this, "actorName", "");
    private final StringProperty args = new SimpleStringProperty(this, "args", "[]");
    private final StringProperty kwargs = new SimpleStringProperty(this, "kwargs", "{}");
    private final StringProperty options = new SimpleStringProperty(this, "options", "{}");
    private final StringProperty rawPayload = new SimpleStringProperty(this, "rawPayload", "{}");
    private final StringProperty headers = new SimpleStringProperty(this, "headers", "");
    private final StringProperty delaySeconds = new SimpleStringProperty(this, "delaySeconds", "0");
    private final StringProperty count = new SimpleStringProperty(this, "count", "1");
    private final ObservableList<String> knownActors = FXCollections.observableArrayList();

    private final ReadOnlyStringWrapper actorNameError = new ReadOnlyStringWrapper(this, "actorNameError", "");
    private final ReadOnlyStringWrapper argsError = new ReadOnlyStringWrapper(this, "argsError", "");
    private final ReadOnlyStringWrapper kwargsError = new ReadOnlyStringWrapper(this, "kwargsError", "");
    private final ReadOnlyStringWrapper optionsError = new ReadOnlyStringWrapper(this, "optionsError", "");
    private final ReadOnlyStringWrapper rawPayloadError = new ReadOnlyStringWrapper(this, "rawPayloadError", "");
    private final ReadOnlyStringWrapper headersError = new ReadOnlyStringWrapper(this, "headersError", "");
    private final ReadOnlyStringWrapper delayError = new ReadOnlyStringWrapper(this, "delayError", "");
    private final ReadOnlyStringWrapper countError = new ReadOnlyStringWrapper(this, "countError", "");
    private final ReadOnlyStringWrapper formError = new ReadOnlyStringWrapper(this, "formError", "");

    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper(this, "preview", "");
    private final ReadOnlyStringWrapper previewNote = new ReadOnlyStringWrapper(this, "previewNote", "");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid");
    private final ReadOnlyBooleanWrapper sending = new ReadOnlyBooleanWrapper(this, "sending");
    private final ReadOnlyBooleanWrapper canSend = new ReadOnlyBooleanWrapper(this, "canSend");
    private final ReadOnlyStringWrapper disabledReason = new ReadOnlyStringWrapper(this, "disabledReason", "");
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");

    /** The request the form describes now, or null while a field is invalid. */
    private EnqueueRequest request;

    /** As {@link #EnqueueViewModel(Supplier, BackgroundTasks, String, String, boolean, ResourceBundle)} with the console's texts. */
    public EnqueueViewModel(Supplier<QueueAdmin> admin, BackgroundTasks tasks, String queue, String dramatiqQueueName,
                            boolean readOnly) {
        this(admin, tasks, queue, dramatiqQueueName, readOnly, ConsoleMessages.bundle());
    }

    /**
     * @param admin             the connection's admin facade, asked for only when sending
     * @param queue             the pgmq queue to send to, e.g. {@code app_emails}
     * @param dramatiqQueueName the Dramatiq {@code queue_name} of that queue, e.g. {@code emails}
     * @param readOnly          whether the connection is read-only: then nothing can be sent
     */
    public EnqueueViewModel(Supplier<QueueAdmin> admin, BackgroundTasks tasks, String queue, String dramatiqQueueName,
                            boolean readOnly, ResourceBundle texts) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.dramatiqQueueName = Objects.requireNonNull(dramatiqQueueName, "dramatiqQueueName");
        this.readOnly = readOnly;
        this.texts = Objects.requireNonNull(texts, "texts");
        for (Observable input : List.of(mode, actorName, args, kwargs, options, rawPayload, headers, delaySeconds,
                count)) {
            input.addListener(changed -> validate());
        }
        sending.addListener(changed -> updateCanSend());
        validate();
    }

    // Inputs //

    public ObjectProperty<EnqueueMode> modeProperty() {
        return mode;
    }

    public StringProperty actorNameProperty() {
        return actorName;
    }

    /** Positional arguments: a JSON array, blank for none. */
    public StringProperty argsProperty() {
        return args;
    }

    /** Keyword arguments: a JSON object, blank for none. */
    public StringProperty kwargsProperty() {
        return kwargs;
    }

    /** Message options such as {@code max_retries}: a JSON object, blank for none. */
    public StringProperty optionsProperty() {
        return options;
    }

    /** The whole payload in raw mode: any JSON value. */
    public StringProperty rawPayloadProperty() {
        return rawPayload;
    }

    /** pgmq headers: a JSON object, blank for none. */
    public StringProperty headersProperty() {
        return headers;
    }

    /** Seconds before the messages become visible: a whole number, 0 or more. */
    public StringProperty delaySecondsProperty() {
        return delaySeconds;
    }

    /** How many copies to send, 1 to {@value EnqueueRequest#MAX_COUNT}. */
    public StringProperty countProperty() {
        return count;
    }

    /** Actor names offered for the actor field (it still accepts any name). */
    public ObservableList<String> knownActors() {
        return FXCollections.unmodifiableObservableList(knownActors);
    }

    public void setKnownActors(List<String> names) {
        knownActors.setAll(names == null ? List.of() : names.stream().filter(Objects::nonNull).distinct().sorted()
                .toList());
    }

    // State //

    public String queue() {
        return queue;
    }

    public String dramatiqQueueName() {
        return dramatiqQueueName;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public ReadOnlyStringProperty actorNameErrorProperty() {
        return actorNameError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty argsErrorProperty() {
        return argsError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty kwargsErrorProperty() {
        return kwargsError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty optionsErrorProperty() {
        return optionsError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty rawPayloadErrorProperty() {
        return rawPayloadError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty headersErrorProperty() {
        return headersError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty delayErrorProperty() {
        return delayError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty countErrorProperty() {
        return countError.getReadOnlyProperty();
    }

    /** A problem that belongs to no single field, e.g. an invalid queue name; empty when none. */
    public ReadOnlyStringProperty formErrorProperty() {
        return formError.getReadOnlyProperty();
    }

    /** The JSON payload that will be sent; empty while a field is invalid. */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** What the preview does not show, e.g. that every Dramatiq copy gets its own message_id. */
    public ReadOnlyStringProperty previewNoteProperty() {
        return previewNote.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sendingProperty() {
        return sending.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canSendProperty() {
        return canSend.getReadOnlyProperty();
    }

    /** Why Send is disabled, empty when it is enabled. */
    public ReadOnlyStringProperty disabledReasonProperty() {
        return disabledReason.getReadOnlyProperty();
    }

    /** What the last send did, e.g. "Sent 25 messages to app_emails (msg_id 101–125)"; empty before. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Why the last send failed, empty when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    // Commands //

    /** Sends the messages the form describes; does nothing unless {@link #canSendProperty()} is true. */
    public void send() {
        if (!canSend.get()) {
            return;
        }
        EnqueueRequest toSend = request;
        sending.set(true);
        result.set("");
        error.set("");
        tasks.run("Enqueue " + toSend.count() + " messages to " + queue, () -> admin.get().enqueue(toSend),
                sent -> {
                    sending.set(false);
                    result.set(describe(sent));
                },
                failure -> {
                    sending.set(false);
                    error.set(format("enqueue.error.send", queue, problem(failure)));
                });
    }

    public void dismissError() {
        error.set("");
    }

    // Validation //

    /** Checks every field; each one's problem is shown on it, and the request is kept only when all are fine. */
    private void validate() {
        String actorProblem = "";
        String argsProblem = "";
        String kwargsProblem = "";
        String optionsProblem = "";
        String rawProblem = "";
        String headersProblem = "";
        String delayProblem = "";
        String countProblem = "";
        String formProblem = "";

        EnqueueRequest built = null;
        if (mode.get() == EnqueueMode.RAW) {
            try {
                built = EnqueueRequest.raw(queue, rawPayload.get() == null ? "" : rawPayload.get());
            } catch (IllegalArgumentException e) {
                if (isAbout(e, "payload")) {
                    rawProblem = e.getMessage();
                } else {
                    formProblem = e.getMessage();
                }
            }
        } else {
            List<?> argValues = null;
            Map<String, ?> kwargValues = null;
            Map<String, ?> optionValues = null;
            if (actorName.get() == null || actorName.get().isBlank()) {
                actorProblem = text("enqueue.error.actorBlank");
            } else if (actorName.get().strip().length() > MAX_ACTOR_NAME) {
                actorProblem = format("enqueue.error.actorLong", actorName.get().strip().length(), MAX_ACTOR_NAME);
            } else if (!ACTOR_NAME.matcher(actorName.get().strip()).matches()) {
                // No worker has an actor named like this: it would only end up dead-lettered.
                actorProblem = format("enqueue.error.actorCharacters", firstBadCharacter(actorName.get().strip()));
            }
            try {
                argValues = JsonFields.array("args", args.get());
            } catch (JsonFields.Problem e) {
                argsProblem = e.getMessage();
            }
            try {
                kwargValues = JsonFields.object("kwargs", kwargs.get());
            } catch (JsonFields.Problem e) {
                kwargsProblem = e.getMessage();
            }
            try {
                optionValues = JsonFields.object("options", options.get());
            } catch (JsonFields.Problem e) {
                optionsProblem = e.getMessage();
            }
            if (actorProblem.isEmpty() && argsProblem.isEmpty() && kwargsProblem.isEmpty()
                    && optionsProblem.isEmpty()) {
                try {
                    built = EnqueueRequest.dramatiq(queue, dramatiqQueueName, actorName.get().strip(), argValues,
                            kwargValues, optionValues);
                } catch (IllegalArgumentException e) {
                    // The message names its field or value path (actor name, kwargs.x, ...): show it there.
                    String message = e.getMessage();
                    if (isAbout(e, "actor name")) {
                        actorProblem = message;
                    } else if (message.contains("kwargs")) {
                        kwargsProblem = message;
                    } else if (message.contains("options")) {
                        optionsProblem = message;
                    } else if (message.contains("args")) {
                        argsProblem = message;
                    } else {
                        formProblem = message;
                    }
                }
            }
        }

        Duration delay = null;
        String delayText = delaySeconds.get() == null ? "" : delaySeconds.get().strip();
        try {
            long seconds = Long.parseLong(delayText);
            if (seconds < 0) {
                delayProblem = format("enqueue.error.delayNegative", delayText);
            } else {
                delay = Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            delayProblem = format("enqueue.error.delayNumber", delayText);
        }
        Integer copies = null;
        String countText = count.get() == null ? "" : count.get().strip();
        try {
            copies = Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            countProblem = format("enqueue.error.countNumber", countText, EnqueueRequest.MAX_COUNT);
        }

        // The request checks headers, delay and count itself; its messages are shown on those fields.
        String headersText = headers.get() == null || headers.get().isBlank() ? null : headers.get();
        if (built != null) {
            try {
                built = built.withHeaders(headersText);
            } catch (IllegalArgumentException e) {
                headersProblem = e.getMessage();
                built = null;
            }
        } else if (headersText != null) {
            try {
                JsonFields.object("headers", headersText);
            } catch (JsonFields.Problem e) {
                headersProblem = e.getMessage();
            }
        }
        if (built != null && delay != null) {
            try {
                built = built.withDelay(delay);
            } catch (IllegalArgumentException e) {
                delayProblem = e.getMessage();
                built = null;
            }
        }
        if (built != null && copies != null) {
            try {
                built = built.withCount(copies);
            } catch (IllegalArgumentException e) {
                countProblem = e.getMessage();
                built = null;
            }
        } else if (copies != null && (copies < 1 || copies > EnqueueRequest.MAX_COUNT)) {
            countProblem = format("enqueue.error.countRange", EnqueueRequest.MAX_COUNT, copies);
        }

        actorNameError.set(actorProblem);
        argsError.set(argsProblem);
        kwargsError.set(kwargsProblem);
        optionsError.set(optionsProblem);
        rawPayloadError.set(rawProblem);
        headersError.set(headersProblem);
        delayError.set(delayProblem);
        countError.set(countProblem);
        formError.set(formProblem);

        boolean ok = built != null && delay != null && copies != null && delayProblem.isEmpty()
                && countProblem.isEmpty() && headersProblem.isEmpty();
        request = ok ? built : null;
        valid.set(ok);
        preview.set(ok ? request.payload() : "");
        if (!ok) {
            previewNote.set(text("enqueue.preview.invalid"));
        } else if (request.newMessageIds()) {
            previewNote.set(text("enqueue.preview.newIds"));
        } else {
            previewNote.set(text("enqueue.preview.asIs"));
        }
        updateCanSend();
    }

    private static String firstBadCharacter(String name) {
        for (int i = 0; i < name.length(); i++) {
            String one = String.valueOf(name.charAt(i));
            if (!ACTOR_NAME_CHARACTER.matcher(one).matches() || (i == 0 && !Character.isLetter(name.charAt(0))
                    && name.charAt(0) != '_')) {
                return Character.isWhitespace(name.charAt(i)) || Character.isISOControl(name.charAt(i))
                        ? String.format("U+%04X", (int) name.charAt(i)) : "'" + one + "'";
            }
        }
        return "?";
    }

    private void updateCanSend() {
        String reason;
        if (readOnly) {
            reason = text("enqueue.disabled.readOnly");
        } else if (sending.get()) {
            reason = text("enqueue.disabled.sending");
        } else if (!valid.get()) {
            reason = text("enqueue.disabled.invalid");
        } else {
            reason = "";
        }
        disabledReason.set(reason);
        canSend.set(reason.isEmpty());
    }

    private static boolean isAbout(IllegalArgumentException e, String subject) {
        String message = e.getMessage();
        return message != null && (message.startsWith("The " + subject) || message.contains(" of the " + subject));
    }

    private String describe(EnqueueResult sent) {
        List<Long> ids = sent.msgIds();
        if (ids.isEmpty()) {
            return format("enqueue.result.none", sent.queue());
        }
        if (ids.size() == 1) {
            return format("enqueue.result.one", sent.queue(), Long.toString(ids.getFirst()));
        }
        // Concurrent senders can interleave ids, so give the range rather than claim they are consecutive.
        return format("enqueue.result.many", String.format("%,d", ids.size()), sent.queue(),
                Long.toString(Collections.min(ids)), Long.toString(Collections.max(ids)));
    }

    /** The failure's own sentence and, when it adds something, its cause's. */
    private static String problem(Throwable failure) {
        String message = failure.getMessage() == null || failure.getMessage().isBlank()
                ? failure.getClass().getSimpleName() : failure.getMessage();
        Throwable cause = failure.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }

    private String text(String key) {
        return texts.getString(key);
    }

    private String format(String key, Object... values) {
        return new MessageFormat(texts.getString(key), texts.getLocale()).format(values);
    }
}
