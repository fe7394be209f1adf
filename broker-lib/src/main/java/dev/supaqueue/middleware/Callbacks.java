package dev.supaqueue.middleware;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.actor.ActorArguments;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a message to a callback actor after each attempt, as Dramatiq's {@code Callbacks} middleware.
 *
 * <ul>
 *   <li>{@code on_success}: the actor named there gets {@code (message_dict, result)} when the actor returned
 *       normally. The result must be a JSON value (by the rules of actor arguments); if it is not, the callback is
 *       not sent and an error naming both actors is logged.</li>
 *   <li>{@code on_failure}: the actor named there gets {@code (message_dict, {"type": simple class name,
 *       "message": exception message})} on <b>every</b> failed attempt, retried or not. With the default
 *       middleware, {@code Retries} has already run (after hooks run in reverse order), so the message dict
 *       carries {@code options.retries} = 1 on the first failure.</li>
 * </ul>
 *
 * <p>Both options are looked up in the message's options, then the actor's. A callback actor that is not declared
 * on the broker is logged as an error; the message itself is settled as it would have been without the callback.
 *
 * <p>One deliberate difference from Dramatiq: {@code on_success} is not sent for a message that a middleware marked
 * failed without an exception (it is dead-lettered, so it did not succeed); Dramatiq only checks the exception.
 */
public final class Callbacks implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);

    private static final Set<String> OPTIONS = Set.of(ActorOptions.ON_SUCCESS, ActorOptions.ON_FAILURE);

    @Override
    public Set<String> actorOptions() {
        return OPTIONS;
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy proxy, Object result, Throwable exception) {
        // Read the message now: Retries (which ran first) may have replaced it with one carrying options.retries.
        Message message = proxy.message();
        if (exception == null) {
            if (!proxy.failed()) {
                callbackName(broker, message, ActorOptions.ON_SUCCESS)
                        .ifPresent(name -> sendOnSuccess(broker, message, name, result));
            }
        } else {
            callbackName(broker, message, ActorOptions.ON_FAILURE)
                    .ifPresent(name -> send(broker, message, name, ActorOptions.ON_FAILURE, failureOf(exception)));
        }
    }

    private static Optional<String> callbackName(Broker broker, Message message, String option) {
        return MessageOptions.first(broker, message, option).map(value -> {
            if (value instanceof String name && !name.isBlank()) {
                return name;
            }
            // Only reachable for messages from elsewhere (Python, hand-made JSON): our actors normalise callbacks.
            log.error("Option {} of message {} ({}) must be an actor name, not {}; no callback sent", option,
                    message.messageId(), message.actorName(), value);
            return null;
        });
    }

    private static void sendOnSuccess(Broker broker, Message message, String callback, Object result) {
        Object jsonResult;
        try {
            jsonResult = ActorArguments.toJsonValue(result);
        } catch (IllegalArgumentException e) {
            log.error("Actor '{}' returned a result that is not JSON ({}), so on_success actor '{}' is not sent"
                    + " message {}", message.actorName(), e.getMessage(), callback, message.messageId());
            return;
        }
        send(broker, message, callback, ActorOptions.ON_SUCCESS, jsonResult);
    }

    /** Dramatiq sends {@code type(exception).__name__} and {@code str(exception)}; "" when there is no message. */
    private static Map<String, Object> failureOf(Throwable exception) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("type", exception.getClass().getSimpleName());
        failure.put("message", exception.getMessage() == null ? "" : exception.getMessage());
        return failure;
    }

    private static void send(Broker broker, Message message, String callback, String option, Object payload) {
        Optional<Actor<?>> actor = broker.findActor(callback);
        if (actor.isEmpty()) {
            log.error("The {} actor '{}' of message {} ({}) is not declared on this broker; no callback sent",
                    option, callback, message.messageId(), message.actorName());
            return;
        }
        Actor<?> target = actor.get();
        // Arrays.asList: the payload may be null (an actor that returns nothing).
        List<Object> args = Arrays.asList(message.toMap(), payload);
        try {
            // Built from JSON values directly rather than through messageWithOptions, whose Java type check would
            // refuse the dict for a typed callback declared with a Message parameter (which binds from the dict).
            broker.enqueue(Message.create(target.queueName(), target.actorName(), args, Map.of(), Map.of()));
        } catch (IllegalArgumentException e) {
            // E.g. a value the codec refuses (NaN, NUL): the callback cannot travel, the message is still settled.
            log.error("Could not send the {} callback '{}' for message {} ({}): {}", option, callback,
                    message.messageId(), message.actorName(), e.getMessage());
        }
    }
}
