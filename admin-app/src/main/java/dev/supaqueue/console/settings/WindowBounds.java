package dev.supaqueue.console.settings;

import java.util.List;
import javafx.geometry.Rectangle2D;

/**
 * Where the main window was: its position and size while not maximized, and whether it was maximized (so that
 * un-maximizing after a restart returns to the size the user chose).
 */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {

    /** How much of the window must lie on one screen to count as reachable: enough to grab its title bar. */
    static final double MIN_VISIBLE_WIDTH = 100;
    static final double MIN_VISIBLE_HEIGHT = 40;

    public WindowBounds {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("The window position must be finite numbers, got " + x + ", " + y);
        }
        if (!Double.isFinite(width) || !Double.isFinite(height) || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("The window size must be positive, got " + width + " x " + height);
        }
    }

    /**
     * Whether the window would be reachable on one of these screens: a strip of its top (where the title bar is)
     * at least {@value #MIN_VISIBLE_WIDTH} x {@value #MIN_VISIBLE_HEIGHT} pixels overlaps a screen. A monitor
     * that was unplugged since the last run leaves bounds that fail this.
     */
    public boolean isReachableOn(List<Rectangle2D> screens) {
        for (Rectangle2D screen : screens) {
            double left = Math.max(x, screen.getMinX());
            double right = Math.min(x + width, screen.getMaxX());
            double top = Math.max(y, screen.getMinY());
            double bottom = Math.min(y + Math.min(height, MIN_VISIBLE_HEIGHT), screen.getMaxY());
            if (right - left >= Math.min(width, MIN_VISIBLE_WIDTH) && bottom - top >= Math.min(height, MIN_VISIBLE_HEIGHT)) {
                return true;
            }
        }
        return false;
    }
}
