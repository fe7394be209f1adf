package dev.supaqueue.console.workers;

/** The embedded worker's life. */
public enum WorkerState {
    STOPPED,
    STARTING,
    RUNNING,
    STOPPING
}
