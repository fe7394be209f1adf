package dev.supaqueue.console.queues;

import dev.supaqueue.admin.BrowseRequest;
import dev.supaqueue.admin.MessageFilter;
import dev.supaqueue.admin.MessagePage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.MessageState;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.console.fx.BackgroundTasks;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Subscription;

/**
 * The message table of one queue, its dead letters or its archive: one keyset page at a time (never more than
 * {@link #pageSize()} rows, however big the queue), filters, and a visibility countdown per row.
 *
 * <p>The countdown runs on the <em>server's</em> clock: the page's {@link MessagePage#serverTime()} plus the local
 * time elapsed since the page arrived (a monotonic reading of the {@link Ticker}), so a local clock that is off
 * does not make a message look visible early or late.
 *
 * <p>The filter inputs (states, actor, id, payload JSON) are writable properties the view binds to; they are
 * checked as they change ({@link #filterErrorProperty()}) and take effect with {@link #applyFilter()}. Changing the
 * source kind, a state or the order applies at once.
 */
public final class MessagesViewModel {

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final int MESSAGE_ID_MAX = 128;
    /** Message ids are UUIDs or similar tokens: letters, digits and a few separators. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1," + MESSAGE_ID_MAX + "}");

    private final Supplier<QueueAdmin> admin;
    private final BackgroundTasks tasks;
    private final Ticker ticker;
    private final ResourceBundle texts;
    private final ZoneId zone;
    private final int pageSize;

    // inputs
    private final ObjectProperty<SourceKind> sourceKind = new SimpleObjectProperty<>(this, "sourceKind",
            SourceKind.QUEUE);
    private final BooleanProperty showReady = new SimpleBooleanProperty(this, "showReady", true);
    private final BooleanProperty showInFlight = new SimpleBooleanProperty(this, "showInFlight", true);
    private final BooleanProperty showDelayed = new SimpleBooleanProperty(this, "showDelayed", true);
    private final StringProperty actorFilter = new SimpleStringProperty(this, "actorFilter", "");
    private final StringProperty idFilter = new SimpleStringProperty(this, "idFilter", "");
    private final StringProperty payloadFilter = new SimpleStringProperty(this, "payloadFilter", "");
    private final BooleanProperty newestFirst = new SimpleBooleanProperty(this, "newestFirst", false);

    // state
    private final ReadOnlyObjectWrapper<QueueSummary> queue = new ReadOnlyObjectWrapper<>(this, "queue");
    private final ReadOnlyObjectWrapper<MessageSource> source = new ReadOnlyObjectWrapper<>(this, "source");
    private final ObservableList<SourceKind> sourceKinds = FXCollections.observableArrayList();
    private final ObservableList<SourceKind> readOnlySourceKinds = FXCollections.unmodifiableObservableList(sourceKinds);
    private final ObservableList<MessageRow> rows = FXCollections.observableArrayList();
    private final ObservableList<MessageRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyStringWrapper filterError = new ReadOnlyStringWrapper(this, "filterError");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper pageInfo = new ReadOnlyStringWrapper(this, "pageInfo", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper hasNext = new ReadOnlyBooleanWrapper(this, "hasNext");
    private final ReadOnlyBooleanWrapper hasPrevious = new ReadOnlyBooleanWrapper(this, "hasPrevious");
    private final ReadOnlyObjectWrapper<MessagePage> page = new ReadOnlyObjectWrapper<>(this, "page");

    private MessageFilter appliedFilter = MessageFilter.all();
    private BrowseRequest current;
    private long pageArrivedNanos;
    private long loadGeneration;
    private boolean clearing;
    private final Subscription countdown;

    /**
     * @param admin    the connection's admin, asked for on the background thread
     * @param tasks    runs the browse queries off the FX thread
     * @param ticker   the clock and the one-second tick of the countdowns
     * @param texts    the console's texts ({@code queues.*} keys)
     * @param zone     the zone times are shown in
     * @param pageSize rows per page, 1 to {@link BrowseRequest#MAX_LIMIT}
     */
    public MessagesViewModel(Supplier<QueueAdmin> admin, BackgroundTasks tasks, Ticker ticker, ResourceBundle texts,
                             ZoneId zone, int pageSize) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.zone = Objects.requireNonNull(zone, "zone");
        if (pageSize < 1 || pageSize > BrowseRequest.MAX_LIMIT) {
            throw new IllegalArgumentException("The page size must be between 1 and " + BrowseRequest.MAX_LIMIT
                    + ", got " + pageSize);
        }
        this.pageSize = pageSize;
        sourceKind.addListener((property, old, value) -> sourceChanged());
        showReady.addListener((property, old, value) -> applyFilter());
        showInFlight.addListener((property, old, value) -> applyFilter());
        showDelayed.addListener((property, old, value) -> applyFilter());
        actorFilter.addListener((property, old, value) -> checkFilter());
        idFilter.addListener((property, old, value) -> checkFilter());
        payloadFilter.addListener((property, old, value) -> checkFilter());
        newestFirst.addListener((property, old, value) -> {
            if (current != null) {
                load(current.withOrder(order()));
            }
        });
        countdown = ticker.every(Duration.ofSeconds(1), this::tick);
    }

    // Inputs //

    /** Which table of the queue to show (an input; changing it loads that table's first page). */
    public ObjectProperty<SourceKind> sourceKindProperty() {
        return sourceKind;
    }

    public BooleanProperty showReadyProperty() {
        return showReady;
    }

    public BooleanProperty showInFlightProperty() {
        return showInFlight;
    }

    public BooleanProperty showDelayedProperty() {
        return showDelayed;
    }

    /** Only this Dramatiq actor (blank: any). */
    public StringProperty actorFilterProperty() {
        return actorFilter;
    }

    /** A pgmq msg_id (digits) or a Dramatiq message id (anything else); blank: any. */
    public StringProperty idFilterProperty() {
        return idFilter;
    }

    /** A JSON document the payload must contain, e.g. {@code {"kwargs": {"user_id": 7}}}; blank: any. */
    public StringProperty payloadFilterProperty() {
        return payloadFilter;
    }

    /** Highest msg_id first (an input; changing it goes back to the first page). */
    public BooleanProperty newestFirstProperty() {
        return newestFirst;
    }

    // Properties //

    /** The queue whose messages are shown, null when none is selected. */
    public ReadOnlyObjectProperty<QueueSummary> queueProperty() {
        return queue.getReadOnlyProperty();
    }

    /** The table being browsed, null when no queue is selected. */
    public ReadOnlyObjectProperty<MessageSource> sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** The tables the selected queue has (dead letters only when it has a dead-letter queue). */
    public ObservableList<SourceKind> sourceKinds() {
        return readOnlySourceKinds;
    }

    /** The rows of the current page, in display order. */
    public ObservableList<MessageRow> rows() {
        return readOnlyRows;
    }

    /** What is wrong with the filter inputs, null when they are valid. */
    public ReadOnlyStringProperty filterErrorProperty() {
        return filterError.getReadOnlyProperty();
    }

    /** Why the last page could not be read, null when it could or after {@link #dismissError()}. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Where the page is, e.g. {@code 50 messages, msg_id 1–50}. */
    public ReadOnlyStringProperty pageInfoProperty() {
        return pageInfo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasNextProperty() {
        return hasNext.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasPreviousProperty() {
        return hasPrevious.getReadOnlyProperty();
    }

    /** The page shown, null before the first one arrived. */
    public ReadOnlyObjectProperty<MessagePage> pageProperty() {
        return page.getReadOnlyProperty();
    }

    public int pageSize() {
        return pageSize;
    }

    // Commands //

    /**
     * Shows the messages of {@code summary}'s queue from the first page, or nothing for null. The same queue again
     * (a refreshed summary) only updates which tables it has.
     */
    public void showQueue(QueueSummary summary) {
        QueueSummary previous = queue.get();
        queue.set(summary);
        List<SourceKind> kinds = summary == null ? List.of()
                : summary.hasDeadLetterQueue() ? List.of(SourceKind.QUEUE, SourceKind.DEAD_LETTERS, SourceKind.ARCHIVE)
                : List.of(SourceKind.QUEUE, SourceKind.ARCHIVE);
        if (!kinds.equals(sourceKinds)) {
            sourceKinds.setAll(kinds);
        }
        if (summary != null && previous != null && previous.name().equals(summary.name())) {
            if (!kinds.contains(sourceKind.get())) {
                sourceKind.set(SourceKind.QUEUE);
            }
            return;
        }
        if (sourceKind.get() != SourceKind.QUEUE) {
            sourceKind.set(SourceKind.QUEUE); // its listener loads the page
        } else {
            sourceChanged();
        }
    }

    /** Takes the filter inputs and shows the first matching page; does nothing while they are invalid. */
    public void applyFilter() {
        if (clearing) {
            return;
        }
        MessageFilter filter = checkFilter();
        if (filter == null) {
            return;
        }
        appliedFilter = filter;
        if (current != null) {
            load(current.withFilter(filter));
        }
    }

    /** Empties the filter inputs, ticks every state, and shows the first page. */
    public void clearFilter() {
        clearing = true; // one query for the whole reset, not one per ticked state
        try {
            actorFilter.set("");
            idFilter.set("");
            payloadFilter.set("");
            showReady.set(true);
            showInFlight.set(true);
            showDelayed.set(true);
        } finally {
            clearing = false;
        }
        applyFilter();
    }

    public void firstPage() {
        if (current != null) {
            load(current.firstPage());
        }
    }

    public void nextPage() {
        MessagePage shown = page.get();
        if (shown != null) {
            shown.next().ifPresent(this::load);
        }
    }

    public void previousPage() {
        MessagePage shown = page.get();
        if (shown != null) {
            shown.previous().ifPresent(this::load);
        }
    }

    /** Reads the current page again, at the same position. */
    public void refresh() {
        if (current != null) {
            load(current);
        }
    }

    public void dismissError() {
        error.set(null);
    }

    /** Stops the countdown ticks; the model is not used afterwards. */
    public void dispose() {
        countdown.unsubscribe();
    }

    // Internals //

    private void sourceChanged() {
        QueueSummary summary = queue.get();
        if (summary == null) {
            source.set(null);
            current = null;
            loadGeneration++; // a page still on its way belongs to the old queue
            loading.set(false);
            rows.clear();
            page.set(null);
            hasNext.set(false);
            hasPrevious.set(false);
            pageInfo.set("");
            return;
        }
        SourceKind kind = sourceKind.get() == null ? SourceKind.QUEUE : sourceKind.get();
        MessageSource next = switch (kind) {
            case QUEUE -> MessageSource.queue(summary.name());
            case DEAD_LETTERS -> MessageSource.queue(summary.hasDeadLetterQueue() ? summary.deadLetterQueue()
                    : summary.name());
            case ARCHIVE -> MessageSource.archive(summary.name());
        };
        source.set(next);
        MessageFilter filter = checkFilter();
        appliedFilter = filter == null ? MessageFilter.all() : filter;
        load(new BrowseRequest(next, appliedFilter, order(), null, null, pageSize));
    }

    private BrowseRequest.Order order() {
        return newestFirst.get() ? BrowseRequest.Order.NEWEST_FIRST : BrowseRequest.Order.OLDEST_FIRST;
    }

    /** Builds the filter from the inputs and shows its problem; null when the inputs are invalid. */
    private MessageFilter checkFilter() {
        try {
            MessageFilter filter = buildFilter();
            filterError.set(null);
            return filter;
        } catch (IllegalArgumentException e) {
            filterError.set(e.getMessage());
            return null;
        }
    }

    MessageFilter buildFilter() {
        MessageFilter filter = MessageFilter.all();
        MessageSource shown = source.get();
        if (shown == null || !shown.isArchive()) {
            Set<MessageState> states = EnumSet.noneOf(MessageState.class);
            if (showReady.get()) {
                states.add(MessageState.READY);
            }
            if (showInFlight.get()) {
                states.add(MessageState.IN_FLIGHT);
            }
            if (showDelayed.get()) {
                states.add(MessageState.DELAYED);
            }
            if (states.isEmpty()) {
                throw new IllegalArgumentException(texts.getString("queues.filter.noState"));
            }
            if (states.size() < 3) {
                filter = filter.withStates(states);
            }
        }
        String actor = trimmed(actorFilter.get());
        if (actor != null) {
            filter = filter.withActorName(actor);
        }
        String id = trimmed(idFilter.get());
        if (id != null) {
            if (DIGITS.matcher(id).matches()) {
                try {
                    filter = filter.withMsgId(Long.parseLong(id));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(MessageFormat.format(texts.getString("queues.filter.msgIdRange"),
                            id), e);
                }
            } else if (MESSAGE_ID.matcher(id).matches()) {
                filter = filter.withMessageId(id);
            } else {
                // No stored id looks like this (Dramatiq's are UUIDs): say so rather than search for nothing.
                throw new IllegalArgumentException(MessageFormat.format(texts.getString("queues.filter.idInvalid"),
                        MESSAGE_ID_MAX));
            }
        }
        String json = trimmed(payloadFilter.get());
        if (json != null) {
            filter = filter.withPayloadContaining(json);
            // Containment of a bare number or string matches nearly nothing: ask for an object or an array.
            if (!json.startsWith("{") && !json.startsWith("[")) {
                throw new IllegalArgumentException(texts.getString("queues.filter.payloadNotObject"));
            }
        }
        return filter;
    }

    private static String trimmed(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private void load(BrowseRequest request) {
        current = request;
        long generation = ++loadGeneration;
        loading.set(true);
        tasks.run("Browse " + request.source(), () -> admin.get().browse(request), result -> {
            if (generation == loadGeneration) {
                show(result);
            }
        }, problem -> {
            if (generation == loadGeneration) {
                loading.set(false);
                error.set(MessageFormat.format(texts.getString("queues.messages.error"), request.source(),
                        Problems.describe(problem)));
            }
        });
    }

    private void show(MessagePage result) {
        pageArrivedNanos = ticker.nanoTime();
        page.set(result);
        rows.setAll(result.messages().stream().map(message -> new MessageRow(message, texts, zone)).toList());
        hasNext.set(result.hasNext());
        hasPrevious.set(result.hasPrevious());
        loading.set(false);
        error.set(null);
        if (result.isEmpty()) {
            pageInfo.set(texts.getString(result.request().filter().isEmpty() ? "queues.page.empty"
                    : "queues.page.emptyFiltered"));
        } else {
            pageInfo.set(MessageFormat.format(texts.getString("queues.page.info"), result.messages().size(),
                    Long.toString(result.messages().getFirst().msgId()),
                    Long.toString(result.messages().getLast().msgId())));
        }
        String visible = texts.getString("queues.visibility.visible");
        Instant serverNow = serverNow();
        rows.forEach(row -> row.showVisibilityAt(serverNow, visible));
    }

    /** The server's clock now: the page's server time plus what the monotonic clock says has passed since. */
    Instant serverNow() {
        MessagePage shown = page.get();
        if (shown == null) {
            return null;
        }
        return shown.serverTime().plusNanos(ticker.nanoTime() - pageArrivedNanos);
    }

    private void tick() {
        Instant serverNow = serverNow();
        if (serverNow == null) {
            return;
        }
        String visible = texts.getString("queues.visibility.visible");
        for (MessageRow row : rows) {
            if (row.counting()) {
                row.showVisibilityAt(serverNow, visible);
            }
        }
    }
}
