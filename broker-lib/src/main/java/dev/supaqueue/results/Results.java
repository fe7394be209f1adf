package dev.supaqueue.results;

import dev.supaqueue.actor.ActorArguments;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.middleware.MessageOptions;
import dev.supaqueue.middleware.Pipelines;
import dev.supaqueue.middleware.SkipMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what actors return in a {@link ResultBackend}, as Dramatiq's {@code Results} middleware:
 *
 * <pre>{@code
 * broker.addMiddleware(new Results(new PostgresResultBackend(broker)));
 * Actor2<Integer, Integer, Integer> add = ActorDefinition.named("add").option(ActorOptions.STORE_RESULTS, true)...;
 * Message message = add.send(1, 2);
 * int sum = backend.getResult(message, Duration.ofSeconds(10), Integer.class);
 * }</pre>
 *
 * <ul>
 *   <li>Options {@code store_results} (boolean) and {@code result_ttl} (ms), looked up in the message, then the
 *       actor, then this middleware's defaults.</li>
 *   <li>A success is stored in {@code after_process_message} (the result converted to a JSON value; one that is not
 *       JSON is logged as an error and not stored).</li>
 *   <li>A failure is stored only when it is final, in {@code after_nack}: the message was dead-lettered because
 *       retries ran out, its exception is listed in {@code throws}, or a middleware failed it. A failed attempt that
 *       will be retried stores nothing, so readers keep waiting for the retry. This makes the position in the
 *       middleware list irrelevant: append it ({@code broker.addMiddleware}), as Dramatiq's documentation does.</li>
 *   <li>A message skipped and failed by a middleware (AgeLimit) stores a {@code SkipMessage} failure; one skipped
 *       without failing stores null.</li>
 *   <li>An actor that returns a non-null value without {@code store_results} gets a warning, unless the message is
 *       a pipeline step (its result goes to the next step).</li>
 * </ul>
 */
public final class Results implements Middleware {

    /** Dramatiq's default {@code result_ttl}: 10 minutes. */
    public static final Duration DEFAULT_RESULT_TTL = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(Results.class);

    private final ResultBackend backend;
    private final boolean storeResults;
    private final Duration resultTtl;

    /** Stores results only for actors and messages with {@code store_results = true}, for 10 minutes. */
    public Results(ResultBackend backend) {
        this(backend, false, DEFAULT_RESULT_TTL);
    }

    /**
     * @param storeResults the default of {@code store_results}
     * @param resultTtl    the default of {@code result_ttl}; null for 10 minutes
     */
    public Results(ResultBackend backend, boolean storeResults, Duration resultTtl) {
        // Dramatiq refuses a Results middleware without a backend too.
        this.backend = Objects.requireNonNull(backend, "a Results middleware needs a result backend");
        this.storeResults = storeResults;
        this.resultTtl = resultTtl == null ? DEFAULT_RESULT_TTL : PostgresResultBackend.checkTtl(resultTtl);
    }

    public ResultBackend backend() {
        return backend;
    }

    /**
     * The backend of the broker's Results middleware — what Dramatiq's {@code message.get_result()} infers.
     *
     * @throws IllegalStateException if the broker has no Results middleware
     */
    public static ResultBackend backendOf(Broker broker) {
        Objects.requireNonNull(broker, "broker");
        return broker.middleware().stream().filter(Results.class::isInstance).map(m -> ((Results) m).backend)
                .findFirst().orElseThrow(() -> new IllegalStateException("The broker has no Results middleware, so"
                        + " there is no result backend to read from: add one with"
                        + " broker.addMiddleware(new Results(backend)), or pass the backend explicitly"));
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(ActorOptions.STORE_RESULTS, ActorOptions.RESULT_TTL);
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy proxy, Object result, Throwable exception) {
        if (exception != null || proxy.failed()) {
            return; // Final failures are stored in afterNack; retried ones not at all.
        }
        Message message = proxy.message();
        if (!storeResults(broker, message)) {
            if (result != null && message.options().get(Pipelines.PIPE_TARGET) == null) {
                log.warn("Actor '{}' returned a value that is not null, but store_results is not set, so it is"
                        + " dropped; set store_results = true on the actor to keep it", message.actorName());
            }
            return;
        }
        Object json;
        try {
            json = ActorArguments.toJsonValue(result);
        } catch (IllegalArgumentException e) {
            log.error("Actor '{}' returned a result that is not JSON ({}); no result stored for message {}",
                    message.actorName(), e.getMessage(), message.messageId());
            return;
        }
        backend.store(message, json, resultTtl(broker, message));
    }

    @Override
    public void afterSkipMessage(Broker broker, MessageProxy proxy) {
        if (!storeResults(broker, proxy.message())) {
            return;
        }
        if (proxy.failed()) {
            // The worker does not keep the SkipMessage; record one so that afterNack stores it as the failure.
            if (proxy.exception() == null) {
                proxy.stuffException(new SkipMessage("Message " + proxy.messageId() + " was skipped and failed"
                        + " by a middleware"));
            }
        } else {
            backend.store(proxy.message(), null, resultTtl(broker, proxy.message()));
        }
    }

    @Override
    public void afterNack(Broker broker, MessageProxy proxy) {
        Message message = proxy.message();
        if (!proxy.failed() || !storeResults(broker, message)) {
            return;
        }
        Throwable exception = proxy.exception();
        // Dramatiq stores Exception("unknown") for a message failed without an exception.
        String type = exception == null ? "Exception" : exception.getClass().getSimpleName();
        String text = exception == null ? "unknown" : Objects.requireNonNullElse(exception.getMessage(), "");
        backend.storeFailure(message, type, text, resultTtl(broker, message));
    }

    private boolean storeResults(Broker broker, Message message) {
        Optional<Object> option = MessageOptions.first(broker, message, ActorOptions.STORE_RESULTS);
        if (option.isEmpty()) {
            return storeResults;
        }
        if (option.get() instanceof Boolean flag) {
            return flag;
        }
        log.error("Option store_results of message {} ({}) must be true or false, not {}; using {}",
                message.messageId(), message.actorName(), option.get(), storeResults);
        return storeResults;
    }

    private Duration resultTtl(Broker broker, Message message) {
        Optional<Object> option = MessageOptions.first(broker, message, ActorOptions.RESULT_TTL);
        if (option.isPresent() && option.get() instanceof Number ms && ms.longValue() > 0) {
            return Duration.ofMillis(ms.longValue());
        }
        if (option.isPresent()) {
            log.error("Option result_ttl of message {} ({}) must be a positive number of ms, not {}; using {} ms",
                    message.messageId(), message.actorName(), option.get(), resultTtl.toMillis());
        }
        return resultTtl;
    }
}
