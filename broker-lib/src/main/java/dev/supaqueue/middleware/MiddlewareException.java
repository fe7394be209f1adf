package dev.supaqueue.middleware;

import dev.supaqueue.SupaqueueException;

/** Thrown by a middleware hook on purpose; unlike other hook failures it is not swallowed. */
public class MiddlewareException extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    public MiddlewareException(String message) {
        super(message);
    }

    public MiddlewareException(String message, Throwable cause) {
        super(message, cause);
    }
}
