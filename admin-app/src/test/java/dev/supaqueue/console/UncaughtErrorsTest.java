package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class UncaughtErrorsTest {

    @Test
    void reportsTheErrorThroughTheFxThreadExecutor() {
        List<Runnable> fxQueue = new ArrayList<>();
        List<Throwable> reported = new ArrayList<>();
        UncaughtErrors errors = new UncaughtErrors(reported::add, fxQueue::add);
        IllegalStateException boom = new IllegalStateException("boom");

        errors.uncaughtException(new Thread("worker"), boom);

        assertThat(reported).as("not before the FX thread runs it").isEmpty();
        fxQueue.forEach(Runnable::run);
        assertThat(reported).containsExactly(boom);
    }

    @Test
    void aToolkitThatIsGoneDoesNotThrowFromTheHandler() {
        UncaughtErrors errors = new UncaughtErrors(error -> { }, task -> {
            throw new RejectedExecutionException("toolkit stopped");
        });

        assertThatCode(() -> errors.uncaughtException(Thread.currentThread(), new RuntimeException("late")))
                .doesNotThrowAnyException();
    }
}
