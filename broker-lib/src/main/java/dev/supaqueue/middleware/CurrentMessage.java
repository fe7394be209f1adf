package dev.supaqueue.middleware;

import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;

/**
 * Makes the message being processed available to the code running on its worker thread, as Dramatiq's
 * {@code CurrentMessage}: an actor reads {@link #get()} for its message id, options or retry count.
 *
 * <pre>{@code
 * broker.addMiddleware(new CurrentMessage());
 * // in an actor:
 * Message message = CurrentMessage.message();
 * log.info("Running {} (retries so far: {})", message.messageId(), message.options().get("retries"));
 * }</pre>
 *
 * <p>Set in {@code before_process_message} and cleared in {@code after_process_message} and
 * {@code after_skip_message}, so the middleware that run after it in {@code before_process_message} and before it
 * in the after hooks see it too. It is per thread: work the actor hands to other threads does not see it.
 */
public final class CurrentMessage implements Middleware {

    // Static like Dramatiq's class-level context variable: actors need no reference to the middleware.
    private static final ThreadLocal<MessageProxy> CURRENT = new ThreadLocal<>();

    /** The message being processed on the current thread, or null outside of processing (or without this middleware). */
    public static MessageProxy get() {
        return CURRENT.get();
    }

    /** As {@link #get()}, the message itself; null outside of processing. */
    public static Message message() {
        MessageProxy proxy = CURRENT.get();
        return proxy == null ? null : proxy.message();
    }

    @Override
    public void beforeProcessMessage(Broker broker, MessageProxy message) {
        CURRENT.set(message);
    }

    @Override
    public void afterProcessMessage(Broker broker, MessageProxy message, Object result, Throwable exception) {
        CURRENT.remove();
    }

    @Override
    public void afterSkipMessage(Broker broker, MessageProxy message) {
        CURRENT.remove();
    }
}
