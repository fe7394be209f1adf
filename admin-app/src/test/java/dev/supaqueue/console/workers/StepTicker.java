package dev.supaqueue.console.workers;

import dev.supaqueue.console.queues.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.util.Subscription;

/** A {@link Ticker} whose periodic actions run only when a test calls {@link #fire()}, on the test's thread. */
final class StepTicker implements Ticker {

    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Subscription every(Duration period, Runnable action) {
        actions.add(action);
        return () -> actions.remove(action);
    }

    void fire() {
        actions.forEach(Runnable::run);
    }

    int scheduledCount() {
        return actions.size();
    }
}
