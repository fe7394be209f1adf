package dev.supaqueue.worker;

import java.time.Duration;

/**
 * What one actor did on a {@link Worker}: outcomes as in {@link WorkerStats}, and the time spent in the actor
 * (hooks excluded) over the attempts that ran it.
 */
public record ActorStats(long processed, long failed, long skipped, Duration totalRunTime) {

    static final ActorStats NONE = new ActorStats(0, 0, 0, Duration.ZERO);

    /** Attempts that were not skipped, successful or not. */
    public long attempts() {
        return processed + failed;
    }

    /** The mean time in the actor per attempt that was not skipped; zero when there were none. */
    public Duration meanRunTime() {
        long attempts = attempts();
        return attempts == 0 ? Duration.ZERO : totalRunTime.dividedBy(attempts);
    }
}
