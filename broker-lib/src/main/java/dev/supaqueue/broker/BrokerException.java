package dev.supaqueue.broker;

import dev.supaqueue.SupaqueueException;

/** A broker could not do what was asked. */
public class BrokerException extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
