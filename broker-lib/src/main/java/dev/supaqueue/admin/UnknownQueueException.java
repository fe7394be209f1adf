package dev.supaqueue.admin;

import dev.supaqueue.pgmq.PgmqException;

/** The named pgmq queue does not exist (it is not in {@code pgmq.meta}). */
public class UnknownQueueException extends PgmqException {

    private static final long serialVersionUID = 1L;

    public UnknownQueueException(String operation, String queue) {
        super(operation, queue, "there is no pgmq queue named \"" + queue + "\" (names are case-sensitive;"
                + " list the queues to see what exists)");
    }
}
