package dev.supaqueue.admin;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Steers one running bulk action: progress listeners, and cancellation from any thread. Cancelling (or
 * interrupting the thread that runs the action) takes effect between two batches, never inside a batch's
 * transaction, so every message ends up either untouched or fully handled. Thread-safe.
 *
 * <p>Use one control per action: a cancelled control stays cancelled.
 */
public final class ActionControl {

    private final List<Consumer<ActionProgress>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    private ActionControl() {
    }

    /** A control nobody listens to or cancels (a fresh one each time, so it is never shared by accident). */
    public static ActionControl none() {
        return new ActionControl();
    }

    /** A control to listen to and cancel an action with. */
    public static ActionControl create() {
        return new ActionControl();
    }

    /**
     * Adds a listener called on the action's thread after every committed batch. A listener that throws stops the
     * action after that batch (the report says so), so a broken display cannot keep an action running unseen.
     *
     * @return this control
     */
    public ActionControl onProgress(Consumer<ActionProgress> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Asks the action to stop before its next batch; the batch in progress, if any, completes. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Calls every listener; the first exception stops the calls and is thrown. */
    void publish(ActionProgress progress) {
        for (Consumer<ActionProgress> listener : listeners) {
            listener.accept(progress);
        }
    }
}
