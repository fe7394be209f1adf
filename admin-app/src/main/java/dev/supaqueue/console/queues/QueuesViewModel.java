package dev.supaqueue.console.queues;

import dev.supaqueue.admin.NamespaceGroup;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueOverview;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.console.enqueue.EnqueueViewModel;
import dev.supaqueue.console.fx.BackgroundTasks;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The "Queues and messages" screen: the namespace tree fed by the connection's shared {@link QueuePoller}, the
 * selected queue with its depth and throughput history, and the message table ({@link MessagesViewModel}) and
 * detail pane ({@link MessageDetailViewModel}) for it. Looking never changes a message; changes are made only
 * through the confirmed message actions ({@link MessageActionsViewModel}).
 */
public final class QueuesViewModel {

    /** Samples kept per queue for the chart: ten minutes at the default five-second interval. */
    public static final int HISTORY_SIZE = 120;

    private final QueuePoller poller;
    private final ResourceBundle texts;
    private final Locale locale;
    private final MessagesViewModel messages;
    private final MessageDetailViewModel detail;
    private final MessageActionsViewModel actions;
    private final QueueManagementViewModel management;
    private final Supplier<QueueAdmin> admin;
    private String namespaceFilter = "";
    private ObservableList<String> knownActors = FXCollections.emptyObservableList();
    private final BackgroundTasks tasks;

    private final ObservableList<NamespaceNode> namespaces = FXCollections.observableArrayList();
    private final ObservableList<NamespaceNode> readOnlyNamespaces = FXCollections.unmodifiableObservableList(namespaces);
    private final ReadOnlyObjectWrapper<QueueNode> selectedQueue = new ReadOnlyObjectWrapper<>(this, "selectedQueue");
    private final ObservableList<QueueSample> selectedHistory = FXCollections.observableArrayList();
    private final ObservableList<QueueSample> readOnlySelectedHistory =
            FXCollections.unmodifiableObservableList(selectedHistory);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper selectedRates = new ReadOnlyStringWrapper(this, "selectedRates", "");
    private final Map<String, Deque<QueueSample>> history = new HashMap<>();

    /**
     * @param poller    the connection's shared poller (this screen starts it; other screens may listen too)
     * @param admin     the connection's admin, asked for on background threads
     * @param tasks     runs database work off the FX thread
     * @param ticker    clock and ticks for the countdowns
     * @param clipboard where copy commands put text
     * @param texts     the console's texts ({@code queues.*} keys)
     * @param locale    how numbers are grouped
     * @param zone      the zone times are shown in
     */
    public QueuesViewModel(QueuePoller poller, Supplier<QueueAdmin> admin, BackgroundTasks tasks, Ticker ticker,
                           TextClipboard clipboard, ResourceBundle texts, Locale locale, ZoneId zone) {
        this.poller = Objects.requireNonNull(poller, "poller");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.locale = Objects.requireNonNull(locale, "locale");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.messages = new MessagesViewModel(admin, tasks, ticker, texts, zone, 50);
        this.detail = new MessageDetailViewModel(admin, tasks, clipboard, texts, zone);
        // After an action the page and the queue counts are read again at once, not at the next poll.
        this.actions = new MessageActionsViewModel(messages, admin, tasks, FxThread::execute, texts, this::refresh);
        this.management = new QueueManagementViewModel(admin, tasks, texts, this::refresh);
        poller.overviewProperty().addListener((property, old, overview) -> take(overview));
        if (poller.overviewProperty().get() != null) {
            take(poller.overviewProperty().get());
        }
        messages.pageProperty().addListener((property, old, page) -> detail.show((MessageRow) null));
    }

    // Properties //

    /** The namespace groups, each with its queues; the nodes stay the same objects across refreshes. */
    public ObservableList<NamespaceNode> namespaces() {
        return readOnlyNamespaces;
    }

    /** The queue whose messages are shown, null when none. */
    public ReadOnlyObjectProperty<QueueNode> selectedQueueProperty() {
        return selectedQueue.getReadOnlyProperty();
    }

    /** Depth and throughput of the selected queue, oldest sample first, at most {@link #HISTORY_SIZE}. */
    public ObservableList<QueueSample> selectedHistory() {
        return readOnlySelectedHistory;
    }

    /** The latest depth and throughput of the selected queue in words, for the chart's caption. */
    public ReadOnlyStringProperty selectedRatesProperty() {
        return selectedRates.getReadOnlyProperty();
    }

    /** How many queues, and how fresh the list is. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the queue list could not be refreshed (the last list stays shown), null otherwise. */
    public ReadOnlyStringProperty refreshErrorProperty() {
        return poller.errorProperty();
    }

    public ReadOnlyObjectProperty<Duration> refreshIntervalProperty() {
        return poller.intervalProperty();
    }

    public QueuePoller poller() {
        return poller;
    }

    public MessagesViewModel messages() {
        return messages;
    }

    /** Creating and dropping queues. */
    public QueueManagementViewModel management() {
        return management;
    }

    public MessageDetailViewModel detail() {
        return detail;
    }

    /** The message actions on the table's selection or the current filter. */
    public MessageActionsViewModel actions() {
        return actions;
    }

    // Commands //

    /**
     * The enqueue form for the selected queue, or empty when no queue is selected. The form's Dramatiq queue name
     * is the queue's name without its namespace, as a worker of that namespace expects it.
     */
    public Optional<EnqueueViewModel> enqueueForm() {
        QueueNode selected = selectedQueue.get();
        if (selected == null) {
            return Optional.empty();
        }
        QueueAdmin connection = admin.get();
        EnqueueViewModel form = new EnqueueViewModel(admin, tasks, selected.name(), selected.shortName(),
                connection.isReadOnly(), texts);
        form.setKnownActors(List.copyOf(knownActors));
        return Optional.of(form);
    }

    /** The actor names the enqueue form offers (for example those of the embedded worker's loaded actors). */
    public void useKnownActors(ObservableList<String> actors) {
        knownActors = Objects.requireNonNull(actors, "actors");
    }

    /**
     * Shows only the queues of one namespace (a connection profile's namespace filter); empty shows every queue.
     * Takes effect at once on the last queue list.
     */
    public void showOnlyNamespace(String namespace) {
        namespaceFilter = namespace == null ? "" : namespace;
        take(poller.overviewProperty().get());
    }

    /** Starts polling (the first refresh at once). */
    public void activate() {
        poller.start();
    }

    /** Selects a queue (null: none) and shows its first page of messages. */
    public void selectQueue(QueueNode node) {
        if (node == selectedQueue.get()) {
            return;
        }
        selectedQueue.set(node);
        detail.show((MessageRow) null);
        selectedHistory.setAll(node == null ? List.of() : List.copyOf(history.getOrDefault(node.name(),
                new ArrayDeque<>())));
        updateRates();
        messages.showQueue(node == null ? null : node.summary());
    }

    /** Selects a queue by its pgmq name; false when the tree has no such queue. */
    public boolean selectQueue(String name) {
        QueueNode node = find(name);
        if (node != null) {
            selectQueue(node);
        }
        return node != null;
    }

    /** Shows a message in the detail pane (null: none). */
    public void selectMessage(MessageRow row) {
        detail.show(row);
    }

    /** Refreshes the queue list and the message page now (F5). */
    public void refresh() {
        poller.refreshNow();
        messages.refresh();
    }

    /**
     * Refreshes every {@code interval} from now on.
     *
     * @throws IllegalArgumentException if it is shorter than {@link QueuePoller#MIN_INTERVAL}
     */
    public void setRefreshInterval(Duration interval) {
        poller.setInterval(interval);
    }

    /** Pauses polling while the window is minimised, resumes (with a refresh) when it is back. */
    public void windowMinimised(boolean minimised) {
        if (minimised) {
            poller.pause();
        } else {
            poller.resume();
        }
    }

    public void dismissRefreshError() {
        poller.dismissError();
    }

    // Internals //

    private void take(QueueOverview overview) {
        if (overview == null) {
            return;
        }
        List<NamespaceGroup> shown = namespaceFilter.isEmpty() ? overview.groups()
                : overview.groups().stream().filter(group -> group.namespace().equals(namespaceFilter)).toList();
        TreeSync.sync(namespaces, shown, NamespaceNode::namespace, NamespaceGroup::namespace, group -> {
            NamespaceNode node = new NamespaceNode(group.namespace(), locale, texts);
            node.update(group);
            return node;
        }, NamespaceNode::update);
        record(overview);
        QueueNode selected = selectedQueue.get();
        if (selected != null) {
            QueueNode current = find(selected.name());
            if (current == null) {
                selectQueue((QueueNode) null); // the queue was dropped
            } else {
                messages.showQueue(current.summary());
            }
        }
        status.set(MessageFormat.format(texts.getString("queues.status"), overview.queues().size(),
                overview.elapsed().toMillis()));
    }

    private void record(QueueOverview overview) {
        Set<String> names = overview.queues().stream().map(QueueSummary::name).collect(Collectors.toSet());
        history.keySet().retainAll(names);
        QueueNode selected = selectedQueue.get();
        for (QueueSummary queue : overview.queues()) {
            Deque<QueueSample> samples = history.computeIfAbsent(queue.name(), name -> new ArrayDeque<>());
            QueueSample sample = samples.isEmpty() ? QueueSample.first(overview.serverTime(), queue)
                    : QueueSample.next(samples.getLast(), overview.serverTime(), queue);
            samples.addLast(sample);
            if (samples.size() > HISTORY_SIZE) {
                samples.removeFirst();
            }
            if (selected != null && selected.name().equals(queue.name())) {
                selectedHistory.add(sample);
                if (selectedHistory.size() > HISTORY_SIZE) {
                    selectedHistory.removeFirst();
                }
            }
        }
        updateRates();
    }

    private void updateRates() {
        if (selectedHistory.isEmpty()) {
            selectedRates.set("");
            return;
        }
        QueueSample last = selectedHistory.getLast();
        selectedRates.set(MessageFormat.format(texts.getString("queues.chart.caption"),
                Formats.count(selectedQueue.get().summary().length(), locale), Formats.rate(last.throughput())));
    }

    private QueueNode find(String name) {
        for (NamespaceNode namespace : namespaces) {
            for (QueueNode queue : namespace.queues()) {
                if (queue.name().equals(name)) {
                    return queue;
                }
            }
        }
        return null;
    }
}
