package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import java.util.Map;
import java.util.Objects;

/**
 * A message as delivered by a {@link Consumer}: the message itself plus what the broker needs to
 * acknowledge it, and the processing state that middleware reads and writes (failed, exception).
 *
 * <p>One worker thread handles a proxy at a time; fields are volatile because the consumer thread that
 * created it and the worker thread that runs it differ.
 */
public final class MessageProxy {

    private final long deliveryId;
    private final int deliveryCount;
    private volatile Message message;
    private volatile boolean failed;
    private volatile Throwable exception;

    /**
     * @param deliveryId    the broker's id for this delivery (pgmq's {@code msg_id}); used to ack, nack and extend it
     * @param deliveryCount how many times the broker has delivered it, this time included (pgmq's {@code read_ct})
     */
    public MessageProxy(Message message, long deliveryId, int deliveryCount) {
        this.message = Objects.requireNonNull(message, "message");
        this.deliveryId = deliveryId;
        this.deliveryCount = deliveryCount;
    }

    public Message message() {
        return message;
    }

    /** Merges options into the message (new keys win), as Retries does with {@code retries} and {@code traceback}. */
    public void updateOptions(Map<String, Object> options) {
        message = message.withOptions(options);
    }

    public long deliveryId() {
        return deliveryId;
    }

    public int deliveryCount() {
        return deliveryCount;
    }

    public String actorName() {
        return message.actorName();
    }

    public String queueName() {
        return message.queueName();
    }

    public String messageId() {
        return message.messageId();
    }

    /** Marks the message failed: after processing it is dead-lettered instead of acknowledged. */
    public void fail() {
        failed = true;
    }

    public boolean failed() {
        return failed;
    }

    /** Keeps the exception of the last attempt for middleware that reports it (results, callbacks). */
    public void stuffException(Throwable exception) {
        this.exception = exception;
    }

    /** Drops the exception so that nothing keeps it (and what it references) alive after processing. */
    public void clearException() {
        this.exception = null;
    }

    /** The exception of the last attempt, or null. */
    public Throwable exception() {
        return exception;
    }

    @Override
    public String toString() {
        return "MessageProxy[" + message.actorName() + " " + message.messageId() + " delivery " + deliveryId
                + " #" + deliveryCount + (failed ? " failed" : "") + "]";
    }
}
