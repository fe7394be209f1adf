package dev.supaqueue.console.queues;

import dev.supaqueue.admin.NamespaceGroup;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** A namespace in the tree: its title, its totals, and its queues (nodes kept across refreshes). */
public final class NamespaceNode {

    private final String namespace;
    private final Locale locale;
    private final ResourceBundle texts;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper(this, "counts");
    private final ObservableList<QueueNode> queues = FXCollections.observableArrayList();
    private final ObservableList<QueueNode> readOnlyQueues = FXCollections.unmodifiableObservableList(queues);

    NamespaceNode(String namespace, Locale locale, ResourceBundle texts) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.locale = locale;
        this.texts = texts;
        title.set(namespace.isEmpty() ? texts.getString("queues.tree.noNamespace") : namespace);
    }

    /** Takes a refreshed group: updates known queues in place, adds new ones, removes dropped ones, by name. */
    void update(NamespaceGroup group) {
        counts.set(QueueNode.countsLine(group.totalReady(), group.totalInFlight(), group.totalDelayed(),
                group.queues().stream().anyMatch(queue -> queue.hasDeadLetterQueue()) ? group.totalDeadLetters() : null,
                group.totalArchived(), locale, texts));
        TreeSync.sync(queues, group.queues(), QueueNode::name, queue -> queue.name(),
                queue -> new QueueNode(queue, locale, texts), QueueNode::update);
    }

    /** The namespace, {@code ""} for the queues outside any namespace. */
    public String namespace() {
        return namespace;
    }

    /** The namespace as shown: its name, or a phrase for the queues outside any namespace. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The group's totals on one line. */
    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /** The group's queues, sorted by name. */
    public ObservableList<QueueNode> queues() {
        return readOnlyQueues;
    }
}
