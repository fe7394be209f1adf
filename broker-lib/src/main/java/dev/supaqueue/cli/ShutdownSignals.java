package dev.supaqueue.cli;

import java.time.Duration;

/** How the worker command learns that it must stop; tests replace {@link JvmShutdownSignals}. */
interface ShutdownSignals {

    /**
     * Arranges for {@code stop} to run once when the process is asked to stop. {@code stop} blocks until the worker
     * has stopped and the broker is closed.
     */
    void onStop(Runnable stop, Duration shutdownTimeout);
}
