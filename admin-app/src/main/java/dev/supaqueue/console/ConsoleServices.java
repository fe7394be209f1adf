package dev.supaqueue.console;

import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.util.Objects;

/**
 * Everything the view models depend on, created once at start-up and handed to the controller
 * factory. Tests build their own with test doubles.
 */
public record ConsoleServices(RuntimeVersions versions, ApplicationExit applicationExit) {

    public ConsoleServices {
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(applicationExit, "applicationExit");
    }
}
