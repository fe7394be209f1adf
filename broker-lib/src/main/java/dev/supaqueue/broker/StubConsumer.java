package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link StubBroker} consumer of one queue. Its state ({@link #outstanding}, {@link #closed}) is guarded by the
 * queue's lock, so ack, nack, requeue and close are safe from any thread.
 */
final class StubConsumer implements Consumer {

    private final StubQueue queue;
    private final MessageCodec codec;
    private final long timeoutNanos;
    final int prefetch;

    /** Delivered and not yet acked, nacked or requeued; guarded by the queue's lock. */
    int outstanding;
    /** Guarded by the queue's lock. */
    boolean closed;

    StubConsumer(StubQueue queue, MessageCodec codec, int prefetch, long timeoutNanos) {
        this.queue = queue;
        this.codec = codec;
        this.prefetch = prefetch;
        this.timeoutNanos = timeoutNanos;
    }

    /** Empty after the timeout, and at once when the consumer is closed. */
    @Override
    public Optional<MessageProxy> next() throws InterruptedException {
        StubQueue.Delivery delivery = queue.take(this, timeoutNanos);
        if (delivery == null) {
            return Optional.empty();
        }
        // Cannot fail: the broker stored what the same codec encoded.
        Message message = codec.decode(delivery.json());
        return Optional.of(new MessageProxy(message, delivery.deliveryId(), delivery.deliveryCount()));
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
