package dev.supaqueue.console.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowBoundsTest {

    private static final List<Rectangle2D> SCREEN = List.of(new Rectangle2D(0, 0, 1920, 1080));

    @Test
    void aWindowWhoseTitleBarCanBeGrabbedIsReachable() {
        assertThat(new WindowBounds(0, 0, 800, 600, false).isReachableOn(SCREEN)).isTrue();
        // Mostly off to the right, but 150 pixels of its top are still on the screen.
        assertThat(new WindowBounds(1770, 500, 800, 600, false).isReachableOn(SCREEN)).isTrue();
    }

    @Test
    void aWindowAboveBesideOrBelowEveryScreenIsNot() {
        assertThat(new WindowBounds(1900, 100, 800, 600, false).isReachableOn(SCREEN)).isFalse();
        assertThat(new WindowBounds(100, -700, 800, 600, false).isReachableOn(SCREEN)).isFalse();
        assertThat(new WindowBounds(100, 1060, 800, 600, false).isReachableOn(SCREEN)).isFalse();
        assertThat(new WindowBounds(100, 100, 800, 600, false).isReachableOn(List.of())).isFalse();
    }

    @Test
    void refusesSizesThatAreNoWindow() {
        assertThatThrownBy(() -> new WindowBounds(0, 0, 0, 600, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WindowBounds(Double.NaN, 0, 800, 600, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
