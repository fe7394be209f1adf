package dev.supaqueue.actor;

import dev.supaqueue.SupaqueueException;

/** A message's JSON arguments do not fit the actor's Java parameters; the message fails with this reason. */
public class ArgumentBindingException extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    public ArgumentBindingException(String message) {
        super(message);
    }

    public ArgumentBindingException(String message, Throwable cause) {
        super(message, cause);
    }
}
