package dev.supaqueue.middleware;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test actor that runs a lambda on the whole message and declares any option values, including ones an
 * {@code ActorDefinition} cannot hold (a {@link Retries.RetryWhen} function).
 */
final class OptionsActor implements Actor<Object> {

    @FunctionalInterface
    interface Body {
        Object run(Message message) throws Exception;
    }

    private final Broker broker;
    private final String name;
    private final Map<String, Object> options;
    private final Body body;

    private OptionsActor(Broker broker, String name, Map<String, ?> options, Body body) {
        this.broker = broker;
        this.name = name;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.body = body;
    }

    static OptionsActor declare(Broker broker, String name, Map<String, ?> options, Body body) {
        OptionsActor actor = new OptionsActor(broker, name, options, body);
        broker.declareActor(actor);
        return actor;
    }

    @Override
    public String actorName() {
        return name;
    }

    @Override
    public String queueName() {
        return "default";
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
        return Message.create("default", name, args, kwargs, options);
    }

    @Override
    public Object perform(Message message) throws Exception {
        return body.run(message);
    }
}
