package dev.supaqueue.actor;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.Consumer;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A broker that only records what is enqueued, so these tests depend on nothing but Broker itself. */
final class RecordingBroker extends Broker {

    /** Every option Dramatiq's default middleware (plus Results) understands. */
    static final Set<String> ALL_OPTIONS = Set.of("max_retries", "min_backoff", "max_backoff", "throws",
            "on_retry_exhausted", "time_limit", "max_age", "notify_shutdown", "store_results", "result_ttl",
            "on_success", "on_failure", "retry_when", "pipe_ignore");

    record Enqueued(Message message, Duration delay) {
    }

    final List<Enqueued> enqueued = new ArrayList<>();

    /** A broker whose middleware understands {@link #ALL_OPTIONS}. */
    RecordingBroker() {
        this(ALL_OPTIONS);
    }

    RecordingBroker(Set<String> actorOptions) {
        super(List.of(new Middleware() {
            @Override
            public Set<String> actorOptions() {
                return actorOptions;
            }
        }));
    }

    List<Message> messages() {
        return enqueued.stream().map(Enqueued::message).toList();
    }

    @Override
    protected void createQueue(String queueName) {
    }

    @Override
    protected synchronized Message store(Message message, Duration delay) {
        enqueued.add(new Enqueued(message, delay));
        return message;
    }

    @Override
    public Consumer consume(String queueName, int prefetch, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void flush(String queueName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void flushAll() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void join(String queueName, Duration timeout) {
        throw new UnsupportedOperationException();
    }
}
