package dev.supaqueue.middleware;

import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.message.Message;
import dev.supaqueue.worker.RunningMessage;
import dev.supaqueue.worker.Worker;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a worker begins to stop, interrupts the tasks that asked for it with {@code notify_shutdown}, as Dramatiq's
 * {@code ShutdownNotifications}: their attempt fails with {@link Shutdown} (see {@link Worker#interrupt}), so that a
 * long task can save its progress and end early. Other tasks run on within the worker's shutdown timeout.
 *
 * <p>{@code notify_shutdown} is looked up in the message, then the actor, then this middleware; a null value is
 * unset and falls through, while {@code false} is respected (a message's {@code false} overrides its actor's
 * {@code true}).
 */
public final class ShutdownNotifications implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(ShutdownNotifications.class);

    private final boolean notifyShutdown;

    /** Only tasks whose message or actor sets {@code notify_shutdown} are interrupted. */
    public ShutdownNotifications() {
        this(false);
    }

    /** @param notifyShutdown for messages and actors that do not set {@code notify_shutdown} */
    public ShutdownNotifications(boolean notifyShutdown) {
        this.notifyShutdown = notifyShutdown;
    }

    @Override
    public Set<String> actorOptions() {
        return Set.of(ActorOptions.NOTIFY_SHUTDOWN);
    }

    /** Whether a running task of this message is interrupted when its worker stops: message, actor, then default. */
    public boolean notifies(Broker broker, Message message) {
        Optional<Object> value = MessageOptions.first(broker, message, ActorOptions.NOTIFY_SHUTDOWN);
        return value.map(ShutdownNotifications::truthy).orElse(notifyShutdown);
    }

    @Override
    public void beforeWorkerShutdown(Broker broker, Worker worker) {
        // Resolved now rather than in before_process_message, as Dramatiq does: same answer, no state to clean up.
        for (RunningMessage running : worker.runningMessages()) {
            if (notifies(broker, running.message().message())
                    && worker.interrupt(running.message(), new Shutdown("Worker is shutting down"))) {
                log.info("Notified message {} of actor '{}' on {} of the shutdown", running.message().messageId(),
                        running.message().actorName(), running.thread().getName());
            }
        }
    }

    /** Python's truth value, as Dramatiq tests {@code if notify_shutdown:}. */
    private static boolean truthy(Object value) {
        return switch (value) {
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case String s -> !s.isEmpty();
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }
}
