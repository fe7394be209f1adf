package dev.supaqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.middleware.DefaultMiddleware;
import org.junit.jupiter.api.Test;

/** The worker command's broker gets Dramatiq's default middleware. */
class WorkerCommandMiddlewareTest {

    @Test
    void theWorkersBrokerHasTheDefaultMiddleware() {
        // Building the broker does not connect: the pool connects when first used.
        SupabaseBrokerSettings settings = SupabaseBrokerSettings.builder()
                .uri("postgresql://postgres@127.0.0.1:1/postgres").build();
        try (SupabaseBroker broker = WorkerCommand.createBroker(settings)) {
            assertThat(broker.middleware()).extracting(Object::getClass)
                    .isEqualTo(DefaultMiddleware.create().stream().map(Object::getClass).toList());
        }
    }
}
