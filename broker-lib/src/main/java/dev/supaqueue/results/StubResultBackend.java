package dev.supaqueue.results;

import dev.supaqueue.actor.ActorArguments;
import dev.supaqueue.message.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An in-memory result backend for tests, as Dramatiq's {@code StubBackend}. Time-to-live is measured on the given
 * clock, so tests can expire results without sleeping. Thread-safe.
 */
public final class StubResultBackend implements ResultBackend {

    private record Entry(Object json, Instant expiresAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ResultKeys keys;
    private final Clock clock;

    public StubResultBackend() {
        this(ResultKeys.md5(), Clock.systemUTC());
    }

    public StubResultBackend(ResultKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ResultKeys keys() {
        return keys;
    }

    @Override
    public void store(Message message, Object resultJson, Duration ttl) {
        // Converted (and so checked) now: a value the Postgres backend would refuse must fail here too.
        put(message, ActorArguments.toJsonValue(resultJson), ttl);
    }

    @Override
    public void storeFailure(Message message, String exceptionType, String exceptionMessage, Duration ttl) {
        put(message, StoredResult.failure(exceptionType, exceptionMessage).json(), ttl);
    }

    private void put(Message message, Object json, Duration ttl) {
        Instant expiresAt = clock.instant().plus(PostgresResultBackend.checkTtl(ttl));
        entries.put(keys.keyOf(message), new Entry(json, expiresAt));
    }

    @Override
    public Optional<StoredResult> peek(Message message) {
        String key = keys.keyOf(message);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(new StoredResult(entry.json()));
    }

    /** The stored keys that have not expired, for tests that look at the keys themselves. */
    public Set<String> keySet() {
        Instant now = clock.instant();
        return entries.entrySet().stream().filter(e -> now.isBefore(e.getValue().expiresAt()))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** Forgets every result. */
    public void clear() {
        entries.clear();
    }
}
