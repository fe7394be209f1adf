package dev.supaqueue.broker;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide default broker, as Dramatiq's {@code set_broker}/{@code get_broker}, for code that
 * declares actors without passing a broker around. Code that avoids globals passes brokers explicitly.
 */
public final class GlobalBroker {

    private static final AtomicReference<Broker> current = new AtomicReference<>();

    private GlobalBroker() {
    }

    /** Makes this broker the default; returns the previous one, if any. */
    public static Optional<Broker> set(Broker broker) {
        return Optional.ofNullable(current.getAndSet(Objects.requireNonNull(broker, "broker")));
    }

    /** @throws IllegalStateException if no default broker was set */
    public static Broker get() {
        Broker broker = current.get();
        if (broker == null) {
            throw new IllegalStateException("No global broker is set: call GlobalBroker.set(broker) first,"
                    + " or pass a broker explicitly");
        }
        return broker;
    }

    /** Forgets the default broker (for tests); returns it, if any. */
    public static Optional<Broker> clear() {
        return Optional.ofNullable(current.getAndSet(null));
    }
}
