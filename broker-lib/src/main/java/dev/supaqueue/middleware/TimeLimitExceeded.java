package dev.supaqueue.middleware;

/**
 * The attempt of an actor that ran longer than its {@code time_limit}: interrupted by {@link TimeLimit}, it is an
 * ordinary failure, so {@code Retries} applies.
 */
public class TimeLimitExceeded extends Interrupt {

    private static final long serialVersionUID = 1L;

    public TimeLimitExceeded(String message) {
        super(message);
    }
}
