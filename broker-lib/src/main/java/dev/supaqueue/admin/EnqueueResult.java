package dev.supaqueue.admin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The messages an enqueue sent.
 *
 * @param queue   the pgmq queue
 * @param msgIds  the new messages' ids, in sending order
 * @param elapsed how long sending took
 */
public record EnqueueResult(String queue, List<Long> msgIds, Duration elapsed) {

    public EnqueueResult {
        Objects.requireNonNull(queue, "queue");
        msgIds = List.copyOf(msgIds);
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
