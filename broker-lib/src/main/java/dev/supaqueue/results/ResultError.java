package dev.supaqueue.results;

import dev.supaqueue.SupaqueueException;

/** The root of the errors about stored results (Dramatiq's {@code ResultError}). */
public class ResultError extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    public ResultError(String message) {
        super(message);
    }

    public ResultError(String message, Throwable cause) {
        super(message, cause);
    }
}
