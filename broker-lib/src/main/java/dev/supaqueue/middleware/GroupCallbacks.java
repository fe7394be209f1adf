package dev.supaqueue.middleware;

import dev.supaqueue.SupaqueueException;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.ratelimits.Barrier;
import dev.supaqueue.ratelimits.PostgresRateLimiterBackend;
import dev.supaqueue.ratelimits.RateLimiterBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a group's completion callbacks once all of its children have succeeded, as Dramatiq's
 * {@code GroupCallbacks} middleware. Not one of the defaults: add it to the broker that runs the group (whose
 * {@code run()} creates the barrier) and to every worker's broker.
 *
 * <p>{@code dev.supaqueue.composition.Group#run()} creates a {@link Barrier} named by a fresh uuid for as many
 * parties as the group has children, and gives each child (the last message of a child pipeline) the options
 * {@value #GROUP_COMPLETION_UUID} and {@value #GROUP_COMPLETION_CALLBACKS} (the callbacks as message dicts). When
 * such a message succeeds, this middleware arrives at the barrier without waiting; the arrival that clears it
 * enqueues the callbacks. The barrier lives in the {@link RateLimiterBackend}: with a
 * {@link PostgresRateLimiterBackend} exactly one arrival clears it, whichever process or machine runs the children.
 *
 * <p>A failed child never arrives, so the callbacks of a group with a failed child never run. A child delivered
 * again after it succeeded (its worker died before the acknowledgement) arrives again, which may clear the barrier
 * before the last child finishes; the callbacks still run only once.
 *
 * <p>After hooks run in the reverse order of the middleware list: put this middleware <em>before</em>
 * {@code Results} so that the last child's result is stored before the callbacks are enqueued.
 */
public final class GroupCallbacks implements Middleware {

    /** Message option: the key of the group's completion barrier. */
    public static final String GROUP_COMPLETION_UUID = "group_completion_uuid";
    /** Message option: the message dicts to enqueue when the group completes. */
    public static final String GROUP_COMPLETION_CALLBACKS = "group_completion_callbacks";
    /** Dramatiq's barrier ttl for group callbacks: 24 hours. A group that takes longer never runs its callbacks. */
    public static final Duration DEFAULT_BARRIER_TTL = Duration.ofHours(24);
    /** The schema {@link #onPostgres(SupabaseBroker)} keeps its barriers in. */
    public static final String DEFAULT_SCHEMA = "supaqueue";

    private static final Logger log = LoggerFactory.getLogger(GroupCallbacks.class);

    private final RateLimiterBackend backend;
    private final Duration barrierTtl;
    private final MessageCodec codec = new MessageCodec();

    /** Barriers in this backend, kept for 24 hours. */
    public GroupCallbacks(RateLimiterBackend backend) {
        this(backend, DEFAULT_BARRIER_TTL);
    }

    /** @param barrierTtl how long a group has to complete; null for 24 hours */
    public GroupCallbacks(RateLimiterBackend backend, Duration barrierTtl) {
        this.backend = Objects.requireNonNull(backend, "a GroupCallbacks middleware needs a rate limiter backend");
        Duration ttl = barrierTtl == null ? DEFAULT_BARRIER_TTL : barrierTtl;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("barrierTtl must be positive, not " + ttl);
        }
        this.barrierTtl = ttl;
    }

    /** Barriers in PostgreSQL, in schema {@value #DEFAULT_SCHEMA} of the broker's database (created on first use). */
    public static GroupCallbacks onPostgres(SupabaseBroker broker) {
        return onPostgres(broker, DEFAULT_SCHEMA);
    }

    /** Barriers in PostgreSQL, in this schema of the broker's database (created on first use). */
    public static GroupCallbacks onPostgres(SupabaseBroker broker, String schema) {
        Objects.requireNonNull(broker, "broker");
        return new GroupCallbacks(new PostgresRateLimiterBackend(broker.dataSource(), schema));
    }

    /** The GroupCallbacks middleware on this broker, if it has one. */
    public static Optional<GroupCallbacks> find(Broker broker) {
        Objects.requireNonNull(broker, "broker");
        return broker.middleware().stream().filter(GroupCallbacks.class::isInstance).map(GroupCallbacks.class::cast)
                .findFirst();
    }

    public RateLimiterBackend backend() {
        return backend;
    }

    public Duration barrierTtl() {
        return barrierTtl;
    }

    /**
     * Creates the completion barrier of a group run: what {@code Group.run()} calls before it enqueues the children.
     *
     * @throws IllegalStateException if a live barrier with this key already exists (uuids are fresh, so this means
     *                               a bug or a reused key)
     */
    public void createBarrier(String groupUuid, int parties) {
        if (!new Barrier(backend, groupUuid, barrierTtl).create(parties)) {
            throw new IllegalStateException("A group completion barrier '" + groupUuid + "' already exists");
        }
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(GROUP_COMPLETION_UUID, GROUP_COMPLETION_CALLBACKS);
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy proxy, Object result, Throwable exception) {
        if (exception != null || proxy.failed()) {
            return; // A failed child never completes its group (a retry that succeeds will).
        }
        Message message = proxy.message();
        Object uuid = message.options().get(GROUP_COMPLETION_UUID);
        Object callbacks = message.options().get(GROUP_COMPLETION_CALLBACKS);
        if (uuid == null || callbacks == null) {
            return;
        }
        // Decode before arriving: an arrival is final, so a bad option must not be the one that clears the barrier.
        List<Message> decoded;
        try {
            decoded = decode(callbacks);
        } catch (MessageDecodeException e) {
            log.error("Message {} ({}) has an invalid {} option ({}); it does not count towards group {}",
                    message.messageId(), message.actorName(), GROUP_COMPLETION_CALLBACKS, e.getMessage(), uuid);
            return;
        }
        boolean cleared;
        try {
            cleared = new Barrier(backend, String.valueOf(uuid), barrierTtl).arrive();
        } catch (SupaqueueException e) {
            log.error("Message {} ({}) completed a child of group {}, whose completion barrier is missing or expired"
                    + " (barrier ttl {} ms); the group's callbacks will not run: {}", message.messageId(),
                    message.actorName(), uuid, barrierTtl.toMillis(), e.getMessage());
            return;
        }
        if (!cleared) {
            return;
        }
        log.debug("Group {} completed with message {}; enqueueing {} callback(s)", uuid, message.messageId(),
                decoded.size());
        for (Message callback : decoded) {
            // The barrier has cleared for good: one callback that cannot be enqueued must not cost the others.
            try {
                broker.enqueue(callback);
            } catch (RuntimeException e) {
                log.error("Could not enqueue callback {} ({}) of group {}", callback.messageId(),
                        callback.actorName(), uuid, e);
            }
        }
    }

    private List<Message> decode(Object callbacks) {
        if (!(callbacks instanceof List<?> list)) {
            throw new MessageDecodeException("expected a list of message dicts, got "
                    + callbacks.getClass().getSimpleName(), String.valueOf(callbacks));
        }
        List<Message> messages = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> dict)) {
                throw new MessageDecodeException("expected a message dict, got "
                        + (item == null ? "null" : item.getClass().getSimpleName()), String.valueOf(item));
            }
            @SuppressWarnings("unchecked") // Message options only hold String-keyed maps.
            Map<String, ?> messageDict = (Map<String, ?>) dict;
            messages.add(codec.fromMap(messageDict));
        }
        return messages;
    }
}
