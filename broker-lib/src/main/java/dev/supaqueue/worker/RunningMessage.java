package dev.supaqueue.worker;

import dev.supaqueue.broker.MessageProxy;
import java.time.Instant;

/**
 * A message running on one of a {@link Worker}'s threads, for middleware that watches running tasks (time limits,
 * shutdown notifications) and for consoles.
 *
 * @param thread    the worker thread running it; interrupting it is how a task is asked to stop
 * @param message   the message being processed
 * @param startedAt when the worker thread took it
 */
public record RunningMessage(Thread thread, MessageProxy message, Instant startedAt) {
}
