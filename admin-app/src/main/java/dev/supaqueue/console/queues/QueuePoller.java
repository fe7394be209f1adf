package dev.supaqueue.console.queues;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueOverview;
import dev.supaqueue.console.fx.BackgroundTasks;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.util.Subscription;

/**
 * The one queue-list poller of a connection: every screen that shows queue counts listens to its
 * {@link #overviewProperty()} instead of polling on its own, so the database sees one {@link QueueAdmin#queues()}
 * per interval however many views are open. Used on the FX thread only; the query itself runs through
 * {@link BackgroundTasks}.
 *
 * <ul>
 *   <li>At most one refresh is in flight: a tick that finds one running is skipped, and {@link #refreshNow()}
 *       during a refresh asks for exactly one more after it.</li>
 *   <li>A failed refresh keeps the last overview and sets {@link #errorProperty()}; the next success clears it.</li>
 *   <li>{@link #pause()} stops the ticks (for a minimised window) until {@link #resume()}, which refreshes at once
 *       so the counts are not stale when the window comes back.</li>
 * </ul>
 */
public final class QueuePoller {

    /** The refresh interval unless changed. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** The shortest interval accepted; faster polling only loads the database (Oban's dashboard lesson). */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private final Callable<QueueOverview> query;
    private final BackgroundTasks tasks;
    private final Ticker ticker;

    private final ReadOnlyObjectWrapper<QueueOverview> overview = new ReadOnlyObjectWrapper<>(this, "overview");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyBooleanWrapper refreshing = new ReadOnlyBooleanWrapper(this, "refreshing");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyObjectWrapper<Duration> interval =
            new ReadOnlyObjectWrapper<>(this, "interval", DEFAULT_INTERVAL);

    private Subscription schedule = Subscription.EMPTY;
    private boolean refreshRequested;
    private long refreshCount;

    /**
     * A poller of a connection's {@link QueueAdmin#queues()}.
     *
     * @param admin  the connection's admin, asked for on the background thread (connecting may block)
     * @param tasks  runs the queries off the FX thread
     * @param ticker schedules the refreshes
     */
    public static QueuePoller forAdmin(Supplier<QueueAdmin> admin, BackgroundTasks tasks, Ticker ticker) {
        Objects.requireNonNull(admin, "admin");
        return new QueuePoller(() -> admin.get().queues(), tasks, ticker);
    }

    /**
     * @param query  reads the queue list; runs on a background thread
     * @param tasks  runs the queries off the FX thread
     * @param ticker schedules the refreshes
     */
    public QueuePoller(Callable<QueueOverview> query, BackgroundTasks tasks, Ticker ticker) {
        this.query = Objects.requireNonNull(query, "query");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    // Properties //

    /** The latest queue list, null until the first refresh succeeded. */
    public ReadOnlyObjectProperty<QueueOverview> overviewProperty() {
        return overview.getReadOnlyProperty();
    }

    /** Why the latest refresh failed, in plain words; null after a success or {@link #dismissError()}. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Whether a refresh is in flight. */
    public ReadOnlyBooleanProperty refreshingProperty() {
        return refreshing.getReadOnlyProperty();
    }

    /** Whether the ticks are paused (a minimised window). */
    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    /** Whether the poller was started and not stopped. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** How often to refresh ({@link #setInterval}). */
    public ReadOnlyObjectProperty<Duration> intervalProperty() {
        return interval.getReadOnlyProperty();
    }

    /** How many refreshes were started so far, for tests and diagnostics. */
    public long refreshCount() {
        return refreshCount;
    }

    // Commands //

    /** Refreshes now and then every interval; a second call does nothing. */
    public void start() {
        if (running.get()) {
            return;
        }
        running.set(true);
        reschedule();
        refreshNow();
    }

    /** Stops the ticks; a refresh in flight still delivers its result. */
    public void stop() {
        running.set(false);
        schedule.unsubscribe();
        schedule = Subscription.EMPTY;
    }

    /** Stops ticking until {@link #resume()}, for example while the window is minimised. */
    public void pause() {
        if (paused.get()) {
            return;
        }
        paused.set(true);
        schedule.unsubscribe();
        schedule = Subscription.EMPTY;
    }

    /** Ticks again, refreshing at once. */
    public void resume() {
        if (!paused.get()) {
            return;
        }
        paused.set(false);
        reschedule();
        if (running.get()) {
            refreshNow();
        }
    }

    /** Refreshes now, or right after the refresh in flight if there is one (F5). */
    public void refreshNow() {
        if (refreshing.get()) {
            refreshRequested = true;
            return;
        }
        refreshing.set(true);
        refreshCount++;
        tasks.run("Refresh the queue list", query, this::succeeded, this::failed);
    }

    /**
     * Refreshes every {@code value} from now on.
     *
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_INTERVAL}
     */
    public void setInterval(Duration value) {
        if (value == null || value.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("The refresh interval must be at least " + MIN_INTERVAL.toSeconds()
                    + " s, got " + value);
        }
        if (!value.equals(interval.get())) {
            interval.set(value);
            reschedule();
        }
    }

    /** Hides the error message. */
    public void dismissError() {
        error.set(null);
    }

    private void tick() {
        // A slow database must not pile refreshes up: skip the tick while one is still running.
        if (!refreshing.get()) {
            refreshNow();
        }
    }

    private void succeeded(QueueOverview result) {
        overview.set(result);
        error.set(null);
        finished();
    }

    private void failed(Throwable problem) {
        error.set(Problems.describe(problem));
        finished();
    }

    private void finished() {
        refreshing.set(false);
        if (refreshRequested) {
            refreshRequested = false;
            refreshNow();
        }
    }

    private void reschedule() {
        schedule.unsubscribe();
        schedule = running.get() && !paused.get() ? ticker.every(interval.get(), this::tick) : Subscription.EMPTY;
    }
}
