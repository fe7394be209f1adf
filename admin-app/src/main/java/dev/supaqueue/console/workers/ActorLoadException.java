package dev.supaqueue.console.workers;

/** Actors could not be loaded from a jar or folder; the message says why, in words for the user. */
public final class ActorLoadException extends Exception {

    ActorLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    ActorLoadException(String message) {
        super(message);
    }
}
