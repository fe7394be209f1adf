package dev.supaqueue.console.queues;

import dev.supaqueue.admin.BrowsedMessage;
import dev.supaqueue.admin.MessageState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One message of the page as the table shows it. Everything is fixed when the page arrives except the
 * visibility countdown, which {@link MessagesViewModel} moves on every second.
 */
public final class MessageRow {

    /** Characters of payload in the table's preview column. */
    static final int PREVIEW_CHARS = 160;

    private final BrowsedMessage message;
    private final String state;
    private final String enqueuedAt;
    private final String actor;
    private final String messageId;
    private final String preview;
    private final ReadOnlyStringWrapper visibleIn = new ReadOnlyStringWrapper(this, "visibleIn", "");

    MessageRow(BrowsedMessage message, ResourceBundle texts, ZoneId zone) {
        this.message = Objects.requireNonNull(message, "message");
        this.state = texts.getString("queues.state." + message.state().name());
        this.enqueuedAt = Formats.timestamp(message.enqueuedAt(), zone);
        this.actor = message.actorName() == null ? "" : message.actorName();
        this.messageId = message.messageId() == null ? "" : message.messageId();
        this.preview = Formats.preview(message.payload(), PREVIEW_CHARS);
    }

    /**
     * Moves the countdown to the server time {@code serverNow}: the time left until the message is visible for
     * in-flight and delayed rows, the word for "visible" once that has passed and for ready rows, nothing for
     * archived rows.
     */
    void showVisibilityAt(Instant serverNow, String visibleWord) {
        visibleIn.set(visibility(message, serverNow, visibleWord));
    }

    static String visibility(BrowsedMessage message, Instant serverNow, String visibleWord) {
        if (message.state() == MessageState.ARCHIVED || message.vt() == null) {
            return "";
        }
        Duration remaining = Duration.between(serverNow, message.vt());
        return remaining.isNegative() || remaining.isZero() ? visibleWord : Formats.countdown(remaining);
    }

    /** Whether the countdown of this row can still change (not yet visible by the page's server time). */
    boolean counting() {
        return message.state() == MessageState.IN_FLIGHT || message.state() == MessageState.DELAYED;
    }

    public BrowsedMessage message() {
        return message;
    }

    public long msgId() {
        return message.msgId();
    }

    /** The state the server judged when the page was read, in words. */
    public String state() {
        return state;
    }

    public int readCt() {
        return message.readCt();
    }

    public String enqueuedAt() {
        return enqueuedAt;
    }

    /** The Dramatiq actor, empty when the payload is not a Dramatiq message. */
    public String actor() {
        return actor;
    }

    /** The Dramatiq message id, empty when there is none. */
    public String messageId() {
        return messageId;
    }

    /** The payload on one line, cut for the table. */
    public String preview() {
        return preview;
    }

    /** {@code 4:59} counting down, then "visible". */
    public ReadOnlyStringProperty visibleInProperty() {
        return visibleIn.getReadOnlyProperty();
    }
}
