package dev.supaqueue.worker;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.List;
import java.util.Map;

/** A minimal actor for worker tests: runs a lambda on the whole message, so tests need no argument binding. */
final class TestActor implements Actor<Object> {

    @FunctionalInterface
    interface Body {
        Object run(Message message) throws Exception;
    }

    private final Broker broker;
    private final String name;
    private final String queue;
    private final int priority;
    private final Body body;

    private TestActor(Broker broker, String name, String queue, int priority, Body body) {
        this.broker = broker;
        this.name = name;
        this.queue = queue;
        this.priority = priority;
        this.body = body;
    }

    /** Declares an actor on the broker. */
    static TestActor declare(Broker broker, String name, String queue, int priority, Body body) {
        TestActor actor = new TestActor(broker, name, queue, priority, body);
        broker.declareActor(actor);
        return actor;
    }

    static TestActor declare(Broker broker, String name, Body body) {
        return declare(broker, name, "default", 0, body);
    }

    @Override
    public String actorName() {
        return name;
    }

    @Override
    public String queueName() {
        return queue;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of();
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public Message messageWithOptions(List<?> args, Map<String, ?> kwargs, Map<String, ?> options) {
        return Message.create(queue, name, args, kwargs, options);
    }

    @Override
    public Object perform(Message message) throws Exception {
        return body.run(message);
    }
}
