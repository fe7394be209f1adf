package dev.supaqueue.broker;

/** A queue was used before it was declared on the broker. */
public class QueueNotFoundException extends BrokerException {

    private static final long serialVersionUID = 1L;

    private final String queueName;

    public QueueNotFoundException(String queueName) {
        super("Queue '" + queueName + "' is not declared on this broker (declare an actor on it, or call declareQueue)");
        this.queueName = queueName;
    }

    public String queueName() {
        return queueName;
    }
}
