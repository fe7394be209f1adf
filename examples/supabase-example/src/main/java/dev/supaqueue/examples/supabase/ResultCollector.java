package dev.supaqueue.examples.supabase;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.middleware.Middleware;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each processed message's return value in memory, by message id: enough for an example whose worker runs in
 * the same process (a results middleware with a database backend does this across processes).
 */
final class ResultCollector implements Middleware {

    private final Map<String, Object> results = new ConcurrentHashMap<>();

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        if (exception == null && result != null) {
            results.put(message.messageId(), result);
        }
    }

    Optional<Object> result(String messageId) {
        return Optional.ofNullable(results.get(messageId));
    }
}
