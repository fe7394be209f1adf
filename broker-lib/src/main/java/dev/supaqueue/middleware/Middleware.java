package dev.supaqueue.middleware;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import dev.supaqueue.worker.Worker;
import java.time.Duration;
import java.util.Set;

/**
 * Hooks into the life of brokers, messages and workers, as Dramatiq's middleware.
 *
 * <p>The broker calls every {@code before*} hook in the order of its middleware list and every
 * {@code after*} hook in the reverse order. A {@link MiddlewareException} (such as {@link SkipMessage})
 * thrown from a {@code before*} hook propagates to the caller; any other exception from a hook is logged
 * and swallowed, so that a faulty middleware never fails a message. All hooks default to doing nothing.
 */
public interface Middleware {

    /** The actor options this middleware understands, such as {@code max_retries}; actors may only use known ones. */
    default Set<String> actorOptions() {
        return Set.of();
    }

    // Broker hooks //

    default void beforeDeclareActor(Broker broker, Actor<?> actor) {
    }

    default void afterDeclareActor(Broker broker, Actor<?> actor) {
    }

    default void beforeDeclareQueue(Broker broker, String queueName) {
    }

    default void afterDeclareQueue(Broker broker, String queueName) {
    }

    /** Also called for re-enqueued messages (retries). {@code delay} is zero when there is none. */
    default void beforeEnqueue(Broker broker, Message message, Duration delay) {
    }

    default void afterEnqueue(Broker broker, Message message, Duration delay) {
    }

    default void beforeAck(Broker broker, MessageProxy message) {
    }

    default void afterAck(Broker broker, MessageProxy message) {
    }

    default void beforeNack(Broker broker, MessageProxy message) {
    }

    default void afterNack(Broker broker, MessageProxy message) {
    }

    // Processing hooks //

    /** May throw {@link SkipMessage} to skip the actor; call {@link MessageProxy#fail()} too to dead-letter it. */
    default void beforeProcessMessage(Broker broker, MessageProxy message) {
    }

    /** {@code exception} is null on success; {@code result} is null on failure. */
    default void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
    }

    /** Called instead of {@link #afterProcessMessage} when a {@code before} hook skipped the message. */
    default void afterSkipMessage(Broker broker, MessageProxy message) {
    }

    // Worker hooks //

    /** Called by {@link Worker#start()} before it starts any thread; a {@link MiddlewareException} aborts the start. */
    default void beforeWorkerBoot(Broker broker, Worker worker) {
    }

    /** Called once the worker's consumer and worker threads are running. */
    default void afterWorkerBoot(Broker broker, Worker worker) {
    }

    /** Called by {@link Worker#stop()} while the worker still runs (e.g. to notify running tasks of the shutdown). */
    default void beforeWorkerShutdown(Broker broker, Worker worker) {
    }

    /** Called once the worker's threads have stopped and its consumers are closed. */
    default void afterWorkerShutdown(Broker broker, Worker worker) {
    }

    default void afterWorkerThreadBoot(Broker broker, Thread thread) {
    }

    default void beforeWorkerThreadShutdown(Broker broker, Thread thread) {
    }

    default void afterConsumerThreadBoot(Broker broker, Thread thread) {
    }

    default void beforeConsumerThreadShutdown(Broker broker, Thread thread) {
    }
}
