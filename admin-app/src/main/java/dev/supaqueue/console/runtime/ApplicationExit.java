package dev.supaqueue.console.runtime;

/**
 * Ends the console. In the application this is {@code Platform::exit}; UI tests pass a stand-in,
 * because a real exit would stop the JavaFX toolkit that all tests in the JVM share.
 */
@FunctionalInterface
public interface ApplicationExit {

    void exit();
}
