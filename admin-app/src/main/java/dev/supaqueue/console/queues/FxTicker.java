package dev.supaqueue.console.queues;

import java.time.Duration;
import java.util.Objects;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.util.Subscription;

/** The real {@link Ticker}: {@link System#nanoTime()} and JavaFX timelines, which fire on the FX thread. */
public final class FxTicker implements Ticker {

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Subscription every(Duration period, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("The period must be positive, got " + period);
        }
        Timeline timeline = new Timeline(new KeyFrame(javafx.util.Duration.millis(period.toMillis()),
                event -> action.run()));
        timeline.setCycleCount(Animation.INDEFINITE);
        timeline.play();
        return timeline::stop;
    }
}
