package dev.supaqueue.console;

import javafx.scene.Parent;

/** Builds the screens the main window switches between, so the window itself knows no view models but its own. */
public interface ConsoleScreens {

    /** The Connections screen (one instance, kept while the console runs). */
    Parent connections();

    /** The screens of an open connection: its queues and its embedded workers, as tabs. */
    Parent connected(ConnectionSession session);
}
