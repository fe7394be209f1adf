package dev.supaqueue;

/**
 * The root of Supaqueue's own exceptions, so that callers can catch everything the library raises about its
 * messages, brokers and workers in one place. Unchecked: most of these describe bad input or a broken
 * environment that the immediate caller cannot repair.
 */
public class SupaqueueException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SupaqueueException(String message) {
        super(message);
    }

    public SupaqueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
