package dev.supaqueue.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.results.Results;
import dev.supaqueue.results.StubResultBackend;
import dev.supaqueue.testing.LogCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Checklist 34: a returned value with nowhere to go is reported, once per actor, except when piped on. */
class WorkerDroppedResultTest {

    private static final String WARNING = "has no Results middleware";

    private WorkerTesting fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.stopAll();
        }
    }

    @Test
    void aValueReturnedWithoutResultsMiddlewareIsReportedOncePerActor() throws Exception {
        fixture = new WorkerTesting(new StubBroker());
        TestActor actor = TestActor.declare(fixture.broker, "answer", m -> 42);
        Worker worker = fixture.start();
        try (LogCapture log = new LogCapture()) {
            actor.send();
            actor.send();
            fixture.drain(worker, "default");

            assertThat(log.text()).contains("Actor 'answer' returned a value", WARNING);
            assertThat(log.text().split(WARNING, -1)).hasSize(2);
        }
    }

    @Test
    void noWarningForNullForPipelineStepsOrWithResults() throws Exception {
        fixture = new WorkerTesting(new StubBroker());
        TestActor nothing = TestActor.declare(fixture.broker, "nothing", m -> null);
        TestActor piped = TestActor.declare(fixture.broker, "piped", m -> 1);
        Worker worker = fixture.start();
        try (LogCapture log = new LogCapture()) {
            nothing.send();
            piped.sendWithOptions(List.of(), Map.of(), null,
                    Map.of(Pipelines.PIPE_TARGET, nothing.message().toMap()));
            fixture.drain(worker, "default");

            assertThat(log.text()).doesNotContain(WARNING);
        }
    }

    @Test
    void noWarningWhenTheBrokerHasResults() throws Exception {
        fixture = new WorkerTesting(new StubBroker(List.of(new Results(new StubResultBackend()))));
        TestActor actor = TestActor.declare(fixture.broker, "answer", m -> 42);
        Worker worker = fixture.start();
        try (LogCapture log = new LogCapture()) {
            actor.send();
            fixture.drain(worker, "default");

            assertThat(log.text()).doesNotContain(WARNING);
        }
    }
}
