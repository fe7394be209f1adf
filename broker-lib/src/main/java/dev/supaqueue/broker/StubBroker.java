package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageEncoder;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.middleware.Middleware;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory broker for unit tests, as Dramatiq's {@code StubBroker}, with the semantics of the pgmq broker.
 * Thread-safe.
 *
 * <ul>
 *   <li>Messages are stored as the bytes of the broker's {@link MessageEncoder}, by default the JSON of
 *       {@link MessageCodec}, so an argument that cannot travel (NaN, NUL, ...) fails at enqueue exactly as in
 *       production, and consumers get decoded copies. A body the encoder cannot decode is dead-lettered and
 *       skipped; {@code join(queue, timeout, true)} rethrows its {@link dev.supaqueue.message.MessageDecodeException}.
 *       Any encoder works here, unlike on {@link SupabaseBroker}, which needs JSON.</li>
 *   <li>A delayed message becomes visible after its delay, never earlier. Visible messages are delivered by
 *       (visible time, enqueue order); a requeued message keeps its place.</li>
 *   <li>A consumer never has more than {@code prefetch} messages outstanding (delivered, not acked, nacked or
 *       requeued), and a message is outstanding on one consumer at a time. Each delivery has a new id; the
 *       delivery count counts the deliveries of the message.</li>
 *   <li>{@code nack} moves the message to the queue's dead letters, kept (with the proxy's exception) until
 *       {@link #flushAll()}.</li>
 *   <li>{@link #flush(String)} drops ready, delayed and outstanding messages, as pgmq's {@code purge_queue};
 *       settling a dropped delivery afterwards does nothing.</li>
 * </ul>
 *
 * <p>Typical test: declare actors, send messages, run a worker, then {@code broker.join(queue, timeout, true)}
 * to wait for the queue to drain and rethrow the first failure.
 */
public class StubBroker extends Broker {

    private final MessageEncoder encoder;
    private final ConcurrentMap<String, StubQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong deliveryIds = new AtomicLong();
    /** The clock's zero, so that visibility times are small and compare without overflow. */
    private final long origin = System.nanoTime();

    /**
     * A stub broker without middleware (unlike Dramatiq's, whose stub gets the defaults): unit tests stay
     * deterministic, without retries or time limits they did not ask for. See {@link #withDefaultMiddleware()}.
     */
    public StubBroker() {
        this(List.of());
    }

    /** @param middleware the middleware, in order; {@code null} for the defaults, an empty list for none */
    public StubBroker(List<? extends Middleware> middleware) {
        this(middleware, new MessageCodec());
    }

    /**
     * @param middleware the middleware, in order; {@code null} for the defaults, an empty list for none
     * @param encoder    how messages are stored; any bytes, JSON or not
     */
    public StubBroker(List<? extends Middleware> middleware, MessageEncoder encoder) {
        super(middleware);
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** How this broker encodes and decodes messages. */
    public MessageEncoder encoder() {
        return encoder;
    }

    /** A stub broker with new instances of the default middleware ({@link DefaultMiddleware#create()}). */
    public static StubBroker withDefaultMiddleware() {
        return new StubBroker(DefaultMiddleware.create());
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    /** The queue of a declared name; never creates one. */
    private StubQueue queue(String queueName) {
        Objects.requireNonNull(queueName, "queueName");
        StubQueue queue = queues.get(queueName);
        if (queue == null) {
            throw new QueueNotFoundException(queueName);
        }
        return queue;
    }

    @Override
    protected void createQueue(String queueName) {
        queues.computeIfAbsent(queueName, name -> new StubQueue(name, this::now, deliveryIds::incrementAndGet));
    }

    /**
     * Stores the encoded message on its canonical queue (Dramatiq's {@code .DQ} / {@code .XQ} suffix dropped).
     *
     * @throws IllegalArgumentException if the encoder cannot encode the message
     */
    @Override
    protected Message store(Message message, Duration delay) {
        String name = QueueNames.canonicalQueueName(message.queueName());
        StubQueue queue = queue(name);
        Message stored = name.equals(message.queueName()) ? message : message.withQueueName(name);
        byte[] body;
        try {
            body = encoder.encodeBytes(stored);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot enqueue message " + stored.messageId() + " of actor '"
                    + stored.actorName() + "' on queue '" + name + "': " + e.getMessage(), e);
        }
        Objects.requireNonNull(body, "the encoder returned null");
        queue.put(body, StubQueue.toNanos(delay));
        return stored;
    }

    /**
     * @param prefetch at least 1
     * @param timeout  how long {@link Consumer#next()} waits; zero to only look
     * @throws QueueNotFoundException if the queue is not declared
     */
    @Override
    public Consumer consume(String queueName, int prefetch, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return new StubConsumer(queue(queueName), encoder, prefetch, StubQueue.toNanos(timeout));
    }

    /** Drops the ready, delayed and outstanding messages of a queue; keeps its dead letters. */
    @Override
    public void flush(String queueName) {
        queue(queueName).flush();
    }

    /** Drops every message and every dead letter of every queue; open consumers keep working. */
    @Override
    public void flushAll() {
        for (StubQueue queue : queues.values()) {
            queue.flushAll();
        }
    }

    /**
     * Waits until the queue has no ready, delayed or outstanding message; does not look at dead letters (see
     * {@link #join(String, Duration, boolean)}).
     *
     * @param timeout null to wait for ever
     * @throws QueueNotFoundException    if the queue is not declared
     * @throws QueueJoinTimeoutException if messages remain after the timeout
     */
    @Override
    public void join(String queueName, Duration timeout) throws InterruptedException {
        join(queueName, timeout, false);
    }

    /**
     * As {@link #join(String, Duration)}; with {@code failFast}, once the queue is drained, rethrows the exception of
     * the first message of this queue that was dead-lettered with one since the last flush, as Dramatiq's
     * {@code join(fail_fast=True)}: an unchecked exception as it is, a checked one wrapped in a
     * {@link BrokerException}. If the join times out, that exception is attached to the
     * {@link QueueJoinTimeoutException} as a suppressed exception.
     */
    public void join(String queueName, Duration timeout, boolean failFast) throws InterruptedException {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        queue(queueName).join(timeout, failFast);
    }

    /** The dead letters of a queue, oldest first (a snapshot). */
    public List<Message> deadLetters(String queueName) {
        return queue(queueName).deadLetters();
    }

    /** How many messages wait in a queue, ready or delayed (not those delivered and outstanding). */
    public int queueSize(String queueName) {
        return queue(queueName).size();
    }
}
