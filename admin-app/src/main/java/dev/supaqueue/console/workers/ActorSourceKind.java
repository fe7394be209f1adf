package dev.supaqueue.console.workers;

/** Where the embedded worker's actors come from. */
public enum ActorSourceKind {
    /** The built-in {@link HarnessActors}. */
    HARNESS,
    /** The user's {@link dev.supaqueue.actor.ActorProvider}s from a jar or classes folder. */
    USER
}
