package dev.supaqueue.console.workers;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.actor.ArgumentType;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.middleware.CurrentMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Built-in actors to try a queue with, all on one chosen Dramatiq queue:
 * <ul>
 *   <li>{@value #ECHO}(value): logs its argument (at DEBUG; the screen's log shows each message anyway);</li>
 *   <li>{@value #SLEEP}(millis): sleeps that long;</li>
 *   <li>{@value #FAIL_TIMES}(times): fails the first {@code times} attempts of each message (counted per
 *       message_id, so it works with Retries), then succeeds;</li>
 *   <li>{@value #FAIL_RANDOMLY}(probability): fails with that probability (0 to 1).</li>
 * </ul>
 * The failing actors retry fast (backoff {@value #MIN_BACKOFF_MS} to {@value #MAX_BACKOFF_MS} ms) so that retries
 * show in the log within seconds, not Dramatiq's default 15 s and more. The worker's broker must carry
 * {@link CurrentMessage} for {@value #FAIL_TIMES} to know which message it runs.
 */
public final class HarnessActors implements ActorProvider {

    public static final String ECHO = "echo";
    public static final String SLEEP = "sleep";
    public static final String FAIL_TIMES = "fail_times";
    public static final String FAIL_RANDOMLY = "fail_randomly";
    public static final List<String> NAMES = List.of(ECHO, SLEEP, FAIL_TIMES, FAIL_RANDOMLY);

    static final long MIN_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 2_000;

    private static final System.Logger log = System.getLogger(HarnessActors.class.getName());

    private final String queueName;
    private final DoubleSupplier random;
    /** Failed attempts so far per message_id; an entry goes when its message succeeds. */
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    /** The harness on {@code queueName}, failing at random with {@link ThreadLocalRandom}. */
    public HarnessActors(String queueName) {
        this(queueName, () -> ThreadLocalRandom.current().nextDouble());
    }

    HarnessActors(String queueName, DoubleSupplier random) {
        this.queueName = Objects.requireNonNull(queueName, "queueName");
        this.random = Objects.requireNonNull(random, "random");
    }

    public String queueName() {
        return queueName;
    }

    @Override
    public void declareActors(Broker broker) {
        Map<String, Object> fastRetries = Map.of(ActorOptions.MIN_BACKOFF, MIN_BACKOFF_MS,
                ActorOptions.MAX_BACKOFF, MAX_BACKOFF_MS);
        ActorDefinition.named(ECHO).on(broker).queue(queueName).parameterNames("value")
                .consumer(ArgumentType.of(Object.class), value -> log.log(System.Logger.Level.DEBUG,
                        "echo: {0}", value));
        ActorDefinition.named(SLEEP).on(broker).queue(queueName).parameterNames("millis")
                .consumer(Long.class, millis -> Thread.sleep(Math.max(0, millis)));
        ActorDefinition.named(FAIL_TIMES).on(broker).queue(queueName).options(fastRetries).parameterNames("times")
                .consumer(Integer.class, this::failTimes);
        ActorDefinition.named(FAIL_RANDOMLY).on(broker).queue(queueName).options(fastRetries)
                .parameterNames("probability").consumer(Double.class, this::failRandomly);
    }

    private void failTimes(int times) {
        MessageProxy current = CurrentMessage.get();
        if (current == null) {
            throw new IllegalStateException(FAIL_TIMES + " needs the CurrentMessage middleware on its broker");
        }
        String id = current.messageId();
        int failedSoFar = failures.computeIfAbsent(id, k -> new AtomicInteger()).get();
        if (failedSoFar < times) {
            failures.get(id).incrementAndGet();
            throw new HarnessFailure("attempt " + (failedSoFar + 1) + " of message " + id + " fails on purpose ("
                    + times + " failure(s) asked)");
        }
        failures.remove(id);
    }

    private void failRandomly(double probability) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be between 0 and 1, got " + probability);
        }
        if (random.getAsDouble() < probability) {
            throw new HarnessFailure("failed on purpose (probability " + probability + ")");
        }
    }

    /** The failure the harness raises on purpose. */
    public static final class HarnessFailure extends RuntimeException {
        HarnessFailure(String message) {
            super(message, null, false, false);
        }
    }
}
