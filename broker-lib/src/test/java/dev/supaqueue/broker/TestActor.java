package dev.supaqueue.broker;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.message.Message;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A minimal actor for broker tests: builds messages for its queue and does nothing when performed. */
final class TestActor implements Actor<Object> {

    private final Broker broker;
    private final String actorName;
    private final String queueName;
    private final Map<String, Object> options;

    TestActor(Broker broker, String actorName, String queueName) {
        this(broker, actorName, queueName, Map.of());
    }

    TestActor(Broker broker, String actorName, String queueName, Map<String, Object> options) {
        this.broker = Objects.requireNonNull(broker);
        this.actorName = actorName;
        this.queueName = queueName;
        this.options = Map.copyOf(options);
    }

    /** Creates an actor and declares it (and its queue) on the broker. */
    static TestActor declare(Broker broker, String actorName, String queueName) {
        TestActor actor = new TestActor(broker, actorName, queueName);
        broker.declareActor(actor);
        return actor;
    }

    @Override
    public String actorName() {
        return actorName;
    }

    @Override
    public String queueName() {
        return queueName;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Map<String, Object> options() {
        return options;
    }

    @Override
    public Broker broker() {
        return broker;
    }

    @Override
    public Message messageWithOptions(List<?> args, Map<String, ?> kwargs, Map<String, ?> options) {
        return Message.create(queueName, actorName, args, kwargs, options);
    }

    @Override
    public Object perform(Message message) {
        return null;
    }

    @Override
    public String toString() {
        return "TestActor[" + actorName + " on " + queueName + "]";
    }
}
