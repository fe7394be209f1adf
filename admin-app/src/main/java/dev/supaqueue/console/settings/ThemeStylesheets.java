package dev.supaqueue.console.settings;

import java.util.List;
import java.util.Objects;

/**
 * Applies a theme to a scene's stylesheet list: the dark stylesheet is added after console.css for
 * {@link Theme#DARK} and removed for {@link Theme#LIGHT}. The theme lives on the scene (not on a node) so that
 * windows that copy their owner's stylesheets, like the enqueue form, get it too.
 */
public final class ThemeStylesheets {

    private final String darkStylesheet;

    /** @param darkStylesheet the URL of dark.css */
    public ThemeStylesheets(String darkStylesheet) {
        this.darkStylesheet = Objects.requireNonNull(darkStylesheet, "darkStylesheet");
    }

    public void apply(Theme theme, List<String> stylesheets) {
        boolean present = stylesheets.contains(darkStylesheet);
        if (theme == Theme.DARK && !present) {
            stylesheets.add(darkStylesheet);
        } else if (theme == Theme.LIGHT && present) {
            stylesheets.removeIf(darkStylesheet::equals);
        }
    }
}
