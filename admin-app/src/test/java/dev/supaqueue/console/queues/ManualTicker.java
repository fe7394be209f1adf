package dev.supaqueue.console.queues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.util.Subscription;

/** A {@link Ticker} that stands still until a test advances it; due actions run in time order on the caller. */
final class ManualTicker implements Ticker {

    private final List<Periodic> scheduled = new ArrayList<>();
    private long now = 1_000_000_000L;

    private static final class Periodic {
        final long period;
        final Runnable action;
        long due;
        boolean cancelled;

        Periodic(long period, Runnable action, long due) {
            this.period = period;
            this.action = action;
            this.due = due;
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Subscription every(Duration period, Runnable action) {
        Periodic periodic = new Periodic(period.toNanos(), action, now + period.toNanos());
        scheduled.add(periodic);
        return () -> {
            periodic.cancelled = true;
            scheduled.remove(periodic);
        };
    }

    /** Moves time on by {@code amount}, running every action that falls due on the way, in order. */
    void advance(Duration amount) {
        long target = now + amount.toNanos();
        while (true) {
            Periodic next = scheduled.stream().filter(p -> p.due <= target)
                    .min(Comparator.comparingLong(p -> p.due)).orElse(null);
            if (next == null) {
                break;
            }
            now = next.due;
            next.due += next.period;
            next.action.run();
        }
        now = target;
    }

    /** How many periodic actions are scheduled and not cancelled. */
    int scheduledCount() {
        return scheduled.size();
    }
}
