package dev.supaqueue.pgmq;

/**
 * Capabilities that appeared in a known pgmq version (the feature gates). {@link PgmqClient#supports} answers
 * them for the connected database.
 */
public enum PgmqFeature {

    /** A {@code headers jsonb} column; {@code send}/{@code send_batch} with headers. */
    HEADERS(1, 5, 0),
    /** {@code send}/{@code send_batch} with a {@code timestamptz} delay, hence millisecond delays. */
    TIMESTAMP_DELAY(1, 5, 0),
    /** {@code read(queue, vt, qty, conditional jsonb)}: a JSON containment filter on the body. */
    CONDITIONAL_READ(1, 5, 0),
    /** {@code metrics_result.queue_visible_length}. */
    QUEUE_VISIBLE_LENGTH(1, 5, 0),
    /** {@code pop} and {@code set_vt} timed by {@code clock_timestamp()} rather than the transaction start. */
    CLOCK_TIMESTAMP_VT(1, 5, 1),
    /** {@code drop_queue} returns false for a missing queue instead of raising; race-free create/drop. */
    DROP_RETURNS_FALSE(1, 6, 0),
    /** {@code pop(queue, qty)}. */
    POP_QTY(1, 7, 0),
    /** {@code enable_notify_insert} / {@code disable_notify_insert}. */
    NOTIFY_INSERT(1, 7, 0),
    /** {@code enable_notify_insert(queue, throttle_interval_ms)}. */
    NOTIFY_THROTTLE(1, 8, 0),
    /** {@code set_vt(queue, msg_ids bigint[], vt integer)}. */
    BATCH_SET_VT(1, 8, 0),
    /** {@code read_grouped*} (FIFO by header {@code x-pgmq-group}) and FIFO indexes. */
    GROUPED_READ(1, 9, 0),
    /** The {@code last_read_at} column (queues created after a 1.10.0 upgrade only from 1.10.1). */
    LAST_READ_AT(1, 10, 0),
    /** {@code set_vt(…, vt timestamptz)}, single and array, hence millisecond visibility changes. */
    TIMESTAMP_SET_VT(1, 10, 0),
    /** Topic bindings and {@code send_topic}. */
    TOPICS(1, 11, 0);

    private final PgmqVersion since;

    PgmqFeature(int major, int minor, int patch) {
        this.since = new PgmqVersion(major, minor, patch);
    }

    /** The first pgmq version with this feature. */
    public PgmqVersion since() {
        return since;
    }

    /** Whether a pgmq of the given version has this feature; false for a null (absent) version. */
    public boolean supportedBy(PgmqVersion version) {
        return version != null && version.compareTo(since) >= 0;
    }

    /**
     * Whether the installation has this feature, by its version or as an extra feature (see
     * {@link PgmqInstallation#extraFeatures()}); never true when pgmq is absent.
     */
    public boolean supportedBy(PgmqInstallation installation) {
        return installation != null && installation.supports(this);
    }
}
