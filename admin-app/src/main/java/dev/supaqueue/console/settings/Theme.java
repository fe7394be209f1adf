package dev.supaqueue.console.settings;

/** The console's colour themes: light is JavaFX's Modena with console.css, dark adds dark.css on top. */
public enum Theme {
    LIGHT,
    DARK;

    /** The other theme. */
    public Theme toggled() {
        return this == LIGHT ? DARK : LIGHT;
    }
}
