package dev.supaqueue.admin;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.pgmq.PgmqQueueName;
import java.util.Objects;

/**
 * Where messages are looked at or acted on: a pgmq queue's live table ({@code q_<queue>}) or its archive
 * ({@code a_<queue>}). A dead-letter queue is a queue of its own ({@code <queue>_xq}), so its messages are
 * {@code MessageSource.deadLetters("app_emails")} = {@code MessageSource.queue("app_emails_xq")}.
 *
 * @param queue the pgmq queue name (with its namespace prefix), valid by pgmq's rules
 * @param area  the live table or the archive
 */
public record MessageSource(String queue, Area area) {

    /** A queue's two tables. */
    public enum Area {
        /** The live table {@code q_<queue>}: ready, in-flight and delayed messages. */
        QUEUE,
        /** The archive table {@code a_<queue>}: messages archived by {@code pgmq.archive}. */
        ARCHIVE
    }

    /**
     * @throws IllegalArgumentException if the queue name breaks pgmq's rules
     */
    public MessageSource {
        PgmqQueueName.validate(queue);
        Objects.requireNonNull(area, "area");
    }

    /** The live messages of a pgmq queue. */
    public static MessageSource queue(String queue) {
        return new MessageSource(queue, Area.QUEUE);
    }

    /** The archived messages of a pgmq queue. */
    public static MessageSource archive(String queue) {
        return new MessageSource(queue, Area.ARCHIVE);
    }

    /** The live messages of a queue's dead-letter queue {@code <queue>_xq}. */
    public static MessageSource deadLetters(String queue) {
        if (queue == null || queue.isEmpty()) {
            throw new IllegalArgumentException("Name the queue whose dead letters to look at; got "
                    + (queue == null ? "null" : "an empty name"));
        }
        return new MessageSource(queue + QueueNames.DEAD_LETTER_SUFFIX, Area.QUEUE);
    }

    /** Whether this is the archive. */
    public boolean isArchive() {
        return area == Area.ARCHIVE;
    }

    /** Whether the queue is a dead-letter queue (its name ends in {@code _xq}). */
    public boolean isDeadLetterQueue() {
        return QueueNames.isDeadLetter(queue);
    }

    /**
     * The queue a replay sends messages back to: the queue itself for its archive, the origin queue for a
     * dead-letter queue or its archive ({@code app_emails_xq} → {@code app_emails}).
     */
    public String originQueue() {
        return isDeadLetterQueue() ? queue.substring(0, queue.length() - QueueNames.DEAD_LETTER_SUFFIX.length())
                : queue;
    }

    @Override
    public String toString() {
        return area == Area.ARCHIVE ? queue + " (archive)" : queue;
    }
}
