package dev.supaqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.LogCapture;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The worker command in-process against the test database, with stop signals the test sends itself. */
@PgmqIntegrationTest
class WorkerCommandIT {

    /** Stands in for SIGTERM: the test runs the stop the command registered. */
    private static final class ManualSignals implements ShutdownSignals {
        final AtomicReference<Runnable> stop = new AtomicReference<>();

        @Override
        public void onStop(Runnable stop, Duration shutdownTimeout) {
            this.stop.set(stop);
        }
    }

    private static List<String> connectionArgs(SupabaseBrokerSettings settings, String namespace) {
        List<String> args = new ArrayList<>(List.of("worker", "--host", settings.host(),
                "--port", String.valueOf(settings.port()), "--database", settings.database(),
                "--user", settings.user(), "--namespace", namespace, "--shutdown-timeout", "5"));
        settings.driverOptions().forEach((key, value) -> args.addAll(List.of("--driver-option", key + "=" + value)));
        return args;
    }

    private static Map<String, String> passwordEnvironment(SupabaseBrokerSettings settings, String marker) {
        Map<String, String> environment = new HashMap<>();
        // A trust server ignores the password, so a marker shows that it never reaches the output.
        environment.put(WorkerCommand.PASSWORD_ENV, settings.password() != null ? settings.password() : marker);
        return environment;
    }

    @Test
    void aFailingActorProviderStopsTheStartWithExit1(TestDatabaseServer db, TestQueues queues) {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        ActorProvider broken = broker -> {
            throw new IllegalStateException("the mailer's template directory is missing");
        };
        WorkerCommand worker = new WorkerCommand(passwordEnvironment(settings, "marker-pw-1"), () -> List.of(broken),
                new ManualSignals());
        StringWriter err = new StringWriter();
        CommandLine commandLine = Supaqueue.commandLine(worker).setErr(new PrintWriter(err, true));

        int exitCode = commandLine.execute(connectionArgs(settings, queues.newNamespace()).toArray(String[]::new));

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("Actor provider", "failed",
                "the mailer's template directory is missing");
    }

    @Test
    void itRunsTheProvidersActorsUntilStoppedThenExits0(TestDatabaseServer db, TestQueues queues) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        String namespace = queues.newNamespace();
        CountDownLatch ran = new CountDownLatch(3);
        ActorProvider provider = broker -> ActorDefinition.named("tick").queue("ticks").on(broker)
                .runnable(ran::countDown);
        ManualSignals signals = new ManualSignals();
        Map<String, String> environment = passwordEnvironment(settings, "marker-pw-2");
        WorkerCommand worker = new WorkerCommand(environment, () -> List.of(provider), signals);
        CommandLine commandLine = Supaqueue.commandLine(worker);

        // slf4j-simple looks System.err up on every write; keep showing the log while copying it.
        LogCapture log = new LogCapture();
        try (SupabaseBroker producer = new SupabaseBroker(db.brokerSettings().namespace(namespace).build(),
                List.of())) {
            CompletableFuture<Integer> exitCode = CompletableFuture.supplyAsync(() -> commandLine.execute(
                    connectionArgs(settings, namespace).toArray(String[]::new)));
            for (int i = 0; i < 3; i++) {
                producer.enqueue(Message.create("ticks", "tick", List.of(), Map.of(), Map.of()));
            }

            assertThat(ran.await(20, TimeUnit.SECONDS)).as("the actor ran 3 times").isTrue();
            assertThat(exitCode).isNotDone();
            signals.stop.get().run();

            assertThat(exitCode.get(10, TimeUnit.SECONDS)).isZero();
            producer.join("ticks", Duration.ofSeconds(5));
        } finally {
            log.close();
        }
        String output = log.text();
        assertThat(output).contains("password=***", "password from $SUPAQUEUE_DB_PASSWORD", "Actors: [tick]",
                "Worker stopped").doesNotContain(environment.get(WorkerCommand.PASSWORD_ENV));
    }
}
