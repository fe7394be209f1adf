package dev.supaqueue.broker;

import java.time.Duration;

/** {@link Broker#join} gave up before the queue was drained. */
public class QueueJoinTimeoutException extends BrokerException {

    private static final long serialVersionUID = 1L;

    public QueueJoinTimeoutException(String queueName, Duration timeout) {
        super("Queue '" + queueName + "' was not drained within " + timeout.toMillis() + " ms");
    }
}
