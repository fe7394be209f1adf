package dev.supaqueue.middleware;

/**
 * Thrown from {@link Middleware#beforeProcessMessage} to skip the actor. The message is acknowledged unless
 * the middleware also marked it failed, in which case it is dead-lettered.
 */
public class SkipMessage extends MiddlewareException {

    private static final long serialVersionUID = 1L;

    public SkipMessage(String reason) {
        super(reason);
    }
}
