package dev.supaqueue.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.actor.Actor1;
import dev.supaqueue.actor.Actor2;
import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.GlobalBroker;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.composition.StepRecorder.Step;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.GroupCallbacks;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.ratelimits.StubRateLimiterBackend;
import dev.supaqueue.results.ResultMissing;
import dev.supaqueue.results.ResultTimeout;
import dev.supaqueue.results.Results;
import dev.supaqueue.results.StubResultBackend;
import dev.supaqueue.testing.StubWorkerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dramatiq's checklist items 30 and 31: groups, their results and completion callbacks, on a stub broker. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GroupTest {

    private final List<StubWorkerFixture> fixtures = new ArrayList<>();
    private final StepRecorder recorder = new StepRecorder();
    private final StubResultBackend results = new StubResultBackend();
    private final StubRateLimiterBackend barriers = new StubRateLimiterBackend();
    private final List<Message> enqueued = new CopyOnWriteArrayList<>();

    /** Records what is enqueued, to look at the options a group run gives its children. */
    private final Middleware enqueueRecorder = new Middleware() {
        @Override
        public void beforeEnqueue(Broker broker, Message message, Duration delay) {
            enqueued.add(message);
        }
    };

    /**
     * Pipelines, GroupCallbacks, Results and the recorders, without Retries: a failed child is simply acked. After
     * hooks run in reverse, so a child's result is stored before its group's callbacks are enqueued.
     */
    private StubWorkerFixture fixture() {
        return fixture(true);
    }

    private StubWorkerFixture fixture(boolean groupCallbacks) {
        List<Middleware> middleware = new ArrayList<>(List.of(new Pipelines(), enqueueRecorder));
        if (groupCallbacks) {
            middleware.add(new GroupCallbacks(barriers));
        }
        middleware.add(new Results(results));
        middleware.add(recorder);
        StubWorkerFixture fixture = new StubWorkerFixture(middleware);
        fixtures.add(fixture);
        return fixture;
    }

    @AfterEach
    void stop() {
        fixtures.forEach(StubWorkerFixture::close);
        GlobalBroker.clear();
    }

    private static Actor1<Integer, Integer> square(Broker broker) {
        return ActorDefinition.named("square").option(ActorOptions.STORE_RESULTS, true).on(broker)
                .function(Integer.class, x -> x * x);
    }

    private static Actor2<Integer, Integer, Integer> add(Broker broker) {
        return ActorDefinition.named("add").option(ActorOptions.STORE_RESULTS, true).on(broker)
                .function(Integer.class, Integer.class, Integer::sum);
    }

    private static Actor1<String, Void> done(Broker broker) {
        return ActorDefinition.named("done").on(broker).consumer(String.class, note -> { });
    }

    private List<String> actorsRun() {
        return recorder.steps.stream().map(Step::actorName).toList();
    }

    // Building //

    @Test
    void onlyMessagesPipelinesAndGroupsMakeAGroup() {
        StubBroker broker = new StubBroker(List.of(new Results(results)));
        Message m = square(broker).message(2);
        assertThatThrownBy(() -> Group.of(m, "square")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> Group.of(m, null)).isInstanceOf(IllegalArgumentException.class);

        Group g = Group.of(m, Group.of(m), Pipeline.of(m));
        assertThat(g.size()).isEqualTo(3);
        assertThat(g.toString()).isEqualTo("Group[square[2], Group[square[2]], Pipeline[square[2]]]");
    }

    // 30: running in parallel, nesting

    @Test
    void childrenRunInParallel() throws Exception {
        StubWorkerFixture t = fixture();
        int n = 4;
        CountDownLatch allRunning = new CountDownLatch(n);
        // Each child returns whether all n were running at once: only possible if they run in parallel.
        Actor1<Integer, Boolean> meet = ActorDefinition.named("meet").option(ActorOptions.STORE_RESULTS, true)
                .on(t.broker).function(Integer.class, i -> {
                    allRunning.countDown();
                    return allRunning.await(5, TimeUnit.SECONDS);
                });
        List<Message> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(meet.message(i));
        }
        Group group = Group.group(children, t.broker).run();
        t.start();

        assertThat(group.getResults(results, Duration.ofSeconds(10))).containsExactly(true, true, true, true);
    }

    @Test
    void groupsNestAndEachChildContributesItsResult() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        // The nested group and pipeline have no broker (and there is no global one): they run on the parent's.
        Group group = Group.group(List.of(square.message(2), Group.of(square.message(3), square.message(4)),
                Pipeline.of(add.message(1, 2), add.message(3))), t.broker);
        group.run();
        t.start();

        assertThat(group.getResults(results, Duration.ofSeconds(10))).containsExactly(4, List.of(9, 16), 6);
        t.drain("default");
        assertThat(group.completedCount(results)).isEqualTo(3);
        assertThat(group.completed(results)).isTrue();
        assertThat(group.getResults(results)).containsExactly(4, List.of(9, 16), 6);
    }

    @Test
    void runDelaysEveryChild() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        t.start();
        long start = System.nanoTime();
        Group.group(List.of(square.message(1), Pipeline.of(square.message(2))), t.broker).run(Duration.ofMillis(300));
        t.drain("default");

        assertThat(recorder.steps).hasSize(2)
                .allSatisfy(step -> assertThat((step.startNanos() - start) / 1_000_000).isGreaterThanOrEqualTo(300));
        assertThatThrownBy(() -> Group.of(square.message(1)).run(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runUsesTheGlobalBrokerWhenNoneWasGiven() throws Exception {
        StubWorkerFixture t = fixture();
        Group group = Group.of(square(t.broker).message(5));
        assertThatThrownBy(group::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No global broker");

        GlobalBroker.set(t.broker);
        assertThat(group.run()).isSameAs(group);
        t.start();
        assertThat(group.getResults(Duration.ofSeconds(10))).containsExactly(25);
    }

    // 30: results

    @Test
    void getResultsTimesOutWithOneDeadlineForAllChildren() {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Group group = Group.group(List.of(square.message(1), square.message(2), square.message(3)), t.broker).run();
        // No worker: nothing completes.

        long start = System.nanoTime();
        assertThatThrownBy(() -> group.getResults(results, Duration.ofMillis(300)))
                .isInstanceOf(ResultTimeout.class);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        // One shared deadline: not 3 × 300 ms.
        assertThat(elapsedMs).isBetween(290L, 850L);

        assertThatThrownBy(() -> group.waitFor(results, Duration.ofMillis(50))).isInstanceOf(ResultTimeout.class);
        assertThatThrownBy(() -> group.getResults(results)).isInstanceOf(ResultMissing.class);
        assertThat(group.completedCount(results)).isZero();
        assertThat(group.completed(results)).isFalse();
    }

    @Test
    void completedCountIsRightWhenChildrenCompleteOutOfOrder() throws Exception {
        StubWorkerFixture t = fixture();
        CountDownLatch[] gates = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        Actor1<Integer, Integer> gated = ActorDefinition.named("gated").option(ActorOptions.STORE_RESULTS, true)
                .on(t.broker).function(Integer.class, i -> {
                    if (!gates[i].await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("gate " + i + " never opened");
                    }
                    return i;
                });
        Group group = Group.group(List.of(gated.message(0), gated.message(1), gated.message(2)), t.broker).run();
        t.start();
        assertThat(group.completedCount(results)).isZero();

        gates[2].countDown(); // the last child completes first
        StubWorkerFixture.await("one child completed", () -> group.completedCount(results) == 1);
        assertThat(group.completed(results)).isFalse();
        gates[0].countDown();
        StubWorkerFixture.await("two children completed", () -> group.completedCount(results) == 2);
        gates[1].countDown();
        group.waitFor(results, Duration.ofSeconds(10));

        assertThat(group.completedCount(results)).isEqualTo(3);
        assertThat(group.completed(results)).isTrue();
        assertThat(group.getResults(results)).containsExactly(0, 1, 2);
    }

    @Test
    void resultsComeFromTheBrokersResultsMiddlewareByDefault() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Group group = Group.group(List.of(square.message(6), square.message(7)), t.broker).run();
        t.start();

        group.waitFor(Duration.ofSeconds(10));
        assertThat(group.getResults(Duration.ofSeconds(1))).containsExactly(36, 49);
        assertThat(group.completedCount()).isEqualTo(2);
        assertThat(group.completed()).isTrue();

        StubBroker bare = new StubBroker(List.of());
        Group elsewhere = Group.group(List.of(done(bare).message("x")), bare);
        assertThatThrownBy(() -> elsewhere.getResults(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Results");
    }

    // 31: completion callbacks

    @Test
    void callbacksRunOnceAfterAllChildren() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Actor1<String, Void> done = done(t.broker);
        List<Message> children = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            children.add(square.message(i));
        }
        Group group = Group.group(children, t.broker).addCompletionCallback(done.message("all squared"));
        group.run();
        t.start();
        t.drain("default");

        assertThat(actorsRun()).hasSize(11).endsWith("done").filteredOn("done"::equals).hasSize(1);
        Step callback = recorder.steps.getLast();
        assertThat(callback.args()).containsExactly("all squared");
        long lastChildEnd = recorder.steps.stream().filter(s -> s.actorName().equals("square"))
                .mapToLong(Step::endNanos).max().orElseThrow();
        assertThat(callback.startNanos()).isGreaterThan(lastChildEnd);
        assertThat(group.getResults(results)).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);

        // Each run has a barrier of its own: a second run calls back once more.
        group.run();
        t.drain("default");
        assertThat(actorsRun()).filteredOn("done"::equals).hasSize(2);
    }

    @Test
    @SuppressWarnings("unchecked") // the callbacks option is a list of message dicts
    void groupsOfPipelinesCallBackOnceAfterTheirLastSteps() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Actor2<Integer, Integer, Integer> add = add(t.broker);
        Actor1<String, Void> done = done(t.broker);
        Message last1 = add.message(4);
        Message last2 = add.message(1);
        Message single = square.message(5);
        Message callback1 = done.message("first");
        Message callback2 = done.message("second");
        Group group = Group.group(List.of(Pipeline.of(add.message(1, 2), add.message(3), last1),
                Pipeline.of(add.message(10, 10), last2), single), t.broker)
                .addCompletionCallback(callback1).addCompletionCallback(callback2);
        group.run();
        t.start();
        t.drain("default");

        assertThat(actorsRun()).hasSize(8);
        assertThat(actorsRun().subList(6, 8)).containsExactly("done", "done");
        assertThat(recorder.steps.subList(6, 8)).extracting(Step::args)
                .containsExactlyInAnyOrder(List.of("first"), List.of("second"));
        assertThat(group.getResults(results)).containsExactly(10, 21, 25);

        // Only the messages that finish a child carry the group options, all with the same barrier.
        List<Message> marked = enqueued.stream()
                .filter(m -> m.options().containsKey(GroupCallbacks.GROUP_COMPLETION_UUID)).toList();
        assertThat(marked).extracting(Message::messageId)
                .containsExactlyInAnyOrder(last1.messageId(), last2.messageId(), single.messageId());
        assertThat(marked).extracting(m -> m.options().get(GroupCallbacks.GROUP_COMPLETION_UUID)).containsOnly(
                marked.getFirst().options().get(GroupCallbacks.GROUP_COMPLETION_UUID));
        List<Map<String, Object>> dicts = (List<Map<String, Object>>) marked.getLast().options()
                .get(GroupCallbacks.GROUP_COMPLETION_CALLBACKS);
        assertThat(dicts.stream().map(d -> d.get(Message.MESSAGE_ID)).toList()).containsExactly(callback1.messageId(), callback2.messageId());
        String uuid = (String) marked.getFirst().options().get(GroupCallbacks.GROUP_COMPLETION_UUID);
        assertThat(barriers.barrierRemaining(uuid)).isZero();
    }

    @Test
    void aFailedChildNeverCompletesTheGroup() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Actor1<Integer, Integer> broken = ActorDefinition.named("broken").on(t.broker)
                .function(Integer.class, i -> {
                    throw new IllegalStateException("no");
                });
        Group group = Group.group(List.of(square.message(1), broken.message(1), square.message(2)), t.broker)
                .addCompletionCallback(done(t.broker).message("never"));
        group.run();
        t.start();
        t.drain("default");

        assertThat(actorsRun()).containsExactlyInAnyOrder("square", "broken", "square");
        String uuid = (String) enqueued.getFirst().options().get(GroupCallbacks.GROUP_COMPLETION_UUID);
        assertThat(barriers.barrierRemaining(uuid)).isEqualTo(1);
    }

    @Test
    void runWithCallbacksButWithoutGroupCallbacksFails() {
        StubWorkerFixture t = fixture(false);
        Actor1<Integer, Integer> square = square(t.broker);
        Group group = Group.group(List.of(square.message(1), square.message(2)), t.broker)
                .addCompletionCallback(done(t.broker).message("never"));

        assertThatThrownBy(group::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no GroupCallbacks middleware")
                .hasMessageContaining("broker.addMiddleware(new GroupCallbacks(");
        assertThat(t.broker.queueSize("default")).isZero();

        // Without callbacks the middleware is not needed.
        Group.group(List.of(square.message(1)), t.broker).run();
        assertThat(t.broker.queueSize("default")).isEqualTo(1);
    }

    @Test
    void aGroupWithCallbacksCannotContainGroups() {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        Group group = Group.group(List.of(square.message(1), Group.of(square.message(2))), t.broker)
                .addCompletionCallback(done(t.broker).message("never"));

        assertThatThrownBy(group::run).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot contain groups");
        assertThat(t.broker.queueSize("default")).isZero();
        assertThatThrownBy(() -> Group.group(List.of(), t.broker).addCompletionCallback(square.message(1)).run())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("empty group");
    }

    @Test
    void badGroupOptionsAreLoggedAndNeverFailTheMessage() throws Exception {
        StubWorkerFixture t = fixture();
        Actor1<Integer, Integer> square = square(t.broker);
        barriers.createBarrier("bad-callbacks", 1, Duration.ofMinutes(1));
        t.broker.enqueue(square.message(1).withOptions(Map.of(GroupCallbacks.GROUP_COMPLETION_UUID, "bad-callbacks",
                GroupCallbacks.GROUP_COMPLETION_CALLBACKS, List.of(Map.of("actor_name", "done")))));
        t.broker.enqueue(square.message(2).withOptions(Map.of(GroupCallbacks.GROUP_COMPLETION_UUID, "no-barrier",
                GroupCallbacks.GROUP_COMPLETION_CALLBACKS, List.of(done(t.broker).message("never").toMap()))));
        t.start();
        t.drain("default");

        assertThat(actorsRun()).containsExactlyInAnyOrder("square", "square");
        // An invalid callback list does not count as an arrival.
        assertThat(barriers.barrierRemaining("bad-callbacks")).isEqualTo(1);
        assertThat(t.broker.deadLetters("default")).isEmpty();
    }

    @Test
    void theBarrierKeepsGroupCallbacksTtl() {
        GroupCallbacks middleware = new GroupCallbacks(barriers);
        assertThat(middleware.barrierTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(middleware.actorOptions()).containsExactlyInAnyOrder("group_completion_uuid",
                "group_completion_callbacks");
        middleware.createBarrier("g1", 2);
        assertThat(barriers.barrierRemaining("g1")).isEqualTo(2);
        assertThatThrownBy(() -> middleware.createBarrier("g1", 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new GroupCallbacks(barriers, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
