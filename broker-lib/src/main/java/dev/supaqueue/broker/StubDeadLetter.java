package dev.supaqueue.broker;

import dev.supaqueue.message.Message;

/**
 * A nacked message of a {@link StubQueue}, with the exception its proxy carried when it was nacked (null if
 * none), which {@link StubBroker#join(String, java.time.Duration, boolean)} rethrows with {@code failFast}. A body
 * the encoder could not decode has no message (null) and its {@link dev.supaqueue.message.MessageDecodeException}.
 */
record StubDeadLetter(Message message, Throwable exception) {
}
