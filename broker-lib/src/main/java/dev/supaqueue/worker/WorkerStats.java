package dev.supaqueue.worker;

import java.util.Map;

/**
 * A snapshot of a {@link Worker}'s counters since it started, for consoles, health checks and tests. The counters
 * are read one after the other while the worker runs, so they are each exact but not taken at one instant.
 *
 * @param processed    attempts whose actor returned normally
 * @param failed       attempts that ended in an exception (raised by the actor or a hook, unknown actor, arguments
 *                     that do not bind), or that a middleware marked failed without skipping; retried or not
 * @param skipped      attempts a middleware skipped ({@link dev.supaqueue.middleware.SkipMessage})
 * @param deadLettered messages nacked to the dead-letter queue
 * @param running      messages running on a worker thread now
 * @param waiting      messages in memory waiting for a worker thread
 * @param inFlight     messages delivered to this worker and not yet acked, nacked or given back (running, waiting,
 *                     or being settled)
 * @param actors       per declared actor, by name
 */
public record WorkerStats(long processed, long failed, long skipped, long deadLettered, int running, int waiting,
                          int inFlight, Map<String, ActorStats> actors) {

    public WorkerStats {
        actors = Map.copyOf(actors);
    }

    /** The counters of one actor, or zeros if it has not run here. */
    public ActorStats actor(String actorName) {
        return actors.getOrDefault(actorName, ActorStats.NONE);
    }
}
