package dev.supaqueue.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.composition.StepRecorder.Step;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.testing.StubWorkerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dramatiq's checklist items 28 and 29: pipelines, with the Pipelines middleware on a stub broker. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PipelineTest {

    private final List<StubWorkerFixture> fixtures = new ArrayList<>();
    private final StepRecorder recorder = new StepRecorder();

    /** Pipelines and the recorder, as the only middleware: no Retries, so a failed step is simply acked. */
    private StubWorkerFixture fixture() {
        StubWorkerFixture fixture = new StubWorkerFixture(List.<Middleware>of(new Pipelines(), recorder));
        fixtures.add(fixture);
        return fixture;
    }

    @AfterEach
    void stop() {
        fixtures.forEach(StubWorkerFixture::close);
        GlobalBroker.clear();
    }

    private static Actor2<Integer, Integer, Integer> add(StubBroker broker) {
        return ActorDefinition.named("add").on(broker).function(Integer.class, Integer.class, Integer::sum);
    }

    private static Message withOptions(Message message, Map<String, ?> options) {
        return message.withOptions(options);
    }

    // 28: building

    @Test
    void eachMessageButTheLastCarriesTheNextInPipeTarget() {
        StubBroker broker = new StubBroker(List.of(new Pipelines()));
        Actor2<Integer, Integer, Integer> add = add(broker);
        Message a = add.message(1, 2);
        Message b = add.message(3);
        Message c = add.message(4);

        List<Message> messages = Pipeline.pipeline(List.of(a, b, c), broker).messages();

        assertThat(messages).extracting(Message::messageId)
                .containsExactly(a.messageId(), b.messageId(), c.messageId());
        assertThat(messages.get(2)).isEqualTo(c);
        assertThat(messages.get(1).options().get("pipe_target")).isEqualTo(c.toMap());
        assertThat(messages.get(0).options().get("pipe_target")).isEqualTo(messages.get(1).toMap());
        assertThat(messages.get(0).args()).isEqualTo(a.args());
    }

    @Test
    void nestedPipelinesAreFlattened() {
        StubBroker broker = new StubBroker(List.of(new Pipelines()));
        Actor2<Integer, Integer, Integer> add = add(broker);
        Message a = add.message(1, 2);
        Message b = add.message(3);
        Message c = add.message(4);
        Message d = add.message(5);

        Pipeline flat = Pipeline.pipeline(List.of(a, b, c, d), broker);
        Pipeline nested = Pipeline.pipeline(List.of(Pipeline.of(a, b), Pipeline.pipeline(List.of(c, d))), broker);

        assertThat(nested.messages()).isEqualTo(flat.messages());
        assertThat(Pipeline.of(a).then(b).then(Pipeline.of(c, d)).messages()).isEqualTo(flat.messages());
        assertThat(nested.toString()).isEqualTo("Pipeline[add[1, 2] | add[3] | add[4] | add[5]]");
    }

    @Test
    void onlyMessagesAndPipelinesMakeAPipeline() {
        assertThatThrownBy(() -> Pipeline.pipeline(List.of("add")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> Pipeline.pipeline(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pipeline.of()).isInstanceOf(IllegalArgumentException.class);
    }

    // 28: running

    @Test
    void eachStepGetsThePreviousResultAndTheLastReturns10() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Pipeline.pipeline(List.of(add.message(1, 2), add.message(3), add.message(4)), t.broker).run();
        t.start();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::args)
                .containsExactly(List.of(1, 2), List.of(3, 3), List.of(4, 6));
        assertThat(recorder.steps).extracting(Step::result).containsExactly(3, 6, 10);
    }

    @Test
    void pipeIgnoreOnTheNextMessageDropsThePreviousResult() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Pipeline.pipeline(List.of(add.message(1, 2),
                withOptions(add.message(5, 5), Map.of(Pipelines.PIPE_IGNORE, true)), add.message(1)), t.broker).run();
        t.start();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::args)
                .containsExactly(List.of(1, 2), List.of(5, 5), List.of(1, 10));
    }

    @Test
    void pipeIgnoreOnTheFinishedActorDropsItsResult() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Actor2<Integer, Integer, Integer> quiet = ActorDefinition.named("quiet").option(Pipelines.PIPE_IGNORE, true)
                .on(t.broker).function(Integer.class, Integer.class, Integer::sum);
        Pipeline.pipeline(List.of(quiet.message(1, 2), add.message(7, 7)), t.broker).run();
        t.start();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::args).containsExactly(List.of(1, 2), List.of(7, 7));
    }

    @Test
    void aFailedStepStopsTheChain() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Actor2<Integer, Integer, Integer> broken = ActorDefinition.named("broken").on(t.broker)
                .function(Integer.class, Integer.class, (a, b) -> {
                    throw new IllegalStateException("no");
                });
        Pipeline.pipeline(List.of(add.message(1, 2), broken.message(1), add.message(1)), t.broker).run();
        t.start();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::actorName).containsExactly("add", "broken");
        assertThat(t.broker.queueSize("default")).isZero();
    }

    @Test
    void aResultThatIsNotJsonStopsTheChain() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Actor2<Integer, Integer, Double> nan = ActorDefinition.named("nan").on(t.broker)
                .function(Integer.class, Integer.class, (a, b) -> Double.NaN);
        Pipeline.pipeline(List.of(nan.message(1, 2), add.message(1)), t.broker).run();
        t.start();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::actorName).containsExactly("nan");
    }

    @Test
    void anInvalidPipeTargetStopsTheChainAndTheMessageIsAcked() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        t.broker.enqueue(withOptions(add.message(1, 2), Map.of(Pipelines.PIPE_TARGET, Map.of("actor_name", "add"))));
        t.start();
        t.drain("default");

        assertThat(recorder.steps).hasSize(1);
        assertThat(t.broker.deadLetters("default")).isEmpty();
    }

    @Test
    void runUsesTheGlobalBrokerWhenNoneWasGiven() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Pipeline pipeline = Pipeline.of(add.message(1, 2), add.message(3));
        assertThatThrownBy(pipeline::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No global broker");

        GlobalBroker.set(t.broker);
        assertThat(pipeline.run()).isSameAs(pipeline);
        t.start();
        t.drain("default");
        assertThat(recorder.steps).extracting(Step::result).containsExactly(3, 6);
    }

    // 29: delays

    @Test
    void thePipelineDelayIsTheLargerOfRunsAndTheFirstMessages() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        t.start();

        long start = System.nanoTime();
        Pipeline.pipeline(List.of(withOptions(add.message(1, 2), Map.of("delay", 100))), t.broker)
                .run(Duration.ofMillis(400));
        t.drain("default");
        assertThat(startedAfterMillis(recorder.steps.getFirst(), start)).isGreaterThanOrEqualTo(400);

        recorder.steps.clear();
        start = System.nanoTime();
        Pipeline.pipeline(List.of(withOptions(add.message(1, 2), Map.of("delay", 400))), t.broker)
                .run(Duration.ofMillis(100));
        t.drain("default");
        assertThat(startedAfterMillis(recorder.steps.getFirst(), start)).isGreaterThanOrEqualTo(400);

        recorder.steps.clear();
        start = System.nanoTime();
        Pipeline.pipeline(List.of(withOptions(add.message(1, 2), Map.of("delay", 300))), t.broker).run();
        t.drain("default");
        assertThat(startedAfterMillis(recorder.steps.getFirst(), start)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void theSecondMessagesOwnDelayIsRespected() throws Exception {
        StubWorkerFixture t = fixture();
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        t.start();

        Pipeline.pipeline(List.of(add.message(1, 2), withOptions(add.message(3), Map.of("delay", 400))), t.broker)
                .run();
        t.drain("default");

        assertThat(recorder.steps).extracting(Step::result).containsExactly(3, 6);
        long gapMillis = (recorder.steps.get(1).startNanos() - recorder.steps.get(0).endNanos()) / 1_000_000;
        assertThat(gapMillis).isGreaterThanOrEqualTo(400);
    }

    @Test
    void aNegativeRunDelayIsRefused() {
        StubBroker broker = new StubBroker(List.of(new Pipelines()));
        Pipeline pipeline = Pipeline.pipeline(List.of(add(broker).message(1, 2)), broker);
        assertThatThrownBy(() -> pipeline.run(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(broker.queueSize("default")).isZero();
    }

    private static long startedAfterMillis(Step step, long startNanos) {
        return (step.startNanos() - startNanos) / 1_000_000;
    }
}
