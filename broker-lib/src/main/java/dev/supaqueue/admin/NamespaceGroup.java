package dev.supaqueue.admin;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The queues of one namespace in the queue list, sorted by name.
 *
 * @param namespace the namespace, {@code ""} for the queues outside any namespace
 * @param queues    its queues, sorted by pgmq name
 */
public record NamespaceGroup(String namespace, List<QueueSummary> queues) {

    public NamespaceGroup {
        Objects.requireNonNull(namespace, "namespace");
        queues = List.copyOf(queues);
    }

    /** Whether this is the group of queues outside any namespace. */
    public boolean isUnnamespaced() {
        return namespace.isEmpty();
    }

    /** Ready messages over the group's queues. */
    public Count totalReady() {
        return total(QueueSummary::ready);
    }

    /** In-flight messages over the group's queues. */
    public Count totalInFlight() {
        return total(QueueSummary::inFlight);
    }

    /** Delayed messages over the group's queues. */
    public Count totalDelayed() {
        return total(QueueSummary::delayed);
    }

    /** Live messages over the group's queues. */
    public Count totalLength() {
        return total(QueueSummary::length);
    }

    /** Archived messages over the group's queues. */
    public Count totalArchived() {
        return total(QueueSummary::archived);
    }

    /** Dead letters over the group's queues that have a dead-letter queue. */
    public Count totalDeadLetters() {
        return total(QueueSummary::deadLetters);
    }

    private Count total(Function<QueueSummary, Count> count) {
        return sum(queues.stream().map(count).toList());
    }

    /**
     * The sum of counts, as trustworthy as the least trustworthy part: exact only when all are exact, an estimate
     * when any is an estimate, else a lower bound. Null counts (a queue without dead-letter queue) are skipped;
     * the sum of nothing is an exact 0.
     */
    static Count sum(List<Count> counts) {
        long value = 0;
        Count.Precision precision = Count.Precision.EXACT;
        for (Count count : counts) {
            if (count == null) {
                continue;
            }
            value += count.value();
            precision = weaker(precision, count.precision());
        }
        return new Count(value, precision);
    }

    private static Count.Precision weaker(Count.Precision a, Count.Precision b) {
        if (a == Count.Precision.ESTIMATE || b == Count.Precision.ESTIMATE) {
            return Count.Precision.ESTIMATE;
        }
        if (a == Count.Precision.AT_LEAST || b == Count.Precision.AT_LEAST) {
            return Count.Precision.AT_LEAST;
        }
        return Count.Precision.EXACT;
    }
}
