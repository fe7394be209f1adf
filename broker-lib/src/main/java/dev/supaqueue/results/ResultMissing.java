package dev.supaqueue.results;

/** A non-blocking get found no result (not stored yet, expired, or never stored). */
public class ResultMissing extends ResultError {

    private static final long serialVersionUID = 1L;

    public ResultMissing(String message) {
        super(message);
    }
}
