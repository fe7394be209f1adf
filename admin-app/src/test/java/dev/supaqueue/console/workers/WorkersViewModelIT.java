package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.admin.EnqueueRequest;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded worker against the real database: harness actors, retries, graceful stop, the user's actors. */
@PgmqIntegrationTest
class WorkersViewModelIT {

    private final StepTicker ticker = new StepTicker();
    private WorkersViewModel viewModel;
    private QueueAdmin admin;

    @AfterEach
    void closeAll() {
        if (viewModel != null) {
            viewModel.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private WorkersViewModel viewModel(TestDatabaseServer db, String namespace, boolean readOnly) {
        admin = QueueAdmin.create(db.dataSource());
        viewModel = new WorkersViewModel(db.brokerSettings().namespace(namespace).build(), readOnly,
                BackgroundTasks.inline(), ticker, ConsoleMessages.bundle(), Clock.systemUTC(), Duration.ofSeconds(20));
        return viewModel;
    }

    private void send(String namespace, String queue, String actor, List<?> args) {
        admin.enqueue(EnqueueRequest.dramatiq(namespace + "_" + queue, queue, actor, args, null, null));
    }

    /** Drains the worker's events as the FX ticker would, until the condition holds. */
    private void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ticker.fire();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        ticker.fire();
        assertThat(condition.getAsBoolean()).as("condition within " + timeout + "; log " + viewModel.log()).isTrue();
    }

    private QueueSummary summary(String namespace, String queue) {
        return admin.queue(namespace + "_" + queue);
    }

    /** Live dead letters; a queue that never dead-lettered may have no dead-letter queue yet. */
    private static long deadLetters(QueueSummary queue) {
        return queue.deadLetters() == null ? 0 : queue.deadLetters().value();
    }

    @Test
    void harnessEchoProcessesTwentyMessagesAndStopsCleanly(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, false);
        vm.harnessQueueProperty().set("jobs");
        vm.threadsProperty().set(3);
        vm.start();
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.stateProperty().get()).isEqualTo(WorkerState.RUNNING);
        assertThat(vm.statusProperty().get()).contains("3 threads").contains("jobs");
        assertThat(ticker.scheduledCount()).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            send(namespace, "jobs", HarnessActors.ECHO, List.of("hello " + i));
        }
        await(() -> vm.log().size() == 20, Duration.ofSeconds(30));
        assertThat(vm.log()).allSatisfy(row -> {
            assertThat(row.outcome()).isEqualTo(Outcome.DONE);
            assertThat(row.actorName()).isEqualTo(HarnessActors.ECHO);
            assertThat(row.queueName()).isEqualTo("jobs");
        });
        assertThat(vm.log()).extracting(ProcessedMessage::messageId).doesNotHaveDuplicates();
        assertThat(vm.actorStats()).singleElement().satisfies(row -> {
            assertThat(row.actorName()).isEqualTo(HarnessActors.ECHO);
            assertThat(row.processedProperty().get()).isEqualTo(20);
            assertThat(row.doneProperty().get()).isEqualTo(20);
            assertThat(row.averageMillisProperty().get()).isGreaterThan(0);
            assertThat(row.medianMillisProperty().get()).isGreaterThan(0);
        });

        vm.stop();
        assertThat(vm.stateProperty().get()).isEqualTo(WorkerState.STOPPED);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(ticker.scheduledCount()).isZero();
        assertThat(vm.statusProperty().get()).contains("20");
        QueueSummary jobs = summary(namespace, "jobs");
        assertThat(jobs.length().value()).isZero();
        assertThat(deadLetters(jobs)).isZero();
    }

    @Test
    void failTimesIsRetriedTwiceThenDone(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, false);
        vm.harnessQueueProperty().set("flaky");
        vm.start();
        send(namespace, "flaky", HarnessActors.FAIL_TIMES, List.of(2));

        await(() -> vm.log().stream().anyMatch(row -> row.outcome() == Outcome.DONE), Duration.ofSeconds(30));
        // Newest first: two retried attempts, then the successful third, all of one message.
        assertThat(vm.log()).extracting(ProcessedMessage::outcome)
                .containsExactly(Outcome.DONE, Outcome.RETRIED, Outcome.RETRIED);
        assertThat(vm.log()).extracting(ProcessedMessage::messageId).containsOnly(vm.log().getFirst().messageId());
        assertThat(vm.log().get(1).error()).contains("attempt 2").contains("fails on purpose");
        ActorStatsRow row = vm.actorStats().getFirst();
        assertThat(row.retriedProperty().get()).isEqualTo(2);
        assertThat(row.doneProperty().get()).isEqualTo(1);

        vm.stop();
        assertThat(summary(namespace, "flaky").length().value()).isZero();
        assertThat(deadLetters(summary(namespace, "flaky"))).isZero();
    }

    @Test
    void failRandomlyWithCertaintyIsDeadLetteredOnceRetriesRunOut(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, false);
        vm.harnessQueueProperty().set("doomed");
        vm.start();
        // max_retries 1 on the message: one retry, then the dead-letter queue.
        admin.enqueue(EnqueueRequest.dramatiq(namespace + "_doomed", "doomed", HarnessActors.FAIL_RANDOMLY,
                List.of(1.0), null, java.util.Map.of("max_retries", 1)));

        await(() -> vm.log().stream().anyMatch(row -> row.outcome() == Outcome.DEAD_LETTERED),
                Duration.ofSeconds(30));
        assertThat(vm.log()).extracting(ProcessedMessage::outcome)
                .containsExactly(Outcome.DEAD_LETTERED, Outcome.RETRIED);
        vm.stop();
        assertThat(deadLetters(summary(namespace, "doomed"))).isEqualTo(1);
    }

    @Test
    void stopLosesNothingAndARestartFinishesTheRest(TestDatabaseServer db, TestQueues queues) throws Exception {
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, false);
        vm.harnessQueueProperty().set("slow");
        vm.threadsProperty().set(2);
        vm.prefetchProperty().set(4);
        vm.start();
        int total = 30;
        for (int i = 0; i < total; i++) {
            send(namespace, "slow", HarnessActors.SLEEP, List.of(150));
        }
        await(() -> vm.processedCountProperty().get() >= 4, Duration.ofSeconds(30));

        vm.stop();
        long processed = vm.processedCountProperty().get();
        assertThat(processed).isLessThan(total);
        assertThat(vm.log()).allSatisfy(row -> assertThat(row.outcome()).isEqualTo(Outcome.DONE));
        QueueSummary afterStop = summary(namespace, "slow");
        // Nothing hidden in flight: unstarted messages went back at once, running ones finished.
        assertThat(afterStop.inFlight().value()).isZero();
        assertThat(afterStop.length().value()).isEqualTo(total - processed);

        vm.start();
        assertThat(vm.stateProperty().get()).isEqualTo(WorkerState.RUNNING);
        await(() -> vm.processedCountProperty().get() == total - processed, Duration.ofSeconds(60));
        vm.stop();
        assertThat(summary(namespace, "slow").length().value()).isZero();
    }

    @Test
    void readOnlyConnectionNeverStartsAWorker(TestDatabaseServer db, TestQueues queues) {
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, true);
        vm.harnessQueueProperty().set("jobs");
        assertThat(vm.canStartProperty().get()).isFalse();
        assertThat(vm.startDisabledReasonProperty().get()).contains("read-only");
        vm.start();
        assertThat(vm.stateProperty().get()).isEqualTo(WorkerState.STOPPED);
        // Starting would have declared (created) the queue.
        assertThat(admin.queues().groups()).noneMatch(group -> group.namespace().equals(namespace));
    }

    @Test
    void loadsTheUsersActorsFromAClassesFolderAndRunsThem(TestDatabaseServer db, TestQueues queues,
                                                          @TempDir Path dir) throws Exception {
        Path classes = compileProvider(dir);
        String namespace = queues.newNamespace();
        WorkersViewModel vm = viewModel(db, namespace, false);
        vm.loadActors(classes);
        assertThat(vm.errorProperty().get()).isEmpty();
        assertThat(vm.actorSourceProperty().get()).isEqualTo(ActorSourceKind.USER);
        assertThat(vm.knownActors()).containsExactly("shout");
        assertThat(vm.loadedSummaryProperty().get()).contains("1 actor(s)").contains("shout (loud)")
                .contains("demo.DemoActors");
        assertThat(vm.queueChoices()).contains("loud");

        vm.start();
        assertThat(vm.errorProperty().get()).isEmpty();
        send(namespace, "loud", "shout", List.of("hi"));
        send(namespace, "loud", "shout", List.of("boom"));
        await(() -> vm.log().size() >= 2, Duration.ofSeconds(30));
        // The user's actor raises on "boom"; with no retries asked it is dead-lettered at once.
        assertThat(vm.log()).extracting(ProcessedMessage::outcome)
                .containsExactlyInAnyOrder(Outcome.DONE, Outcome.DEAD_LETTERED);
        assertThat(vm.log()).filteredOn(row -> row.outcome() == Outcome.DEAD_LETTERED).singleElement()
                .satisfies(row -> assertThat(row.error()).contains("IllegalStateException").contains("boom"));
        vm.stop();
    }

    @Test
    void missingPathAndFolderWithoutProvidersGiveClearErrors(TestDatabaseServer db, TestQueues queues,
                                                              @TempDir Path dir) {
        WorkersViewModel vm = viewModel(db, queues.newNamespace(), false);
        Path missing = dir.resolve("nowhere/actors.jar");
        vm.loadActors(missing);
        assertThat(vm.errorProperty().get()).isEqualTo("Could not load actors: No such file or folder: " + missing);
        assertThat(vm.loadedProperty().get()).isNull();
        assertThat(vm.actorSourceProperty().get()).isEqualTo(ActorSourceKind.HARNESS);

        vm.dismissError();
        vm.loadActors(dir);
        assertThat(vm.errorProperty().get()).startsWith("Could not load actors: No actor provider in " + dir)
                .contains("META-INF/services/dev.supaqueue.actor.ActorProvider");
    }

    @Test
    void providerNamingAMissingClassIsReported(@TempDir Path dir) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ActorProvider.class.getName()), "demo.Missing\n");
        try {
            ActorLoader.load(dir).close();
            throw new AssertionError("expected a load failure");
        } catch (ActorLoadException e) {
            assertThat(e.getMessage()).contains("Cannot load an actor provider").contains("demo.Missing")
                    .contains("public no-argument constructor");
        }
    }

    /** Compiles a tiny ActorProvider with its service file into {@code dir/classes}. */
    static Path compileProvider(Path dir) throws Exception {
        Path sources = dir.resolve("src/demo");
        Files.createDirectories(sources);
        Path source = sources.resolve("DemoActors.java");
        Files.writeString(source, """
                package demo;

                import dev.supaqueue.actor.ActorDefinition;
                import dev.supaqueue.actor.ActorProvider;
                import dev.supaqueue.broker.Broker;

                public final class DemoActors implements ActorProvider {
                    @Override
                    public void declareActors(Broker broker) {
                        ActorDefinition.named("shout").on(broker).queue("loud").option("max_retries", 0)
                                .parameterNames("text").consumer(String.class, text -> {
                                    if (text.equals("boom")) {
                                        throw new IllegalStateException("boom asked");
                                    }
                                    System.out.println(text.toUpperCase());
                                });
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        String brokerLib = Path.of(ActorProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        int status = compiler.run(null, null, null, "-classpath", brokerLib, "-d", classes.toString(),
                source.toString());
        assertThat(status).as("javac exit status").isZero();
        Path services = classes.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(ActorProvider.class.getName()), "demo.DemoActors" + System.lineSeparator());
        return classes;
    }
}
