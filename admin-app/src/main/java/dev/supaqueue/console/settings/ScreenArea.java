package dev.supaqueue.console.settings;

import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;

/** The screens the window may be placed on; an interface so tests can describe monitors that are not there. */
@FunctionalInterface
public interface ScreenArea {

    /** The usable bounds of every connected screen. */
    List<Rectangle2D> visualBounds();

    /** The screens JavaFX reports on this machine. Call on the FX thread. */
    static ScreenArea desktop() {
        return () -> Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
    }
}
