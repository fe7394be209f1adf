package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The view model's state without a database: reasons, actor lists, and how the log and the stats take batches. */
class WorkersViewModelTest {

    private final StepTicker ticker = new StepTicker();

    private WorkersViewModel viewModel(boolean readOnly) {
        // Making settings opens nothing; only start() connects.
        return new WorkersViewModel(SupabaseBrokerSettings.builder().namespace("app").build(), readOnly,
                BackgroundTasks.inline(), ticker, ConsoleMessages.bundle(), Clock.systemUTC(), Duration.ofSeconds(5));
    }

    private static ProcessedMessage event(int i, String actor, Outcome outcome, long millis) {
        return new ProcessedMessage(Instant.ofEpochSecond(i), "id-" + i, actor, "jobs", Duration.ofMillis(millis),
                outcome, "");
    }

    @Test
    void harnessIsReadyToStartAndNamesItsActors() {
        WorkersViewModel vm = viewModel(false);
        assertThat(vm.canStartProperty().get()).isTrue();
        assertThat(vm.startDisabledReasonProperty().get()).isEmpty();
        assertThat(vm.canStopProperty().get()).isFalse();
        assertThat(vm.stopDisabledReasonProperty().get()).isEqualTo("no worker is running");
        assertThat(vm.knownActors()).containsExactlyInAnyOrderElementsOf(HarnessActors.NAMES);
        assertThat(vm.queueChoices()).containsExactly("default");

        vm.setAvailableQueues(List.of("emails", "reports"));
        vm.harnessQueueProperty().set("jobs");
        assertThat(vm.queueChoices()).containsExactly("emails", "jobs", "reports");
    }

    @Test
    void readOnlyConnectionRefusesToStartAndSaysWhy() {
        WorkersViewModel vm = viewModel(true);
        assertThat(vm.canStartProperty().get()).isFalse();
        assertThat(vm.startDisabledReasonProperty().get())
                .isEqualTo("read-only connection: a worker deletes the messages it processes");
        vm.start();
        assertThat(vm.stateProperty().get()).isEqualTo(WorkerState.STOPPED);
        assertThat(ticker.scheduledCount()).isZero();
    }

    @Test
    void reasonsNameWhatIsMissing() {
        WorkersViewModel vm = viewModel(false);
        vm.harnessQueueProperty().set("  ");
        assertThat(vm.startDisabledReasonProperty().get()).isEqualTo("name the queue of the test actors");
        vm.harnessQueueProperty().set("jobs");
        vm.threadsProperty().set(0);
        assertThat(vm.startDisabledReasonProperty().get()).isEqualTo("worker threads must be between 1 and 64");
        vm.threadsProperty().set(2);
        vm.setAvailableQueues(List.of("emails"));
        vm.selectedQueues().setAll("emails");
        assertThat(vm.startDisabledReasonProperty().get()).isEqualTo("no actor uses the selected queues");
        vm.selectedQueues().setAll("emails", "jobs");
        assertThat(vm.canStartProperty().get()).isTrue();

        vm.actorSourceProperty().set(ActorSourceKind.USER);
        assertThat(vm.startDisabledReasonProperty().get())
                .isEqualTo("choose a jar or classes folder with your actors first");
        assertThat(vm.knownActors()).isEmpty();
    }

    @Test
    void drainKeepsTheNewestThousandRowsAndCountsEveryMessage() {
        WorkersViewModel vm = viewModel(false);
        for (int i = 0; i < 1_500; i++) {
            vm.report(event(i, i % 3 == 0 ? "sleep" : "echo", i % 10 == 0 ? Outcome.RETRIED : Outcome.DONE, i % 7));
        }
        vm.drainEvents();
        assertThat(vm.log()).hasSize(WorkersViewModel.LOG_LIMIT);
        assertThat(vm.log().getFirst().messageId()).isEqualTo("id-1499");
        assertThat(vm.log().getLast().messageId()).isEqualTo("id-500");
        assertThat(vm.processedCountProperty().get()).isEqualTo(1_500);
        assertThat(vm.actorStats()).extracting(ActorStatsRow::actorName).containsExactly("sleep", "echo");
        ActorStatsRow sleep = vm.actorStats().getFirst();
        assertThat(sleep.processedProperty().get()).isEqualTo(500);
        assertThat(sleep.retriedProperty().get() + sleep.doneProperty().get()).isEqualTo(500);
        // Multiples of 30 are both sleep and retried.
        assertThat(sleep.retriedProperty().get()).isEqualTo(50);

        vm.report(event(2_000, "echo", Outcome.DEAD_LETTERED, 1));
        vm.drainEvents();
        assertThat(vm.log()).hasSize(WorkersViewModel.LOG_LIMIT);
        assertThat(vm.log().getFirst().outcome()).isEqualTo(Outcome.DEAD_LETTERED);
        assertThat(vm.actorStats().get(1).deadLetteredProperty().get()).isEqualTo(1);
    }
}
