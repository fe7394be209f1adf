package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.message.MessageEncoder;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StubBroker} consumer of one queue. Its state ({@link #outstanding}, {@link #closed}) is guarded by the
 * queue's lock, so ack, nack, requeue and close are safe from any thread.
 */
final class StubConsumer implements Consumer {

    private static final Logger log = LoggerFactory.getLogger(StubConsumer.class);

    private final StubQueue queue;
    private final MessageEncoder encoder;
    private final long timeoutNanos;
    final int prefetch;

    /** Delivered and not yet acked, nacked or requeued; guarded by the queue's lock. */
    int outstanding;
    /** Guarded by the queue's lock. */
    boolean closed;

    StubConsumer(StubQueue queue, MessageEncoder encoder, int prefetch, long timeoutNanos) {
        this.queue = queue;
        this.encoder = encoder;
        this.prefetch = prefetch;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Empty after the timeout, and at once when the consumer is closed. A body the encoder cannot decode is
     * dead-lettered and skipped, as on pgmq.
     */
    @Override
    public Optional<MessageProxy> next() throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            // Skipping an undecodable body must not extend the caller's timeout.
            long remaining = Math.max(0, timeoutNanos - (System.nanoTime() - start));
            StubQueue.Delivery delivery = queue.take(this, remaining);
            if (delivery == null) {
                return Optional.empty();
            }
            Message message;
            try {
                message = decode(delivery.body());
            } catch (MessageDecodeException e) {
                log.error("Message body on queue '{}' cannot be decoded ({}); moving it to the dead letters",
                        queue.name, e.getMessage());
                queue.deadLetterUndecodable(this, delivery.deliveryId(), e);
                continue;
            }
            return Optional.of(new MessageProxy(message, delivery.deliveryId(), delivery.deliveryCount()));
        }
    }

    private Message decode(byte[] body) {
        try {
            return encoder.decode(body);
        } catch (MessageDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            // A custom encoder that breaks its contract must not kill the worker's consumer thread.
            throw new MessageDecodeException(encoder.getClass().getName() + " failed: " + e, null, e);
        }
    }

    @Override
    public void ack(MessageProxy message) {
        queue.ack(this, message);
    }

    @Override
    public void nack(MessageProxy message) {
        queue.nack(this, message);
    }

    @Override
    public void requeue(Collection<MessageProxy> messages) {
        Objects.requireNonNull(messages, "messages");
        queue.requeue(this, messages);
    }

    /** Idempotent. */
    @Override
    public void close() {
        queue.close(this);
    }

    @Override
    public String toString() {
        return "StubConsumer[" + queue.name + ", prefetch " + prefetch + "]";
    }
}
