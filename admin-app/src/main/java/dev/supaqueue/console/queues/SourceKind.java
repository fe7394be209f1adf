package dev.supaqueue.console.queues;

/** Which of a queue's message tables the table shows. */
public enum SourceKind {
    /** The queue's live messages. */
    QUEUE,
    /** The live messages of its dead-letter queue {@code <queue>_xq}. */
    DEAD_LETTERS,
    /** Its archive. */
    ARCHIVE
}
