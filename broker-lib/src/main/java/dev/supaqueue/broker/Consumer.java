package dev.supaqueue.broker;

import java.util.Collection;
import java.util.Optional;

/**
 * Delivers the messages of one queue to one worker. One thread (the worker's consumer thread) calls
 * {@link #next()}; {@link #ack}, {@link #nack}, {@link #requeue} and {@link #close} are safe from any thread.
 *
 * <p>At most {@code prefetch} messages are delivered and not yet acked, nacked or requeued at any time; when that
 * many are out, {@code next()} waits for a slot (up to its timeout). Brokers with a visibility timeout keep the
 * messages a consumer holds alive on their own, whether or not {@code next()} is being called.
 */
public interface Consumer extends AutoCloseable {

    /**
     * The next message, waiting up to the consumer's timeout; empty when none arrived in that time (or when
     * {@code prefetch} messages are already outstanding), so that the caller can check for shutdown.
     */
    Optional<MessageProxy> next() throws InterruptedException;

    /** Done: removes (or archives) the message. Safe to call from any thread. */
    void ack(MessageProxy message);

    /** Failed for good: moves the message to the dead-letter queue with its failure. Safe from any thread. */
    void nack(MessageProxy message);

    /** Gives delivered but unprocessed messages back to the queue at once (no wait for a timeout). */
    void requeue(Collection<MessageProxy> messages);

    /**
     * Stops delivering and gives back at once the messages read but never handed out. Messages handed out and not
     * yet settled are either given back too (in-memory brokers) or left hidden until their visibility timeout
     * lapses (pgmq), so that a task still running is not started twice at once: close a consumer after its tasks
     * have ended.
     */
    @Override
    void close();
}
