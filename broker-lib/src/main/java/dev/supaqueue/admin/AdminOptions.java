package dev.supaqueue.admin;

import dev.supaqueue.broker.QueueNames;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a {@link QueueAdmin} behaves. Immutable; start from {@link #defaults()} or {@link #builder()}.
 *
 * @param readOnly            refuse every change before it reaches the database
 * @param countCap            counts stop at this many rows per queue and state, and are then reported as a lower
 *                            bound or an estimate, so a refresh stays fast on huge queues
 * @param namespaces          known namespaces: a queue {@code <ns>_<name>} is grouped under the longest known
 *                            namespace that prefixes it
 * @param inferNamespaces     whether to group queues of unknown namespaces by their first {@code _}-separated word
 *                            when two or more queues share it
 * @param batchSize           messages per transaction in bulk actions
 * @param batchPause          pause between two batches of a bulk action, to leave the database room for workers
 * @param payloadPreviewChars browsed payloads longer than this many characters are cut (and marked so); fetch
 *                            one message to see all of it
 * @param queryTimeout        the longest a single inspection statement may run before it is cancelled
 */
public record AdminOptions(boolean readOnly, long countCap, Set<String> namespaces, boolean inferNamespaces,
                           int batchSize, Duration batchPause, int payloadPreviewChars, Duration queryTimeout) {

    public static final long DEFAULT_COUNT_CAP = 100_000;
    public static final int DEFAULT_BATCH_SIZE = 500;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final int DEFAULT_PAYLOAD_PREVIEW_CHARS = 64 * 1024;
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public AdminOptions {
        if (countCap < 1) {
            throw new IllegalArgumentException("countCap must be at least 1, got " + countCap);
        }
        Objects.requireNonNull(namespaces, "namespaces");
        TreeSet<String> checked = new TreeSet<>();
        for (String namespace : namespaces) {
            if (namespace == null || namespace.isEmpty()) {
                throw new IllegalArgumentException("A known namespace must not be empty (queues without a"
                        + " namespace are listed anyway)");
            }
            checked.add(QueueNames.validateNamespace(namespace));
        }
        namespaces = Set.copyOf(checked);
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", got "
                    + batchSize);
        }
        Objects.requireNonNull(batchPause, "batchPause");
        if (batchPause.isNegative()) {
            throw new IllegalArgumentException("batchPause must not be negative, got " + batchPause);
        }
        if (payloadPreviewChars < 16) {
            throw new IllegalArgumentException("payloadPreviewChars must be at least 16, got " + payloadPreviewChars);
        }
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive, got " + queryTimeout);
        }
    }

    /** Read-write, counts capped at 100,000, namespaces inferred, batches of 500 without pause, 64 KiB previews. */
    public static AdminOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().readOnly(readOnly).countCap(countCap).namespaces(namespaces)
                .inferNamespaces(inferNamespaces).batchSize(batchSize).batchPause(batchPause)
                .payloadPreviewChars(payloadPreviewChars).queryTimeout(queryTimeout);
    }

    /** These options, read-only. */
    public AdminOptions asReadOnly() {
        return toBuilder().readOnly(true).build();
    }

    /** Builds {@link AdminOptions}; every setter returns the builder. */
    public static final class Builder {
        private boolean readOnly;
        private long countCap = DEFAULT_COUNT_CAP;
        private Set<String> namespaces = Set.of();
        private boolean inferNamespaces = true;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration batchPause = Duration.ZERO;
        private int payloadPreviewChars = DEFAULT_PAYLOAD_PREVIEW_CHARS;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;

        private Builder() {
        }

        public Builder readOnly(boolean value) {
            this.readOnly = value;
            return this;
        }

        public Builder countCap(long value) {
            this.countCap = value;
            return this;
        }

        public Builder namespaces(Set<String> value) {
            this.namespaces = Objects.requireNonNull(value, "namespaces");
            return this;
        }

        public Builder namespaces(String... value) {
            return namespaces(Set.of(value));
        }

        public Builder inferNamespaces(boolean value) {
            this.inferNamespaces = value;
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder batchPause(Duration value) {
            this.batchPause = value;
            return this;
        }

        public Builder payloadPreviewChars(int value) {
            this.payloadPreviewChars = value;
            return this;
        }

        public Builder queryTimeout(Duration value) {
            this.queryTimeout = value;
            return this;
        }

        public AdminOptions build() {
            return new AdminOptions(readOnly, countCap, namespaces, inferNamespaces, batchSize, batchPause,
                    payloadPreviewChars, queryTimeout);
        }
    }
}
