package dev.supaqueue.middleware;

import dev.supaqueue.actor.ActorArguments;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the next step of a pipeline, as Dramatiq's {@code Pipelines} middleware: when a message that carries a
 * {@value #PIPE_TARGET} option (the next step's message dict, see {@code dev.supaqueue.composition.Pipeline})
 * succeeds, the next message is built from that dict, the result is appended to its arguments — unless the next
 * message's {@value #PIPE_IGNORE} option or the finished actor's {@value #PIPE_IGNORE} option is true — and it is
 * enqueued with its own {@value #DELAY} option (ms) as the delay.
 *
 * <p>A failed attempt (an exception, or a message marked failed) does not continue the chain; if {@code Retries}
 * retries the step and it later succeeds, the chain continues then. A result that is not a JSON value, or a
 * {@value #PIPE_TARGET} that is not a valid message dict, stops the chain with a logged error.
 */
public final class Pipelines implements Middleware {

    /** Message option: the message dict of the next step. */
    public static final String PIPE_TARGET = "pipe_target";
    /** Message or actor option: do not append the previous step's result to this step's arguments. */
    public static final String PIPE_IGNORE = "pipe_ignore";
    /** Message option: how long, in ms, to delay this message when the previous step enqueues it. */
    public static final String DELAY = "delay";

    private static final Logger log = LoggerFactory.getLogger(Pipelines.class);

    private final MessageCodec codec = new MessageCodec();

    @Override
    public Set<String> actorOptions() {
        return Set.of(PIPE_IGNORE, PIPE_TARGET);
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy proxy, Object result, Throwable exception) {
        if (exception != null || proxy.failed()) {
            return;
        }
        Message message = proxy.message();
        Object target = message.options().get(PIPE_TARGET);
        if (target == null) {
            return;
        }
        Message next;
        try {
            next = nextMessage(target);
        } catch (MessageDecodeException e) {
            log.error("Message {} ({}) has an invalid {} option ({}); the pipeline stops here", message.messageId(),
                    message.actorName(), PIPE_TARGET, e.getMessage());
            return;
        }
        if (!pipeIgnore(broker, message, next)) {
            Object jsonResult;
            try {
                jsonResult = ActorArguments.toJsonValue(result);
            } catch (IllegalArgumentException e) {
                log.error("Actor '{}' returned a result that is not JSON ({}); the pipeline stops before '{}'",
                        message.actorName(), e.getMessage(), next.actorName());
                return;
            }
            List<Object> args = new ArrayList<>(next.args());
            args.add(jsonResult);
            next = new Message(next.queueName(), next.actorName(), args, next.kwargs(), next.options(),
                    next.messageId(), next.messageTimestamp());
        }
        Duration delay = MessageOptions.asLong(Optional.ofNullable(next.options().get(DELAY)), DELAY)
                .map(Duration::ofMillis).orElse(Duration.ZERO);
        broker.enqueue(next, delay);
    }

    private Message nextMessage(Object target) {
        if (!(target instanceof Map<?, ?> dict)) {
            throw new MessageDecodeException("expected a message dict, got " + target.getClass().getSimpleName(),
                    String.valueOf(target));
        }
        @SuppressWarnings("unchecked") // Message options only hold String-keyed maps.
        Map<String, ?> messageDict = (Map<String, ?>) dict;
        return codec.fromMap(messageDict);
    }

    /** Dramatiq: {@code next.options.get("pipe_ignore") or actor.options.get("pipe_ignore")}. */
    private static boolean pipeIgnore(Broker broker, Message finished, Message next) {
        if (Boolean.TRUE.equals(next.options().get(PIPE_IGNORE))) {
            return true;
        }
        return broker.findActor(finished.actorName())
                .map(actor -> Boolean.TRUE.equals(actor.options().get(PIPE_IGNORE)))
                .orElse(false);
    }
}
