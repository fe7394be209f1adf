package dev.supaqueue.composition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pipelines and callbacks end to end on a real PostgreSQL, with a SupabaseBroker's default middleware. */
@PgmqIntegrationTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipelineOnSupabaseIT {

    /** One add step as its actor saw it. */
    record Addition(int a, int b, int sum) {
    }

    private static SupabaseBroker broker(TestDatabaseServer db, TestQueues queues) {
        // No middleware argument: Dramatiq's defaults, as the worker command uses.
        return new SupabaseBroker(db.brokerSettings().namespace(queues.newNamespace())
                .maxPollInterval(Duration.ofMillis(200)).build());
    }

    private static Worker start(SupabaseBroker broker) {
        Worker worker = new Worker(broker, WorkerOptions.builder().workerThreads(2)
                .consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(5)).build());
        worker.start();
        return worker;
    }

    private static void drain(SupabaseBroker broker, Worker worker) throws InterruptedException {
        broker.join("default", Duration.ofSeconds(30));
        assertThat(worker.join(Duration.ofSeconds(10))).as("worker idle").isTrue();
    }

    @Test
    void onePlusTwoThenPlusThreeThenPlusFourIsTen(TestDatabaseServer db, TestQueues queues) throws Exception {
        List<Addition> additions = new CopyOnWriteArrayList<>();
        try (SupabaseBroker broker = broker(db, queues)) {
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").on(broker)
                    .function(Integer.class, Integer.class, (a, b) -> {
                        additions.add(new Addition(a, b, a + b));
                        return a + b;
                    });
            Pipeline pipeline = Pipeline.pipeline(List.of(add.message(1, 2), add.message(3), add.message(4)), broker);
            pipeline.run();
            Worker worker = start(broker);
            try {
                drain(broker, worker);
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }
            assertThat(additions).containsExactly(new Addition(1, 2, 3), new Addition(3, 3, 6),
                    new Addition(4, 6, 10));
            assertThat(broker.client().read(broker.deadLetterQueue("default"), 60, 10)).isEmpty();
        }
    }

    @Test
    void onSuccessGetsTheMessageDictAndTheResult(TestDatabaseServer db, TestQueues queues) throws Exception {
        record Call(Message message, Object result) {
        }
        List<Call> calls = new CopyOnWriteArrayList<>();
        try (SupabaseBroker broker = broker(db, queues)) {
            ActorDefinition.named("record").on(broker)
                    .consumer(Message.class, Object.class, (message, result) -> calls.add(new Call(message, result)));
            Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add")
                    .option(ActorOptions.ON_SUCCESS, "record").on(broker)
                    .function(Integer.class, Integer.class, Integer::sum);
            Message sent = add.sendWithOptions(List.of(20, 22), Map.of(), null, Map.of("note", "jsonb keeps it"));
            Worker worker = start(broker);
            try {
                drain(broker, worker);
            } finally {
                worker.stop(Duration.ofSeconds(5));
            }
            assertThat(calls).hasSize(1);
            assertThat(calls.getFirst().message()).isEqualTo(sent);
            assertThat(calls.getFirst().result()).isEqualTo(42);
        }
    }
}
