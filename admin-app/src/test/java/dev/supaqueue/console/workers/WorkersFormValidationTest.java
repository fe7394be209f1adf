package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded workers' form, one bad value per row: threads and prefetch as typed, the test actors' queue name,
 * and the jar or classes path. Each shows a message naming the problem, Start stays disabled with that reason, and
 * start() starts no background work (so no broker, no database).
 */
@Timeout(20)
class WorkersFormValidationTest {

    private static final String HOSTILE_SQL = "'; DROP TABLE x; --";
    private static final String HOSTILE_MARKUP = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    private final List<String> tasksRun = new ArrayList<>();

    private WorkersViewModel viewModel() {
        BackgroundTasks inline = BackgroundTasks.inline();
        BackgroundTasks counting = new BackgroundTasks() {
            @Override
            public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
                tasksRun.add(description);
                inline.run(description, work, onSuccess, onFailure);
            }
        };
        return new WorkersViewModel(SupabaseBrokerSettings.builder().namespace("app").build(), false, counting,
                new StepTicker(), ConsoleMessages.bundle(), Clock.systemUTC(), Duration.ofSeconds(5));
    }

    static Stream<Arguments> badValues() {
        Function<WorkersViewModel, StringProperty> threads = WorkersViewModel::threadsTextProperty;
        Function<WorkersViewModel, StringProperty> prefetch = WorkersViewModel::prefetchTextProperty;
        Function<WorkersViewModel, StringProperty> queue = WorkersViewModel::harnessQueueProperty;
        Function<WorkersViewModel, ObservableStringValue> threadsError = WorkersViewModel::threadsErrorProperty;
        Function<WorkersViewModel, ObservableStringValue> prefetchError = WorkersViewModel::prefetchErrorProperty;
        Function<WorkersViewModel, ObservableStringValue> queueError = WorkersViewModel::harnessQueueErrorProperty;
        return Stream.of(
                Arguments.of("threads", threads, threadsError, "", "from 1 to 64"),
                Arguments.of("threads", threads, threadsError, "0", "from 1 to 64"),
                Arguments.of("threads", threads, threadsError, "65", "from 1 to 64"),
                Arguments.of("threads", threads, threadsError, "-2", "-2"),
                Arguments.of("threads", threads, threadsError, "four", "four"),
                Arguments.of("threads", threads, threadsError, "2.5", "2.5"),
                Arguments.of("threads", threads, threadsError, "99999999999", "99999999999"),
                Arguments.of("threads", threads, threadsError, HOSTILE_SQL, "DROP"),
                Arguments.of("prefetch", prefetch, prefetchError, "", "from 0 to 65535"),
                Arguments.of("prefetch", prefetch, prefetchError, "-1", "-1"),
                Arguments.of("prefetch", prefetch, prefetchError, "65536", "from 0 to 65535"),
                Arguments.of("prefetch", prefetch, prefetchError, "lots", "lots"),
                Arguments.of("prefetch", prefetch, prefetchError, HOSTILE_MARKUP, "script"),
                Arguments.of("queue", queue, queueError, HOSTILE_SQL, "Invalid queue name"),
                Arguments.of("queue", queue, queueError, HOSTILE_MARKUP, "Invalid queue name"),
                Arguments.of("queue", queue, queueError, "Emails", "lowercase"),
                Arguments.of("queue", queue, queueError, "q".repeat(60), "too long"),
                Arguments.of("queue", queue, queueError, "jobs_xq", "dead-letter"));
    }

    @ParameterizedTest(name = "{0} = {3}")
    @MethodSource("badValues")
    void aBadValueIsNamedAndStartStaysDisabled(String field, Function<WorkersViewModel, StringProperty> input,
                                               Function<WorkersViewModel, ObservableStringValue> error, String value,
                                               String expected) {
        WorkersViewModel vm = viewModel();
        assertThat(vm.canStartProperty().get()).as("startable before the bad value").isTrue();

        input.apply(vm).set(value);

        assertThat(error.apply(vm).get()).as(field + " error").containsIgnoringCase(expected);
        assertThat(vm.canStartProperty().get()).isFalse();
        assertThat(vm.startDisabledReasonProperty().get()).isEqualTo(error.apply(vm).get());
        vm.start();
        assertThat(tasksRun).as("nothing started").isEmpty();
        vm.close();
    }

    @Test
    void aBlankQueueDisablesStartWithItsReason() {
        WorkersViewModel vm = viewModel();
        vm.harnessQueueProperty().set("  ");
        assertThat(vm.canStartProperty().get()).isFalse();
        assertThat(vm.startDisabledReasonProperty().get()).contains("name the queue");
        vm.close();
    }

    @Test
    void aGoodValueClearsTheMessage() {
        WorkersViewModel vm = viewModel();
        vm.threadsTextProperty().set("abc");
        vm.threadsTextProperty().set("8");
        assertThat(vm.threadsErrorProperty().get()).isEmpty();
        assertThat(vm.threadsProperty().get()).isEqualTo(8);
        assertThat(vm.canStartProperty().get()).isTrue();
        vm.close();
    }

    @Test
    void aPathThatIsNoJarNorFolderIsNamedAndLoadsNothing() throws Exception {
        WorkersViewModel vm = viewModel();
        Path text = Files.writeString(dir.resolve("actors.txt"), "not a jar");
        vm.loadActors(dir.resolve("missing.jar"));
        assertThat(vm.errorProperty().get()).contains("No such file or folder").contains("missing.jar");
        vm.loadActors(text);
        assertThat(vm.errorProperty().get()).contains("neither a .jar file nor a classes folder");
        assertThat(vm.actorSourceProperty().get()).isEqualTo(ActorSourceKind.HARNESS);
        vm.close();
    }
}
