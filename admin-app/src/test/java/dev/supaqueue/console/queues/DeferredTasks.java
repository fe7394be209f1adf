package dev.supaqueue.console.queues;

import dev.supaqueue.console.fx.BackgroundTasks;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@link BackgroundTasks} that hold work until the test finishes it, to see what happens while work is running. */
final class DeferredTasks implements BackgroundTasks {

    private final Deque<Runnable> pending = new ArrayDeque<>();

    @Override
    public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                        Consumer<? super Throwable> onFailure) {
        pending.add(() -> BackgroundTasks.inline().run(description, work, onSuccess, onFailure));
    }

    int pending() {
        return pending.size();
    }

    /** Runs the oldest held work and its callback. */
    void finishOne() {
        pending.removeFirst().run();
    }
}
