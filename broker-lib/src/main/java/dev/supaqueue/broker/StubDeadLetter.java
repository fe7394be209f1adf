package dev.supaqueue.broker;

import dev.supaqueue.message.Message;

/**
 * A nacked message of a {@link StubQueue}, with the exception its proxy carried when it was nacked (null if
 * none), which {@link StubBroker#join(String, java.time.Duration, boolean)} rethrows with {@code failFast}.
 */
record StubDeadLetter(Message message, Throwable exception) {
}
