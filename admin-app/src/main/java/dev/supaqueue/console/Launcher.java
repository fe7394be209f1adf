package dev.supaqueue.console;

import javafx.application.Application;

/**
 * The console's main class.
 *
 * <p>It must not extend {@link Application}: when JavaFX is on the class path rather than the
 * module path, the java launcher refuses such a main class ("JavaFX runtime components are
 * missing"). Going through {@link Application#launch} from a plain class avoids that check.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(SupaqueueConsoleApp.class, args);
    }
}
