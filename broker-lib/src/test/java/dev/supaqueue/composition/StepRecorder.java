package dev.supaqueue.composition;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.middleware.Middleware;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every processed message's actor, arguments and result, and when it started and ended: how the tests see
 * a pipeline's steps while there is no results backend.
 */
final class StepRecorder implements Middleware {

    record Step(String actorName, List<Object> args, Object result, Throwable exception, long startNanos,
                long endNanos) {
    }

    final List<Step> steps = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Long> started = new ThreadLocal<>();

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        started.set(System.nanoTime());
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        Long start = started.get();
        steps.add(new Step(message.actorName(), message.message().args(), result, exception,
                start == null ? 0 : start, System.nanoTime()));
    }
}
