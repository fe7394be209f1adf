package dev.supaqueue.broker;

import java.util.Comparator;

/**
 * One stored message of a {@link StubQueue}: its encoded body, when it becomes visible, and its place in enqueue order.
 * The delivery count is guarded by the queue's lock.
 */
final class StubEntry {

    /** Delivery order: earliest visible first, then first enqueued. */
    static final Comparator<StubEntry> ORDER =
            Comparator.comparingLong((StubEntry e) -> e.visibleAt).thenComparingLong(e -> e.sequence);

    final long sequence;
    final byte[] body;
    /** Nanoseconds on the broker's clock; kept on requeue so that a requeued message keeps its place. */
    final long visibleAt;
    int deliveryCount;

    StubEntry(long sequence, byte[] body, long visibleAt) {
        this.sequence = sequence;
        this.body = body;
        this.visibleAt = visibleAt;
    }
}
