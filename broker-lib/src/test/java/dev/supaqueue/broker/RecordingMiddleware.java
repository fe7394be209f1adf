package dev.supaqueue.broker;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.message.Message;
import dev.supaqueue.middleware.Middleware;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Appends every broker hook call to a shared list as {@code label:hook(detail)}, e.g. {@code A:beforeEnqueue(q,
 * 250ms)}, so that tests can check which hooks ran, and in what order across several middleware.
 */
class RecordingMiddleware implements Middleware {

    final String label;
    private final List<String> calls;
    private final Set<String> actorOptions;

    /** @param calls a thread-safe list shared by the middleware whose order is checked */
    RecordingMiddleware(String label, List<String> calls) {
        this(label, calls, Set.of());
    }

    RecordingMiddleware(String label, List<String> calls, Set<String> actorOptions) {
        this.label = label;
        this.calls = calls;
        this.actorOptions = Set.copyOf(actorOptions);
    }

    void record(String hook, Object detail) {
        calls.add(label + ":" + hook + "(" + detail + ")");
    }

    @Override
    public Set<String> actorOptions() {
        return actorOptions;
    }

    @Override
    public void beforeDeclareActor(Broker broker, Actor<?> actor) {
        record("beforeDeclareActor", actor.actorName());
    }

    @Override
    public void afterDeclareActor(Broker broker, Actor<?> actor) {
        record("afterDeclareActor", actor.actorName());
    }

    @Override
    public void beforeDeclareQueue(Broker broker, String queueName) {
        record("beforeDeclareQueue", queueName);
    }

    @Override
    public void afterDeclareQueue(Broker broker, String queueName) {
        record("afterDeclareQueue", queueName);
    }

    @Override
    public void beforeEnqueue(Broker broker, Message message, Duration delay) {
        record("beforeEnqueue", message.queueName() + ", " + delay.toMillis() + "ms");
    }

    @Override
    public void afterEnqueue(Broker broker, Message message, Duration delay) {
        record("afterEnqueue", message.queueName() + ", " + delay.toMillis() + "ms");
    }

    @Override
    public void beforeAck(Broker broker, MessageProxy message) {
        record("beforeAck", message.messageId());
    }

    @Override
    public void afterAck(Broker broker, MessageProxy message) {
        record("afterAck", message.messageId());
    }

    @Override
    public void beforeNack(Broker broker, MessageProxy message) {
        record("beforeNack", message.messageId());
    }

    @Override
    public void afterNack(Broker broker, MessageProxy message) {
        record("afterNack", message.messageId());
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        record("beforeProcessMessage", message.messageId());
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        record("afterProcessMessage", message.messageId());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + label + "]";
    }
}
