package dev.supaqueue.broker;

/** A message names an actor that is not declared on the broker. */
public class ActorNotFoundException extends BrokerException {

    private static final long serialVersionUID = 1L;

    private final String actorName;

    public ActorNotFoundException(String actorName) {
        super("No actor named '" + actorName + "' is declared on this broker");
        this.actorName = actorName;
    }

    public String actorName() {
        return actorName;
    }
}
