package dev.supaqueue.broker;

/** The broker's backing store could not be reached (after the configured retries). */
public class BrokerConnectionException extends BrokerException {

    private static final long serialVersionUID = 1L;

    public BrokerConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
