package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue of a {@link SupabaseBroker}.
 *
 * <p>In flight (read from pgmq and not yet acked, nacked or requeued — buffered here or running on a worker)
 * is capped at {@code prefetch}: a read asks for the free slots only, so a backlog stays in the database. The
 * broker's heartbeat extends the visibility of every in-flight id, so a long task is not redelivered while
 * this process lives; if it dies, its messages reappear after the visibility timeout.
 */
final class PgmqConsumer implements Consumer {

    private static final Logger log = LoggerFactory.getLogger(PgmqConsumer.class);

    private static final long MIN_POLL_MILLIS = 20;
    /** pgmq reads cost one statement whatever the size; more than this per read only delays the first task. */
    private static final int MAX_READ = 100;

    private final SupabaseBroker broker;
    private final PgmqClient client;
    private final String queueName;
    private final String pgmqQueue;
    private final int prefetch;
    private final long timeoutMillis;
    private final QueueWakeup wakeup;

    private final Deque<MessageProxy> buffer = new ArrayDeque<>();
    private final Map<Long, MessageProxy> inFlight = new ConcurrentHashMap<>();
    private long pollMillis = MIN_POLL_MILLIS;
    private volatile boolean closed;

    PgmqConsumer(SupabaseBroker broker, String queueName, int prefetch, Duration timeout, QueueWakeup wakeup) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.broker = broker;
        this.client = broker.client();
        this.queueName = queueName;
        this.pgmqQueue = broker.pgmqQueue(queueName);
        this.prefetch = prefetch;
        this.timeoutMillis = Math.max(0, timeout.toMillis());
        this.wakeup = wakeup;
    }

    String queueName() {
        return queueName;
    }

    String pgmqQueue() {
        return pgmqQueue;
    }

    /** Ids read and not yet settled, for the heartbeat. */
    List<Long> inFlightIds() {
        return new ArrayList<>(inFlight.keySet());
    }

    @Override
    public Optional<MessageProxy> next() throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!closed) {
            MessageProxy buffered;
            synchronized (buffer) {
                buffered = buffer.pollFirst();
            }
            if (buffered != null) {
                return Optional.of(buffered);
            }
            int free = prefetch - inFlight.size();
            if (free > 0 && readInto(Math.min(free, MAX_READ))) {
                pollMillis = MIN_POLL_MILLIS;
                continue;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                return Optional.empty();
            }
            // Idle: back off up to the maximum poll interval; a NOTIFY or a freed slot wakes us earlier.
            boolean woke = wakeup.await(Math.min(pollMillis, remaining));
            if (!woke) {
                pollMillis = Math.min(pollMillis * 2, broker.settings().maxPollInterval().toMillis());
            }
        }
        // Closed (e.g. its broker was closed under a running worker): still wait out the timeout, so that a caller
        // polling next() in a loop idles instead of spinning a CPU core.
        long remaining = deadline - System.nanoTime();
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
        return Optional.empty();
    }

    /** Reads up to {@code qty} messages into the buffer; returns whether any arrived. */
    private boolean readInto(int qty) {
        List<PgmqMessage> rows;
        try {
            rows = client.read(pgmqQueue, broker.settings().visibilityTimeoutSeconds(), qty);
        } catch (PgmqException e) {
            throw broker.translate("read from " + pgmqQueue, e);
        }
        boolean any = false;
        for (PgmqMessage row : rows) {
            Message message;
            try {
                message = broker.decode(row.message());
            } catch (MessageDecodeException e) {
                // Never lost, never fatal: it goes to the dead letters with the reason.
                log.error("Message {} on {} cannot be decoded ({}); moving it to the dead letters", row.msgId(),
                        pgmqQueue, e.getMessage());
                try {
                    broker.deadLetterUndecodable(queueName, row, e.getMessage());
                } catch (RuntimeException failure) {
                    // One bad row must not strand the rest of its batch: this one comes back after the timeout.
                    log.error("Could not dead-letter message {} on {}; it reappears after the visibility timeout",
                            row.msgId(), pgmqQueue, failure);
                }
                continue;
            }
            Optional<Instant> eta = futureEta(message, row.msgId());
            if (eta.isPresent()) {
                // Produced with a Dramatiq eta (e.g. by Python) that pgmq's delay did not cover: hide it until then.
                Duration untilDue = Duration.between(Instant.now(), eta.get());
                try {
                    client.setVt(pgmqQueue, row.msgId(), untilDue.isNegative() ? Duration.ZERO : untilDue);
                } catch (RuntimeException failure) {
                    log.warn("Could not postpone message {} on {} to its eta ({}); it reappears after the visibility"
                            + " timeout", row.msgId(), pgmqQueue, failure.getMessage());
                }
                continue;
            }
            MessageProxy proxy = new MessageProxy(message, row.msgId(), row.readCt());
            inFlight.put(row.msgId(), proxy);
            synchronized (buffer) {
                buffer.addLast(proxy);
            }
            any = true;
        }
        return any;
    }

    private Optional<Instant> futureEta(Message message, long msgId) {
        Object eta = message.options().get("eta");
        if (eta == null) {
            return Optional.empty();
        }
        if (!(eta instanceof Number number)) {
            log.warn("Message {} on {} has a non-numeric eta {}; running it now", msgId, pgmqQueue, eta);
            return Optional.empty();
        }
        Instant due = Instant.ofEpochMilli(number.longValue());
        return due.isAfter(Instant.now().plusMillis(50)) ? Optional.of(due) : Optional.empty();
    }

    @Override
    public void ack(MessageProxy message) {
        if (inFlight.remove(message.deliveryId()) == null) {
            log.debug("Ack of {} that is not in flight here; ignored", message);
            return;
        }
        try {
            broker.settle(queueName, message.deliveryId());
        } finally {
            wakeup.signal();
        }
    }

    @Override
    public void nack(MessageProxy message) {
        if (inFlight.remove(message.deliveryId()) == null) {
            log.debug("Nack of {} that is not in flight here; ignored", message);
            return;
        }
        try {
            broker.deadLetter(queueName, message);
        } finally {
            wakeup.signal();
        }
    }

    @Override
    public void requeue(Collection<MessageProxy> messages) {
        List<Long> ids = new ArrayList<>();
        synchronized (buffer) {
            for (MessageProxy message : messages) {
                buffer.remove(message);
                if (inFlight.remove(message.deliveryId()) != null) {
                    ids.add(message.deliveryId());
                }
            }
        }
        broker.makeVisible(queueName, ids);
        wakeup.signal();
    }

    /**
     * Stops consuming and gives the buffered (never started) messages back at once. Messages handed to workers
     * and not settled stay hidden until their visibility timeout lapses, so a task still running elsewhere is
     * not started twice right away.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<MessageProxy> unstarted;
        synchronized (buffer) {
            unstarted = new ArrayList<>(buffer);
            buffer.clear();
        }
        try {
            requeue(unstarted);
        } finally {
            broker.forget(this);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
