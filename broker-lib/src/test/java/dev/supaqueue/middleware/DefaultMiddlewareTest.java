package dev.supaqueue.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dramatiq's default middleware list, and {@code null} (the defaults) versus an empty list (none) on brokers. */
class DefaultMiddlewareTest {

    private static final List<Class<?>> DRAMATIQ_ORDER = List.of(AgeLimit.class, TimeLimit.class,
            ShutdownNotifications.class, Callbacks.class, Pipelines.class, Retries.class);

    /** Building a SupabaseBroker does not connect (the pool connects when first used). */
    private static final String URI = "postgresql://postgres:secret@127.0.0.1:1/postgres";

    private static List<Class<?>> classes(List<Middleware> middleware) {
        return middleware.stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void theDefaultsAreDramatiqsInItsOrder() {
        assertThat(classes(DefaultMiddleware.create())).isEqualTo(DRAMATIQ_ORDER);
    }

    @Test
    void eachCallMakesNewInstancesInAListThatMayBeExtended() {
        List<Middleware> first = DefaultMiddleware.create();
        List<Middleware> second = DefaultMiddleware.create();
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i)).isNotSameAs(second.get(i));
        }
        Middleware mine = new Middleware() { };
        first.add(mine);
        assertThat(first).hasSize(7).endsWith(mine);
        assertThat(DefaultMiddleware.with(mine)).hasSize(7).endsWith(mine);
        assertThat(classes(DefaultMiddleware.with(mine)).subList(0, 6)).isEqualTo(DRAMATIQ_ORDER);
    }

    @Test
    void retriesComesFirstInAfterHooks() {
        // after_* hooks run in reverse list order: Retries counts the failure before Callbacks and Pipelines see it.
        List<Middleware> reversed = new ArrayList<>(DefaultMiddleware.create()).reversed();
        assertThat(reversed.getFirst()).isInstanceOf(Retries.class);
        assertThat(classes(reversed).indexOf(Callbacks.class)).isGreaterThan(0);
    }

    @Test
    void aNullListMeansTheDefaultsAndAnEmptyOneMeansNone() {
        assertThat(classes(new StubBroker(null).middleware())).isEqualTo(DRAMATIQ_ORDER);
        assertThat(new StubBroker(List.of()).middleware()).isEmpty();
    }

    @Test
    void theStubBrokerHasNoMiddlewareUnlessAskedForTheDefaults() {
        assertThat(new StubBroker().middleware()).isEmpty();
        StubBroker broker = StubBroker.withDefaultMiddleware();
        assertThat(classes(broker.middleware())).isEqualTo(DRAMATIQ_ORDER);
        assertThat(broker.actorOptions()).contains(ActorOptions.MAX_RETRIES, ActorOptions.MIN_BACKOFF,
                ActorOptions.MAX_BACKOFF, ActorOptions.THROWS, ActorOptions.ON_RETRY_EXHAUSTED, ActorOptions.TIME_LIMIT,
                ActorOptions.MAX_AGE, ActorOptions.NOTIFY_SHUTDOWN, ActorOptions.ON_SUCCESS, ActorOptions.ON_FAILURE,
                Pipelines.PIPE_IGNORE, Pipelines.PIPE_TARGET);
        // Two default brokers do not share middleware instances.
        assertThat(StubBroker.withDefaultMiddleware().middleware().getFirst()).isNotSameAs(broker.middleware().getFirst());
    }

    @Test
    void supabaseBrokersWithoutAMiddlewareArgumentGetTheDefaults() {
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder().uri(URI).build();
        List<Broker> brokers = List.of(new SupabaseBroker(settings), SupabaseBroker.fromUri(URI),
                new SupabaseBroker(settings, null), SupabaseBroker.fromUri(URI, null),
                new SupabaseBroker("127.0.0.1", 1, "postgres", "postgres", "secret", null, Duration.ofSeconds(30), "",
                        1, 2, Map.of()));
        try {
            for (Broker broker : brokers) {
                assertThat(classes(broker.middleware())).isEqualTo(DRAMATIQ_ORDER);
            }
        } finally {
            brokers.forEach(Broker::close);
        }
        try (SupabaseBroker none = new SupabaseBroker(settings, List.of())) {
            assertThat(none.middleware()).isEmpty();
        }
    }
}
