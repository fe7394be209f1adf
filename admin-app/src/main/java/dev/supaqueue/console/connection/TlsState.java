package dev.supaqueue.console.connection;

/** Whether the tested connection was encrypted. */
public enum TlsState {
    IN_USE, NOT_IN_USE, UNKNOWN
}
