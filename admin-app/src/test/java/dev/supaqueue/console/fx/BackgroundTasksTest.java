package dev.supaqueue.console.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackgroundTasksTest {

    @Test
    void inlineTasksHandTheResultToOnSuccess() {
        List<Object> seen = new ArrayList<>();
        BackgroundTasks.inline().run("answer", () -> 42, seen::add, seen::add);
        assertThat(seen).containsExactly(42);
    }

    @Test
    void inlineTasksHandWhatTheWorkThrewToOnFailure() {
        List<Object> seen = new ArrayList<>();
        IllegalStateException problem = new IllegalStateException("no database");
        BackgroundTasks.inline().run("fail", () -> {
            throw problem;
        }, seen::add, seen::add);
        assertThat(seen).containsExactly(problem);
    }
}
