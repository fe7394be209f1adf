package dev.supaqueue.worker;

import dev.supaqueue.broker.QueueNames;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link Worker} runs: Dramatiq's {@code Worker(broker, queues=..., worker_threads=..., worker_timeout=...)}
 * plus the prefetch and the graceful-stop timeout. Immutable; build one with {@link #builder()} or take
 * {@link #defaults()}.
 *
 * @param queues          the queues to consume (canonical names, e.g. {@code default}); empty means every queue
 *                        declared on the broker, including those declared while the worker runs
 * @param workerThreads   how many messages run at once (Dramatiq's {@code worker_threads}, default 8)
 * @param prefetch        per queue, the most messages delivered to this worker and not yet settled — waiting in
 *                        memory or running (default {@code 2 × workerThreads}); it caps the in-flight messages
 * @param consumerTimeout how long one {@link dev.supaqueue.broker.Consumer#next()} waits for a message before the
 *                        consumer thread checks for pause and stop (Dramatiq's {@code worker_timeout}, default 1 s)
 * @param shutdownTimeout how long {@link Worker#stop()} lets running tasks finish (default 30 s)
 */
public record WorkerOptions(Set<String> queues, int workerThreads, int prefetch, Duration consumerTimeout,
                            Duration shutdownTimeout) {

    public static final int DEFAULT_WORKER_THREADS = 8;
    public static final Duration DEFAULT_CONSUMER_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /** Dramatiq caps prefetch at 65535 (RabbitMQ's limit); a cap also keeps a typo from draining a backlog. */
    public static final int MAX_PREFETCH = 65_535;

    /**
     * @throws IllegalArgumentException if a number is not positive, a duration is zero or negative, or a queue name
     *                                  is blank
     */
    public WorkerOptions {
        Objects.requireNonNull(queues, "queues must not be null (use an empty set for all queues)");
        Set<String> canonical = new LinkedHashSet<>();
        for (String queue : queues) {
            if (queue == null || queue.isBlank()) {
                throw new IllegalArgumentException("queues must not contain a null or blank name: " + queues);
            }
            // A Python producer's "q.DQ" means the queue "q", as with Dramatiq's whitelist.
            canonical.add(QueueNames.canonicalQueueName(queue.strip()));
        }
        queues = Set.copyOf(canonical);
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1, got " + workerThreads);
        }
        if (prefetch < 1 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between 1 and " + MAX_PREFETCH + ", got " + prefetch);
        }
        requirePositive(consumerTimeout, "consumerTimeout");
        requirePositive(shutdownTimeout, "shutdownTimeout");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name + " must not be null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    /** All queues, 8 threads, prefetch 16, 1 s consumer timeout, 30 s shutdown timeout. */
    public static WorkerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options (an explicit prefetch stays explicit). */
    public Builder toBuilder() {
        return new Builder().queues(queues).workerThreads(workerThreads).prefetch(prefetch)
                .consumerTimeout(consumerTimeout).shutdownTimeout(shutdownTimeout);
    }

    /** Whether the worker consumes this (canonical) queue. */
    public boolean consumes(String queueName) {
        return queues.isEmpty() || queues.contains(QueueNames.canonicalQueueName(queueName));
    }

    /** Builds {@link WorkerOptions}; unset values take the defaults, prefetch following {@code workerThreads}. */
    public static final class Builder {

        private Set<String> queues = Set.of();
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private Integer prefetch;
        private Duration consumerTimeout = DEFAULT_CONSUMER_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private Builder() {
        }

        /** The queue whitelist; none means every declared queue. */
        public Builder queues(String... queues) {
            return queues(Set.of(Objects.requireNonNull(queues, "queues")));
        }

        /** The queue whitelist; empty means every declared queue. */
        public Builder queues(Collection<String> queues) {
            // Null elements are reported by the record's constructor with a clearer message.
            this.queues = new LinkedHashSet<>(Objects.requireNonNull(queues, "queues"));
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        /** Overrides the default of {@code 2 × workerThreads}. */
        public Builder prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public Builder consumerTimeout(Duration consumerTimeout) {
            this.consumerTimeout = consumerTimeout;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** @throws IllegalArgumentException as the {@link WorkerOptions} constructor */
        public WorkerOptions build() {
            int effectivePrefetch = prefetch != null ? prefetch
                    : (int) Math.min(MAX_PREFETCH, Math.max(1L, 2L * workerThreads));
            return new WorkerOptions(queues, workerThreads, effectivePrefetch, consumerTimeout, shutdownTimeout);
        }
    }
}
