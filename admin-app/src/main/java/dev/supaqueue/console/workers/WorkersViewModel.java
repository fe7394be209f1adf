package dev.supaqueue.console.workers;

import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.queues.Ticker;
import dev.supaqueue.middleware.CurrentMessage;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import dev.supaqueue.worker.WorkerStats;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import javafx.beans.Observable;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Subscription;

/**
 * The "Embedded workers" screen of one connection: runs a broker-lib {@link Worker} in the console against the
 * connected database with the built-in {@link HarnessActors} or the user's actors from a jar or folder, and shows
 * what it processes.
 *
 * <p>The worker gets its own {@link SupabaseBroker} (Dramatiq's default middleware plus {@link CurrentMessage} and
 * a {@link ProcessingObserver}); starting, stopping and loading run through {@link BackgroundTasks}. Worker threads
 * put processed messages on a queue that a {@link Ticker} drains on the FX thread every
 * {@value #DRAIN_PERIOD_MS} ms, so a busy worker costs one UI update per period, not one per message. A read-only
 * connection never starts a worker: it deletes the messages it processes.
 */
public final class WorkersViewModel {

    static final int LOG_LIMIT = 1_000;
    static final long DRAIN_PERIOD_MS = 200;
    static final int MAX_THREADS = 64;
    static final String DEFAULT_HARNESS_QUEUE = "default";

    private final SupabaseBrokerSettings settings;
    private final boolean readOnly;
    private final BackgroundTasks tasks;
    private final Ticker ticker;
    private final ResourceBundle texts;
    private final Clock clock;
    private final Duration shutdownTimeout;

    private final ObjectProperty<ActorSourceKind> actorSource =
            new SimpleObjectProperty<>(this, "actorSource", ActorSourceKind.HARNESS);
    private final StringProperty harnessQueue = new SimpleStringProperty(this, "harnessQueue", DEFAULT_HARNESS_QUEUE);
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads", 4);
    /** 0 means the worker's default, twice the threads. */
    private final IntegerProperty prefetch = new SimpleIntegerProperty(this, "prefetch", 0);
    /** The threads and prefetch as typed, so that "abc" or "500" can be shown and refused. */
    private final StringProperty threadsText = new SimpleStringProperty(this, "threadsText", "4");
    private final StringProperty prefetchText = new SimpleStringProperty(this, "prefetchText", "0");
    private final ReadOnlyStringWrapper threadsError = new ReadOnlyStringWrapper(this, "threadsError", "");
    private final ReadOnlyStringWrapper prefetchError = new ReadOnlyStringWrapper(this, "prefetchError", "");
    private final ReadOnlyStringWrapper harnessQueueError = new ReadOnlyStringWrapper(this, "harnessQueueError", "");
    private final ObservableList<String> availableQueues = FXCollections.observableArrayList();
    private final ObservableList<String> queueChoices = FXCollections.observableArrayList();
    private final ObservableList<String> selectedQueues = FXCollections.observableArrayList();
    private final ObservableList<String> knownActors = FXCollections.observableArrayList();

    private final ReadOnlyObjectWrapper<LoadedActors> loaded = new ReadOnlyObjectWrapper<>(this, "loaded");
    private final ReadOnlyStringWrapper loadedSummary = new ReadOnlyStringWrapper(this, "loadedSummary", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyObjectWrapper<WorkerState> state =
            new ReadOnlyObjectWrapper<>(this, "state", WorkerState.STOPPED);
    private final ReadOnlyStringWrapper startDisabledReason = new ReadOnlyStringWrapper(this, "startDisabledReason");
    private final ReadOnlyBooleanWrapper canStart = new ReadOnlyBooleanWrapper(this, "canStart");
    private final ReadOnlyStringWrapper stopDisabledReason = new ReadOnlyStringWrapper(this, "stopDisabledReason");
    private final ReadOnlyBooleanWrapper canStop = new ReadOnlyBooleanWrapper(this, "canStop");
    private final ReadOnlyBooleanWrapper canChangeSetup = new ReadOnlyBooleanWrapper(this, "canChangeSetup", true);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyLongWrapper processedCount = new ReadOnlyLongWrapper(this, "processedCount");

    private final ObservableList<ProcessedMessage> log = FXCollections.observableArrayList();
    private final ObservableList<ActorStatsRow> actorStats = FXCollections.observableArrayList();
    private final Map<String, ActorStatsRow> statsByActor = new HashMap<>();
    /** Filled by worker threads, drained on the FX thread. */
    private final ConcurrentLinkedQueue<ProcessedMessage> events = new ConcurrentLinkedQueue<>();

    private Worker worker;
    private SupabaseBroker broker;
    private Subscription drainer = Subscription.EMPTY;
    private boolean closed;

    /**
     * @param settings the connection's settings; their namespace is the profile's, so the worker's queues are
     *                 {@code <namespace>_<queue>} as everywhere in the console
     * @param readOnly whether the connection is read-only (then no worker starts)
     */
    public WorkersViewModel(SupabaseBrokerSettings settings, boolean readOnly, BackgroundTasks tasks, Ticker ticker,
                            ResourceBundle texts) {
        this(settings, readOnly, tasks, ticker, texts, Clock.systemUTC(), WorkerOptions.DEFAULT_SHUTDOWN_TIMEOUT);
    }

    WorkersViewModel(SupabaseBrokerSettings settings, boolean readOnly, BackgroundTasks tasks, Ticker ticker,
                     ResourceBundle texts, Clock clock, Duration shutdownTimeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.readOnly = readOnly;
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");

        threadsText.addListener((property, old, text) -> {
            Integer value = parseWhole(text);
            if (value != null && value >= 1 && value <= MAX_THREADS) {
                threads.set(value);
            }
        });
        prefetchText.addListener((property, old, text) -> {
            Integer value = parseWhole(text);
            if (value != null && value >= 0 && value <= WorkerOptions.MAX_PREFETCH) {
                prefetch.set(value);
            }
        });
        Observable[] inputs = {actorSource, harnessQueue, threads, prefetch, threadsText, prefetchText, loaded,
                loading, state, selectedQueues};
        for (Observable input : inputs) {
            input.addListener(o -> refresh());
        }
        availableQueues.addListener((Observable o) -> refresh());
        refresh();
    }

    // Inputs //

    public ObjectProperty<ActorSourceKind> actorSourceProperty() {
        return actorSource;
    }

    /** The Dramatiq queue of the harness actors. */
    public StringProperty harnessQueueProperty() {
        return harnessQueue;
    }

    public IntegerProperty threadsProperty() {
        return threads;
    }

    /** Messages held per queue, running or waiting; 0 for the worker's default (twice the threads). */
    public IntegerProperty prefetchProperty() {
        return prefetch;
    }

    /** The worker threads as typed in the spinner's field. */
    public StringProperty threadsTextProperty() {
        return threadsText;
    }

    /** The prefetch as typed in the spinner's field. */
    public StringProperty prefetchTextProperty() {
        return prefetchText;
    }

    /** What is wrong with the typed threads, shown beside the field; empty when nothing is. */
    public ReadOnlyStringProperty threadsErrorProperty() {
        return threadsError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty prefetchErrorProperty() {
        return prefetchError.getReadOnlyProperty();
    }

    /** What is wrong with the test actors' queue name, shown beside the field; empty when nothing is. */
    public ReadOnlyStringProperty harnessQueueErrorProperty() {
        return harnessQueueError.getReadOnlyProperty();
    }

    /** Replaces the queue names the screen offers (Dramatiq names within the connection's namespace). */
    public void setAvailableQueues(Collection<String> names) {
        availableQueues.setAll(names);
    }

    /** What the queue list offers: the available queues and the queues of the current actors, sorted. */
    public ObservableList<String> queueChoices() {
        return FXCollections.unmodifiableObservableList(queueChoices);
    }

    /** The queues to consume; empty for every queue of the current actors. The view keeps it in step. */
    public ObservableList<String> selectedQueues() {
        return selectedQueues;
    }

    // Commands //

    /** Loads the user's actors from a jar or classes folder in the background and switches to them. */
    public void loadActors(Path source) {
        if (!canChangeSetup.get() || loading.get()) {
            return;
        }
        error.set("");
        loading.set(true);
        tasks.run("load actors from " + source, () -> ActorLoader.load(source), found -> {
            loading.set(false);
            if (closed) {
                found.close();
                return;
            }
            LoadedActors previous = loaded.get();
            loaded.set(found);
            if (previous != null) {
                previous.close();
            }
            actorSource.set(ActorSourceKind.USER);
        }, failure -> {
            loading.set(false);
            error.set(format("workers.error.load", describe(failure)));
        });
    }

    /** Starts a worker with the current setup; does nothing when {@link #canStartProperty()} is false. */
    public void start() {
        if (!canStart.get()) {
            return;
        }
        error.set("");
        WorkerOptions options;
        ActorProvider actors;
        try {
            options = workerOptions();
            actors = actorSource.get() == ActorSourceKind.HARNESS ? new HarnessActors(harnessQueue.get().strip())
                    : loaded.get();
        } catch (IllegalArgumentException e) {
            error.set(format("workers.error.start", e.getMessage()));
            return;
        }
        ClassLoader actorLoader = actors instanceof LoadedActors user ? user.classLoader()
                : WorkersViewModel.class.getClassLoader();
        log.clear();
        actorStats.clear();
        statsByActor.clear();
        events.clear();
        processedCount.set(0);
        state.set(WorkerState.STARTING);
        tasks.run("start an embedded worker", () -> startWorker(actors, options, actorLoader), started -> {
            broker = started.broker();
            worker = started.worker();
            state.set(WorkerState.RUNNING);
            drainer = ticker.every(Duration.ofMillis(DRAIN_PERIOD_MS), this::drainEvents);
            status.set(format("workers.status.running", options.workerThreads(), options.prefetch(),
                    String.join(", ", new TreeSet<>(started.worker().consumedQueues()))));
            if (closed) {
                stop();
            }
        }, failure -> {
            state.set(WorkerState.STOPPED);
            error.set(format("workers.error.start", describe(failure)));
            if (closed) {
                releaseLoaded();
            }
        });
    }

    /**
     * Stops gracefully: the worker stops pulling, gives unstarted messages back to the queue at once, and lets
     * running tasks finish (up to the shutdown timeout, after which their messages reappear for redelivery); then
     * its broker closes.
     */
    public void stop() {
        if (!canStop.get()) {
            return;
        }
        Worker stopping = worker;
        SupabaseBroker closing = broker;
        state.set(WorkerState.STOPPING);
        tasks.run("stop the embedded worker", () -> {
            try {
                stopping.stop(shutdownTimeout);
                return stopping.stats();
            } finally {
                closing.close();
            }
        }, stats -> stopped(stats, null), failure -> stopped(null, failure));
    }

    /** Stops a running worker and closes its broker, and releases the loaded actors; for when the screen goes. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (state.get() == WorkerState.RUNNING) {
            stop();
        } else if (state.get() == WorkerState.STOPPED) {
            releaseLoaded();
        }
        // STARTING stops once started (see start()); STOPPING releases the actors when stopped.
    }

    public void dismissError() {
        error.set("");
    }

    // State //

    public ReadOnlyObjectProperty<LoadedActors> loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** Which actors were found in the loaded jar or folder, or empty. */
    public ReadOnlyStringProperty loadedSummaryProperty() {
        return loadedSummary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The names of the current source's actors, e.g. for the enqueue form's actor list. */
    public ObservableList<String> knownActors() {
        return FXCollections.unmodifiableObservableList(knownActors);
    }

    public ReadOnlyObjectProperty<WorkerState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStartProperty() {
        return canStart.getReadOnlyProperty();
    }

    /** Why Start is disabled, or empty. */
    public ReadOnlyStringProperty startDisabledReasonProperty() {
        return startDisabledReason.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStopProperty() {
        return canStop.getReadOnlyProperty();
    }

    /** Why Stop is disabled, or empty. */
    public ReadOnlyStringProperty stopDisabledReasonProperty() {
        return stopDisabledReason.getReadOnlyProperty();
    }

    /** False while a worker runs (or starts or stops): its actors, queues and threads are fixed then. */
    public ReadOnlyBooleanProperty canChangeSetupProperty() {
        return canChangeSetup.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The last error in words, or empty; {@link #dismissError()} clears it. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Deliveries settled since the worker started. */
    public ReadOnlyLongProperty processedCountProperty() {
        return processedCount.getReadOnlyProperty();
    }

    /** The last {@value #LOG_LIMIT} settled deliveries, newest first. */
    public ObservableList<ProcessedMessage> log() {
        return FXCollections.unmodifiableObservableList(log);
    }

    /** One row per actor that processed something since the worker started, in order of first appearance. */
    public ObservableList<ActorStatsRow> actorStats() {
        return FXCollections.unmodifiableObservableList(actorStats);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    // Internals //

    private record Started(SupabaseBroker broker, Worker worker) {
    }

    /** On a background thread: a broker of its own, the actors declared on it, and a started worker. */
    private Started startWorker(ActorProvider actors, WorkerOptions options, ClassLoader actorLoader) {
        ProcessingObserver observer = new ProcessingObserver(this::report, clock);
        SupabaseBroker newBroker = new SupabaseBroker(settings, DefaultMiddleware.with(new CurrentMessage(), observer));
        Worker newWorker = null;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            actors.declareActors(newBroker);
            newWorker = new Worker(newBroker, options);
            // Worker threads inherit the context loader: the user's actors may look classes up through it.
            thread.setContextClassLoader(actorLoader);
            newWorker.start();
            if (newWorker.consumedQueues().isEmpty()) {
                throw new IllegalStateException(texts.getString("workers.error.noQueue"));
            }
            return new Started(newBroker, newWorker);
        } catch (RuntimeException | Error e) {
            if (newWorker != null) {
                newWorker.stop(Duration.ofSeconds(1));
            }
            newBroker.close();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private WorkerOptions workerOptions() {
        WorkerOptions.Builder builder = WorkerOptions.builder().workerThreads(threads.get())
                .shutdownTimeout(shutdownTimeout).queues(List.copyOf(selectedQueues));
        if (prefetch.get() > 0) {
            builder.prefetch(prefetch.get());
        }
        return builder.build();
    }

    private void stopped(WorkerStats stats, Throwable failure) {
        worker = null;
        broker = null;
        drainEvents();
        drainer.unsubscribe();
        drainer = Subscription.EMPTY;
        state.set(WorkerState.STOPPED);
        if (failure != null) {
            error.set(format("workers.error.stop", describe(failure)));
        }
        status.set(format("workers.status.stopped", processedCount.get()));
        if (closed) {
            releaseLoaded();
        }
    }

    private void releaseLoaded() {
        LoadedActors previous = loaded.get();
        if (previous != null) {
            loaded.set(null);
            previous.close();
        }
    }

    /** From worker threads: one settled delivery, shown at the next drain. */
    void report(ProcessedMessage message) {
        events.add(message);
    }

    /** On the FX thread: moves what the worker threads reported into the log and the per-actor table. */
    void drainEvents() {
        List<ProcessedMessage> batch = new ArrayList<>();
        ProcessedMessage next;
        while ((next = events.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        Set<ActorStatsRow> touched = new LinkedHashSet<>();
        for (ProcessedMessage message : batch) {
            ActorStatsRow row = statsByActor.get(message.actorName());
            if (row == null) {
                row = new ActorStatsRow(message.actorName());
                statsByActor.put(message.actorName(), row);
                actorStats.add(row);
            }
            row.add(message);
            touched.add(row);
        }
        touched.forEach(ActorStatsRow::refreshLatency);
        processedCount.set(processedCount.get() + batch.size());
        List<ProcessedMessage> newestFirst = batch.size() > LOG_LIMIT
                ? batch.subList(batch.size() - LOG_LIMIT, batch.size()) : batch;
        newestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(newestFirst);
        log.addAll(0, newestFirst);
        if (log.size() > LOG_LIMIT) {
            log.remove(LOG_LIMIT, log.size());
        }
    }

    /** Recomputes everything derived from the inputs: actors, queue choices, reasons. */
    private void refresh() {
        WorkerState current = state.get();
        boolean idle = current == WorkerState.STOPPED;
        canChangeSetup.set(idle);

        Map<String, String> actorQueues = currentActorQueues();
        // Only on a real change: the enqueue form's actor list listens to it.
        if (!knownActors.equals(List.copyOf(actorQueues.keySet()))) {
            knownActors.setAll(actorQueues.keySet());
        }
        Set<String> choices = new TreeSet<>(availableQueues);
        choices.addAll(actorQueues.values());
        if (!queueChoices.equals(List.copyOf(choices))) {
            queueChoices.setAll(choices);
        }

        threadsError.set(numberProblem(threadsText.get(), 1, MAX_THREADS, "workers.error.threads"));
        prefetchError.set(numberProblem(prefetchText.get(), 0, WorkerOptions.MAX_PREFETCH, "workers.error.prefetch"));
        harnessQueueError.set(harnessQueueProblem());
        String reason = startReason(current, actorQueues);
        startDisabledReason.set(reason);
        canStart.set(reason.isEmpty());

        String stopReason = switch (current) {
            case RUNNING -> "";
            case STARTING -> texts.getString("workers.disabled.starting");
            case STOPPING -> texts.getString("workers.disabled.stopping");
            case STOPPED -> texts.getString("workers.disabled.notRunning");
        };
        stopDisabledReason.set(stopReason);
        canStop.set(stopReason.isEmpty());

        LoadedActors user = loaded.get();
        loadedSummary.set(user == null ? "" : format("workers.loaded", user.actorQueues().size(), user.source(),
                describeActors(user.actorQueues()), String.join(", ", user.providerNames())));
    }

    private Map<String, String> currentActorQueues() {
        Map<String, String> result = new java.util.TreeMap<>();
        if (actorSource.get() == ActorSourceKind.HARNESS) {
            String queue = harnessQueue.get() == null ? "" : harnessQueue.get().strip();
            HarnessActors.NAMES.forEach(name -> result.put(name, queue));
        } else if (loaded.get() != null) {
            result.putAll(loaded.get().actorQueues());
        }
        return result;
    }

    private String startReason(WorkerState current, Map<String, String> actorQueues) {
        if (readOnly) {
            return texts.getString("workers.disabled.readOnly");
        }
        switch (current) {
            case RUNNING:
                return texts.getString("workers.disabled.running");
            case STARTING:
                return texts.getString("workers.disabled.starting");
            case STOPPING:
                return texts.getString("workers.disabled.stopping");
            default:
                break;
        }
        if (loading.get()) {
            return texts.getString("workers.disabled.loading");
        }
        if (actorSource.get() == ActorSourceKind.HARNESS) {
            String queue = harnessQueue.get() == null ? "" : harnessQueue.get().strip();
            if (queue.isEmpty()) {
                return texts.getString("workers.disabled.noHarnessQueue");
            }
            if (!harnessQueueError.get().isEmpty()) {
                return harnessQueueError.get();
            }
        } else if (loaded.get() == null) {
            return texts.getString("workers.disabled.noActors");
        }
        if (!threadsError.get().isEmpty()) {
            return threadsError.get();
        }
        if (!prefetchError.get().isEmpty()) {
            return prefetchError.get();
        }
        if (threads.get() < 1 || threads.get() > MAX_THREADS) {
            return format("workers.disabled.threads", MAX_THREADS);
        }
        if (prefetch.get() < 0 || prefetch.get() > WorkerOptions.MAX_PREFETCH) {
            return format("workers.disabled.prefetch", WorkerOptions.MAX_PREFETCH);
        }
        if (!selectedQueues.isEmpty() && selectedQueues.stream().noneMatch(actorQueues::containsValue)) {
            return texts.getString("workers.disabled.noActorOnQueues");
        }
        return "";
    }

    /** The problem with a typed whole number in {@code min..max}, or empty. */
    private String numberProblem(String text, int min, int max, String key) {
        String typed = text == null ? "" : text.strip();
        Integer value = parseWhole(typed);
        if (value != null && value >= min && value <= max) {
            return "";
        }
        return MessageFormat.format(texts.getString(key), min, max, typed);
    }

    private static Integer parseWhole(String text) {
        String typed = text == null ? "" : text.strip();
        if (!typed.matches("\\d{1,9}")) {
            return null;
        }
        return Integer.parseInt(typed);
    }

    /** The test actors' queue must make a valid pgmq name within the connection's namespace. */
    private String harnessQueueProblem() {
        if (actorSource.get() != ActorSourceKind.HARNESS) {
            return "";
        }
        String queue = harnessQueue.get() == null ? "" : harnessQueue.get().strip();
        if (queue.isEmpty()) {
            return "";
        }
        try {
            QueueNames.pgmqName(settings.namespace(), queue);
            return "";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String describeActors(Map<String, String> actorQueues) {
        List<String> parts = new ArrayList<>();
        actorQueues.forEach((actor, queue) -> parts.add(actor + " (" + queue + ")"));
        return String.join(", ", parts);
    }

    /** The cause in words: the exception's own message (ours are worded for the user), else its type. */
    private static String describe(Throwable failure) {
        Throwable shown = failure;
        while (shown.getMessage() == null && shown.getCause() != null) {
            shown = shown.getCause();
        }
        return shown.getMessage() != null ? shown.getMessage() : shown.getClass().getSimpleName();
    }

    private String format(String key, Object... args) {
        return MessageFormat.format(texts.getString(key), args);
    }
}
