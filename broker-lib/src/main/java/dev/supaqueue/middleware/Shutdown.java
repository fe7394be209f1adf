package dev.supaqueue.middleware;

/**
 * The attempt of an actor that opted into {@code notify_shutdown} and was running when its worker began to stop:
 * interrupted by {@link ShutdownNotifications}.
 */
public class Shutdown extends Interrupt {

    private static final long serialVersionUID = 1L;

    public Shutdown(String message) {
        super(message);
    }
}
