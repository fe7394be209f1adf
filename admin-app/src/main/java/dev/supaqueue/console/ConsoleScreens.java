package dev.supaqueue.console;

import javafx.scene.Parent;

/** Builds the screens the main window switches between, so the window itself knows no view models but its own. */
public interface ConsoleScreens {

    /** The Connections screen (one instance, kept while the console runs). */
    Parent connections();

    /** The queues screen of an open connection. */
    Parent queues(ConnectionSession session);
}
