package dev.supaqueue.reliability.soak;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What happened to every message of a run, by sequence number, in arrays sized once at the start: the soak's own
 * bookkeeping must not grow the heap it watches. Thread-safe.
 */
final class SoakLedger {

    static final int UNSENT = 0;
    static final int PENDING = 1;
    static final int SUCCEEDED = 2;
    static final int DEAD = 3;
    static final int SEND_FAILED = 4;

    private final int capacity;
    private final AtomicIntegerArray state;
    private final AtomicIntegerArray attempts;
    private final AtomicLongArray sentAtNanos;

    final AtomicLong sent = new AtomicLong();
    final AtomicLong sendErrors = new AtomicLong();
    final AtomicLong attemptsStarted = new AtomicLong();
    final AtomicLong attemptsSucceeded = new AtomicLong();
    final AtomicLong attemptsFailed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong succeeded = new AtomicLong();
    /** A message that succeeded again, or was dead-lettered again (at-least-once delivery allows it). */
    final AtomicLong duplicates = new AtomicLong();
    /** A message that both succeeded and was dead-lettered: must never happen. */
    final AtomicLong contradictions = new AtomicLong();
    /** Deliveries pgmq counted more than once (a visibility timeout ran out). */
    final AtomicLong redeliveries = new AtomicLong();
    /** Delayed messages that started before their delay was over. */
    final AtomicLong startedEarly = new AtomicLong();
    /** Messages with a sequence number this run never sent (left over from another run, say). */
    final AtomicLong foreign = new AtomicLong();

    /** Enqueue to the start of the first attempt, for messages without a delay. */
    final LatencyHistogram startLatency = new LatencyHistogram();
    /** How long after its due time a delayed message started. */
    final LatencyHistogram delayedLateness = new LatencyHistogram();

    SoakLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.state = new AtomicIntegerArray(capacity);
        this.attempts = new AtomicIntegerArray(capacity);
        this.sentAtNanos = new AtomicLongArray(capacity);
    }

    int capacity() {
        return capacity;
    }

    boolean known(long seq) {
        return seq >= 0 && seq < capacity && state.get((int) seq) != UNSENT;
    }

    /** Called just before the enqueue, so that a worker fast enough to start it first finds it. */
    void sending(long seq) {
        sentAtNanos.set((int) seq, System.nanoTime());
        state.set((int) seq, PENDING);
    }

    void sent(long seq) {
        sent.incrementAndGet();
    }

    void sendFailed(long seq) {
        sendErrors.incrementAndGet();
        state.compareAndSet((int) seq, PENDING, SEND_FAILED);
    }

    long sentAtNanos(long seq) {
        return sentAtNanos.get((int) seq);
    }

    /** Counts an attempt; returns its number, 1 for the first. */
    int attemptStarted(long seq) {
        attemptsStarted.incrementAndGet();
        return attempts.incrementAndGet((int) seq);
    }

    void attemptEnded(boolean ok) {
        (ok ? attemptsSucceeded : attemptsFailed).incrementAndGet();
    }

    /** The actor of this message returned normally. */
    void succeededOnce(long seq) {
        settle(seq, SUCCEEDED);
    }

    /** The worker nacked this message to the dead-letter queue. */
    void deadLetteredOnce(long seq) {
        deadLettered.incrementAndGet();
        settle(seq, DEAD);
    }

    private void settle(long seq, int fate) {
        int i = (int) seq;
        while (true) {
            int now = state.get(i);
            if (now == PENDING || now == SEND_FAILED) {
                if (state.compareAndSet(i, now, fate)) {
                    if (fate == SUCCEEDED) {
                        succeeded.incrementAndGet();
                    }
                    return;
                }
            } else if (now == fate) {
                duplicates.incrementAndGet();
                return;
            } else {
                contradictions.incrementAndGet();
                return;
            }
        }
    }

    int state(long seq) {
        return state.get((int) seq);
    }

    int attempts(long seq) {
        return attempts.get((int) seq);
    }

    /** Counts of the final states over the first {@code issued} sequence numbers. */
    Tally tally(long issued, SoakTraffic traffic, int maxRetries) {
        long pending = 0;
        long ok = 0;
        long dead = 0;
        long sendFailed = 0;
        long offPlan = 0;
        long plannedRetries = 0;
        long plannedDead = 0;
        int limit = (int) Math.min(issued, capacity);
        for (int seq = 0; seq < limit; seq++) {
            int fate = state.get(seq);
            SoakTraffic.Kind kind = traffic.kind(seq);
            switch (fate) {
                case PENDING -> pending++;
                case SUCCEEDED -> ok++;
                case DEAD -> dead++;
                case SEND_FAILED -> sendFailed++;
                default -> {
                }
            }
            if (fate == SUCCEEDED || fate == DEAD || fate == PENDING) {
                plannedRetries += traffic.plannedRetries(seq, maxRetries);
                if (kind == SoakTraffic.Kind.DOOMED) {
                    plannedDead++;
                }
            }
            // A doomed message must end dead, every other one must end succeeded.
            if ((fate == SUCCEEDED && kind == SoakTraffic.Kind.DOOMED)
                    || (fate == DEAD && kind != SoakTraffic.Kind.DOOMED)) {
                offPlan++;
            }
        }
        return new Tally(pending, ok, dead, sendFailed, offPlan, plannedRetries, plannedDead);
    }

    /**
     * The final states: {@code pending} messages are lost (never settled), {@code offPlan} met another fate than
     * planned.
     */
    record Tally(long pending, long succeeded, long dead, long sendFailed, long offPlan, long plannedRetries,
                 long plannedDead) {
    }
}
