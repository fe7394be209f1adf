package dev.supaqueue.console.queues;

import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Retries;
import java.text.MessageFormat;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import dev.supaqueue.console.fx.BackgroundTasks;

/**
 * The detail pane of one message: its payload as indented JSON, its pgmq columns, its Dramatiq fields (options,
 * retries and traceback readable), its headers, and copy commands. A row whose payload was cut for the page is
 * read again in full ({@link QueueAdmin#message}) before it is shown.
 */
public final class MessageDetailViewModel {

    /** Where the dead-letter queue puts the failure reason in a dead letter's options. */
    static final String DEAD_LETTER_REASON = "dead_letter_reason";

    private final Supplier<QueueAdmin> admin;
    private final BackgroundTasks tasks;
    private final TextClipboard clipboard;
    private final ResourceBundle texts;
    private final ZoneId zone;

    private final ReadOnlyObjectWrapper<BrowsedMessage> message = new ReadOnlyObjectWrapper<>(this, "message");
    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper dramatiq = new ReadOnlyBooleanWrapper(this, "dramatiq");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper payload = new ReadOnlyStringWrapper(this, "payload", "");
    private final ReadOnlyStringWrapper headers = new ReadOnlyStringWrapper(this, "headers", "");
    private final ReadOnlyStringWrapper msgId = new ReadOnlyStringWrapper(this, "msgId", "");
    private final ReadOnlyStringWrapper readCt = new ReadOnlyStringWrapper(this, "readCt", "");
    private final ReadOnlyStringWrapper enqueuedAt = new ReadOnlyStringWrapper(this, "enqueuedAt", "");
    private final ReadOnlyStringWrapper visibleAt = new ReadOnlyStringWrapper(this, "visibleAt", "");
    private final ReadOnlyStringWrapper lastReadAt = new ReadOnlyStringWrapper(this, "lastReadAt", "");
    private final ReadOnlyStringWrapper actor = new ReadOnlyStringWrapper(this, "actor", "");
    private final ReadOnlyStringWrapper queueName = new ReadOnlyStringWrapper(this, "queueName", "");
    private final ReadOnlyStringWrapper messageId = new ReadOnlyStringWrapper(this, "messageId", "");
    private final ReadOnlyStringWrapper timestamp = new ReadOnlyStringWrapper(this, "timestamp", "");
    private final ReadOnlyStringWrapper args = new ReadOnlyStringWrapper(this, "args", "");
    private final ReadOnlyStringWrapper kwargs = new ReadOnlyStringWrapper(this, "kwargs", "");
    private final ReadOnlyStringWrapper options = new ReadOnlyStringWrapper(this, "options", "");
    private final ReadOnlyStringWrapper retries = new ReadOnlyStringWrapper(this, "retries", "");
    private final ReadOnlyStringWrapper traceback = new ReadOnlyStringWrapper(this, "traceback", "");
    private final ReadOnlyStringWrapper deadLetterReason = new ReadOnlyStringWrapper(this, "deadLetterReason", "");
    private final ReadOnlyStringWrapper notDramatiq = new ReadOnlyStringWrapper(this, "notDramatiq", "");

    private long generation;

    public MessageDetailViewModel(Supplier<QueueAdmin> admin, BackgroundTasks tasks, TextClipboard clipboard,
                                  ResourceBundle texts, ZoneId zone) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clipboard = Objects.requireNonNull(clipboard, "clipboard");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    // Properties //

    /** The message shown (with its whole payload once fetched), null when none. */
    public ReadOnlyObjectProperty<BrowsedMessage> messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Whether a message is shown. */
    public ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** Whether the full message is being fetched. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Whether the message is a Dramatiq message (its fields are shown). */
    public ReadOnlyBooleanProperty dramatiqProperty() {
        return dramatiq.getReadOnlyProperty();
    }

    /** Why the message could not be shown (gone, or the fetch failed), null otherwise. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** For example {@code msg_id 42 in app_emails}. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The whole payload, indented. */
    public ReadOnlyStringProperty payloadProperty() {
        return payload.getReadOnlyProperty();
    }

    /** The pgmq headers, indented, or {@link Formats#NONE}. */
    public ReadOnlyStringProperty headersProperty() {
        return headers.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty msgIdProperty() {
        return msgId.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty readCtProperty() {
        return readCt.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty enqueuedAtProperty() {
        return enqueuedAt.getReadOnlyProperty();
    }

    /** When the message is (or was) visible: pgmq's {@code vt}. */
    public ReadOnlyStringProperty visibleAtProperty() {
        return visibleAt.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastReadAtProperty() {
        return lastReadAt.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty actorProperty() {
        return actor.getReadOnlyProperty();
    }

    /** The Dramatiq queue name inside the message. */
    public ReadOnlyStringProperty queueNameProperty() {
        return queueName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageIdProperty() {
        return messageId.getReadOnlyProperty();
    }

    /** The Dramatiq {@code message_timestamp} as a date. */
    public ReadOnlyStringProperty timestampProperty() {
        return timestamp.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty argsProperty() {
        return args.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty kwargsProperty() {
        return kwargs.getReadOnlyProperty();
    }

    /** Every option, indented (the traceback too, as one JSON string). */
    public ReadOnlyStringProperty optionsProperty() {
        return options.getReadOnlyProperty();
    }

    /** How often the Retries middleware retried the message, {@code 0} when never. */
    public ReadOnlyStringProperty retriesProperty() {
        return retries.getReadOnlyProperty();
    }

    /** The last failure's traceback with its line breaks, or {@link Formats#NONE}. */
    public ReadOnlyStringProperty tracebackProperty() {
        return traceback.getReadOnlyProperty();
    }

    /** Why a dead letter was dead-lettered, or {@link Formats#NONE}. */
    public ReadOnlyStringProperty deadLetterReasonProperty() {
        return deadLetterReason.getReadOnlyProperty();
    }

    /** Why the payload is not read as a Dramatiq message, empty when it is one. */
    public ReadOnlyStringProperty notDramatiqProperty() {
        return notDramatiq.getReadOnlyProperty();
    }

    // Commands //

    /** Shows {@code row}'s message, fetching the whole payload first when the page cut it; null clears. */
    public void show(MessageRow row) {
        show(row == null ? null : row.message());
    }

    /** Shows a browsed message, fetching the whole payload first when the page cut it; null clears. */
    public void show(BrowsedMessage browsed) {
        long current = ++generation;
        error.set(null);
        if (browsed == null) {
            loading.set(false);
            fill(null);
            return;
        }
        if (!browsed.payloadTruncated()) {
            loading.set(false);
            fill(new Shown(browsed, PrettyJson.text(browsed.payload()), PrettyJson.text(browsed.headers())));
            return;
        }
        loading.set(true);
        fill(null);
        title.set(title(browsed));
        tasks.run("Read message " + browsed.msgId() + " of " + browsed.source(), () -> {
            Optional<BrowsedMessage> whole = admin.get().message(browsed.source(), browsed.msgId());
            // Indenting a payload of megabytes is work too: do it here, off the FX thread.
            return whole.map(full -> new Shown(full, PrettyJson.text(full.payload()), PrettyJson.text(full.headers())));
        }, result -> {
            if (current != generation) {
                return;
            }
            loading.set(false);
            if (result.isPresent()) {
                fill(result.get());
            } else {
                error.set(MessageFormat.format(texts.getString("queues.detail.gone"), Long.toString(browsed.msgId()),
                        browsed.source()));
            }
        }, problem -> {
            if (current != generation) {
                return;
            }
            loading.set(false);
            error.set(MessageFormat.format(texts.getString("queues.detail.error"), Long.toString(browsed.msgId()),
                    Problems.describe(problem)));
        });
    }

    public void copyPayload() {
        copy(payload.get());
    }

    public void copyMessageId() {
        copy(messageId.get());
    }

    public void copyHeaders() {
        copy(headers.get());
    }

    public void copyTraceback() {
        copy(traceback.get());
    }

    public void dismissError() {
        error.set(null);
    }

    private void copy(String text) {
        if (present.get() && text != null && !text.isEmpty() && !Formats.NONE.equals(text)) {
            clipboard.putText(text);
        }
    }

    // Internals //

    /** A message with its texts indented. */
    private record Shown(BrowsedMessage message, String prettyPayload, String prettyHeaders) {
    }

    private String title(BrowsedMessage browsed) {
        return MessageFormat.format(texts.getString("queues.detail.title"), Long.toString(browsed.msgId()),
                browsed.source());
    }

    private void fill(Shown shown) {
        BrowsedMessage browsed = shown == null ? null : shown.message();
        message.set(browsed);
        present.set(browsed != null);
        if (browsed == null) {
            for (ReadOnlyStringWrapper text : new ReadOnlyStringWrapper[] {title, payload, headers, msgId, readCt,
                    enqueuedAt, visibleAt, lastReadAt, notDramatiq}) {
                text.set("");
            }
            fillDramatiq(null);
            return;
        }
        title.set(title(browsed));
        payload.set(shown.prettyPayload() == null ? "null" : shown.prettyPayload());
        headers.set(shown.prettyHeaders() == null ? Formats.NONE : shown.prettyHeaders());
        msgId.set(Long.toString(browsed.msgId()));
        readCt.set(Integer.toString(browsed.readCt()));
        enqueuedAt.set(Formats.timestampWithZone(browsed.enqueuedAt(), zone));
        visibleAt.set(browsed.isArchived() ? Formats.timestampWithZone(browsed.archivedAt(), zone)
                : Formats.timestampWithZone(browsed.vt(), zone));
        lastReadAt.set(Formats.timestampWithZone(browsed.lastReadAt(), zone));
        Message decoded = browsed.dramatiq();
        notDramatiq.set(decoded != null ? "" : MessageFormat.format(texts.getString("queues.detail.notDramatiq"),
                browsed.decodeProblem() == null ? Formats.NONE : browsed.decodeProblem()));
        fillDramatiq(decoded);
    }

    private void fillDramatiq(Message decoded) {
        dramatiq.set(decoded != null);
        if (decoded == null) {
            for (ReadOnlyStringWrapper text : new ReadOnlyStringWrapper[] {actor, queueName, messageId, timestamp,
                    args, kwargs, options, retries, traceback, deadLetterReason}) {
                text.set("");
            }
            return;
        }
        actor.set(decoded.actorName());
        queueName.set(decoded.queueName());
        messageId.set(decoded.messageId());
        timestamp.set(Formats.timestampWithZone(decoded.messageDateTime(), zone));
        args.set(PrettyJson.value(decoded.args()));
        kwargs.set(PrettyJson.value(decoded.kwargs()));
        options.set(PrettyJson.value(decoded.options()));
        retries.set(decoded.option(Retries.RETRIES).map(String::valueOf).orElse("0"));
        // A traceback is a multi-line string: show its lines, not a JSON string with \n escapes.
        traceback.set(decoded.option(Retries.TRACEBACK).map(String::valueOf).orElse(Formats.NONE));
        deadLetterReason.set(decoded.option(DEAD_LETTER_REASON).map(String::valueOf).orElse(Formats.NONE));
    }
}
