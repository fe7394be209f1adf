package dev.supaqueue.console;

import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.util.Objects;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/** State and commands of the main window: which versions are running, and quitting. */
public final class MainWindowViewModel {

    private final ReadOnlyStringWrapper consoleVersion = new ReadOnlyStringWrapper(this, "consoleVersion");
    private final ReadOnlyStringWrapper brokerLibVersion = new ReadOnlyStringWrapper(this, "brokerLibVersion");
    private final ReadOnlyStringWrapper javaRuntime = new ReadOnlyStringWrapper(this, "javaRuntime");
    private final ReadOnlyStringWrapper javafxRuntime = new ReadOnlyStringWrapper(this, "javafxRuntime");
    private final ApplicationExit applicationExit;

    public MainWindowViewModel(RuntimeVersions versions, ApplicationExit applicationExit) {
        this.applicationExit = Objects.requireNonNull(applicationExit, "applicationExit");
        consoleVersion.set(versions.console());
        brokerLibVersion.set(versions.brokerLib());
        javaRuntime.set(versions.java() + " (" + versions.javaVendor() + ")");
        javafxRuntime.set(versions.javafx());
    }

    // Properties //

    public ReadOnlyStringProperty consoleVersionProperty() {
        return consoleVersion.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty brokerLibVersionProperty() {
        return brokerLibVersion.getReadOnlyProperty();
    }

    /** The Java runtime version followed by its vendor, for example {@code 25.0.1+8-LTS (Eclipse Adoptium)}. */
    public ReadOnlyStringProperty javaRuntimeProperty() {
        return javaRuntime.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty javafxRuntimeProperty() {
        return javafxRuntime.getReadOnlyProperty();
    }

    // Commands //

    /** Ends the application; nothing is open yet that would need saving or closing first. */
    public void quit() {
        applicationExit.exit();
    }
}
