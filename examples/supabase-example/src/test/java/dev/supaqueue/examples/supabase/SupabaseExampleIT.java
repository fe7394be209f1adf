package dev.supaqueue.examples.supabase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The example's main logic against the test database, so that the example cannot rot. */
@PgmqIntegrationTest
class SupabaseExampleIT {

    @Test
    void itSendsRunsAndPrintsTheSumsThenDropsItsQueues(TestDatabaseServer db, TestQueues queues) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().namespace(queues.newNamespace()).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        SupabaseExample.ensurePgmq(settings, out);
        List<Integer> sums = SupabaseExample.run(settings, out);

        assertThat(sums).containsExactly(3, 7, 11, 30, 300);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("add(1, 2) = 3", "add(100, 200) = 300",
                "Results:", "add[3, 4] -> 7", "Dropped queues");
        try (SupabaseBroker broker = new SupabaseBroker(settings, List.of())) {
            assertThat(broker.client().queueExists(broker.pgmqQueue("default"))).isFalse();
            assertThat(broker.client().queueExists(broker.deadLetterQueue("default"))).isFalse();
        }
    }

    @Test
    void theWorkerCommandFindsTheExamplesActors(TestDatabaseServer db, TestQueues queues) {
        List<ActorProvider> providers = ServiceLoader.load(ActorProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(providers).hasExactlyElementsOfTypes(ExampleActors.class);

        try (SupabaseBroker broker = new SupabaseBroker(db.brokerSettings().namespace(queues.newNamespace()).build(),
                List.of())) {
            providers.getFirst().declareActors(broker);
            assertThat(broker.actors()).containsOnlyKeys("add");
            assertThat(broker.getActor("add").queueName()).isEqualTo("default");
        }
    }
}
