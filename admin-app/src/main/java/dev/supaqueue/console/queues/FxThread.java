package dev.supaqueue.console.queues;

import javafx.application.Platform;

/** Hands work to the FX thread: at once when already on it, else queued with {@link Platform#runLater}. */
final class FxThread {

    private FxThread() {
    }

    static void execute(Runnable work) {
        if (Platform.isFxApplicationThread()) {
            work.run();
        } else {
            Platform.runLater(work);
        }
    }
}
