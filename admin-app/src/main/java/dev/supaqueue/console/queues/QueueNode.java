package dev.supaqueue.console.queues;

import dev.supaqueue.admin.Count;
import dev.supaqueue.admin.QueueSummary;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A queue in the namespace tree. The same node object stays in the tree across refreshes (its texts change in
 * place), so the tree keeps its selection and expansion.
 */
public final class QueueNode {

    private final String name;
    private final Locale locale;
    private final ResourceBundle texts;
    private final ReadOnlyObjectWrapper<QueueSummary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final ReadOnlyStringWrapper ready = new ReadOnlyStringWrapper(this, "ready");
    private final ReadOnlyStringWrapper inFlight = new ReadOnlyStringWrapper(this, "inFlight");
    private final ReadOnlyStringWrapper delayed = new ReadOnlyStringWrapper(this, "delayed");
    private final ReadOnlyStringWrapper dead = new ReadOnlyStringWrapper(this, "dead");
    private final ReadOnlyStringWrapper archived = new ReadOnlyStringWrapper(this, "archived");
    private final ReadOnlyStringWrapper oldestAge = new ReadOnlyStringWrapper(this, "oldestAge");
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper(this, "counts");

    QueueNode(QueueSummary initial, Locale locale, ResourceBundle texts) {
        this.name = initial.name();
        this.locale = Objects.requireNonNull(locale, "locale");
        this.texts = Objects.requireNonNull(texts, "texts");
        update(initial);
    }

    void update(QueueSummary value) {
        summary.set(value);
        ready.set(Formats.count(value.ready(), locale));
        inFlight.set(Formats.count(value.inFlight(), locale));
        delayed.set(Formats.count(value.delayed(), locale));
        dead.set(Formats.count(value.deadLetters(), locale));
        archived.set(Formats.count(value.archived(), locale));
        oldestAge.set(Formats.age(value.oldestMessageAge()));
        String line = countsLine(value.ready(), value.inFlight(), value.delayed(), value.deadLetters(),
                value.archived(), locale, texts);
        counts.set(value.oldestMessageAge() == null ? line
                : line + " · " + texts.getString("queues.count.oldest") + " " + oldestAge.get());
    }

    /** The pgmq queue name, e.g. {@code app_emails}. */
    public String name() {
        return name;
    }

    /** The name within its namespace, e.g. {@code emails}. */
    public String shortName() {
        return summary.get().shortName();
    }

    public ReadOnlyObjectProperty<QueueSummary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public QueueSummary summary() {
        return summary.get();
    }

    public ReadOnlyStringProperty readyProperty() {
        return ready.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty inFlightProperty() {
        return inFlight.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty delayedProperty() {
        return delayed.getReadOnlyProperty();
    }

    /** Live dead letters, or {@link Formats#NONE} when the queue has no dead-letter queue. */
    public ReadOnlyStringProperty deadProperty() {
        return dead.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty archivedProperty() {
        return archived.getReadOnlyProperty();
    }

    /** How long ago the oldest live message was enqueued, in human units. */
    public ReadOnlyStringProperty oldestAgeProperty() {
        return oldestAge.getReadOnlyProperty();
    }

    /** Every count and the oldest age on one line, for the tree: {@code ready 3 · in flight 2 · ...}. */
    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /**
     * Counts on one line with their labels; the dead letters only when there is a dead-letter queue ({@code dead}
     * not null).
     */
    static String countsLine(Count ready, Count inFlight, Count delayed, Count dead, Count archived, Locale locale,
                             ResourceBundle texts) {
        StringBuilder line = new StringBuilder();
        line.append(texts.getString("queues.count.ready")).append(' ').append(Formats.count(ready, locale))
                .append(" · ").append(texts.getString("queues.count.inFlight")).append(' ')
                .append(Formats.count(inFlight, locale))
                .append(" · ").append(texts.getString("queues.count.delayed")).append(' ')
                .append(Formats.count(delayed, locale));
        if (dead != null) {
            line.append(" · ").append(texts.getString("queues.count.dead")).append(' ')
                    .append(Formats.count(dead, locale));
        }
        line.append(" · ").append(texts.getString("queues.count.archived")).append(' ')
                .append(Formats.count(archived, locale));
        return line.toString();
    }
}
