package dev.supaqueue.results;

/** A blocking get waited for its whole timeout and no result was stored. */
public class ResultTimeout extends ResultError {

    private static final long serialVersionUID = 1L;

    public ResultTimeout(String message) {
        super(message);
    }
}
