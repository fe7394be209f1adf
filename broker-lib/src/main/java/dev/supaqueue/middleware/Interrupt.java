package dev.supaqueue.middleware;

/**
 * Why a middleware interrupted a running actor, as Dramatiq's {@code Interrupt}: the base of
 * {@link TimeLimitExceeded} and {@link Shutdown}. The worker reports it as the attempt's exception, with what the
 * actor threw (often an {@link InterruptedException}) as its cause. Like Dramatiq's, it is not a
 * {@link dev.supaqueue.SupaqueueException}: it is about the task, not the library.
 *
 * @see dev.supaqueue.worker.Worker#interrupt
 */
public class Interrupt extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public Interrupt(String message) {
        super(message);
    }
}
