package dev.supaqueue.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void defaultsAreDramatiqs() {
        WorkerOptions options = WorkerOptions.defaults();

        assertThat(options.queues()).isEmpty();
        assertThat(options.workerThreads()).isEqualTo(8);
        assertThat(options.prefetch()).isEqualTo(16);
        assertThat(options.consumerTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.consumes("anything")).isTrue();
    }

    @Test
    void prefetchFollowsWorkerThreadsUnlessSet() {
        assertThat(WorkerOptions.builder().workerThreads(3).build().prefetch()).isEqualTo(6);
        assertThat(WorkerOptions.builder().workerThreads(3).prefetch(5).build().prefetch()).isEqualTo(5);
        assertThat(WorkerOptions.builder().workerThreads(40_000).build().prefetch())
                .isEqualTo(WorkerOptions.MAX_PREFETCH);
    }

    @Test
    void whitelistUsesCanonicalNames() {
        WorkerOptions options = WorkerOptions.builder().queues("a", "b.DQ").build();

        assertThat(options.queues()).containsExactlyInAnyOrder("a", "b");
        assertThat(options.consumes("a")).isTrue();
        assertThat(options.consumes("b")).isTrue();
        assertThat(options.consumes("c")).isFalse();
    }

    @Test
    void toBuilderKeepsEverything() {
        WorkerOptions options = WorkerOptions.builder().queues("a").workerThreads(2).prefetch(3)
                .consumerTimeout(Duration.ofMillis(100)).shutdownTimeout(Duration.ofSeconds(2)).build();

        assertThat(options.toBuilder().build()).isEqualTo(options);
    }

    @Test
    void refusesNonPositiveValuesWithClearMessages() {
        assertThatThrownBy(() -> WorkerOptions.builder().workerThreads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workerThreads must be at least 1, got 0");
        assertThatThrownBy(() -> WorkerOptions.builder().prefetch(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetch must be between 1 and");
        assertThatThrownBy(() -> WorkerOptions.builder().consumerTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("consumerTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> WorkerOptions.builder().shutdownTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownTimeout must be positive");
        assertThatThrownBy(() -> WorkerOptions.builder().shutdownTimeout(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("shutdownTimeout");
        assertThatThrownBy(() -> WorkerOptions.builder().queues(Arrays.asList("a", null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null or blank");
        assertThatThrownBy(() -> new WorkerOptions(Set.of(" "), 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
