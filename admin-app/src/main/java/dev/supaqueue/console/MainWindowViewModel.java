package dev.supaqueue.console;

import dev.supaqueue.console.connection.ConnectRequest;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * State and commands of the main window: the running versions, the open connection (at most one), and quitting.
 * The window shows the Connections screen while there is no connection and the queues of the connection otherwise.
 */
public final class MainWindowViewModel {

    private final ReadOnlyStringWrapper consoleVersion = new ReadOnlyStringWrapper(this, "consoleVersion");
    private final ReadOnlyStringWrapper brokerLibVersion = new ReadOnlyStringWrapper(this, "brokerLibVersion");
    private final ReadOnlyStringWrapper javaRuntime = new ReadOnlyStringWrapper(this, "javaRuntime");
    private final ReadOnlyStringWrapper javafxRuntime = new ReadOnlyStringWrapper(this, "javafxRuntime");
    private final ReadOnlyObjectWrapper<ConnectionSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyStringWrapper connectionTitle = new ReadOnlyStringWrapper(this, "connectionTitle", "");
    private final ReadOnlyBooleanWrapper readOnly = new ReadOnlyBooleanWrapper(this, "readOnly");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ApplicationExit applicationExit;
    private final Function<ConnectRequest, ConnectionSession> sessions;

    /**
     * @param sessions opens a session for a connect request (see {@link ConnectionSession#open})
     */
    public MainWindowViewModel(RuntimeVersions versions, ApplicationExit applicationExit,
                               Function<ConnectRequest, ConnectionSession> sessions) {
        this.applicationExit = Objects.requireNonNull(applicationExit, "applicationExit");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
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

    /** The open connection, or null. */
    public ReadOnlyObjectProperty<ConnectionSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }

    /** Whether the open connection refuses changes. */
    public ReadOnlyBooleanProperty readOnlyProperty() {
        return readOnly.getReadOnlyProperty();
    }

    /** "profile — user@host:port/database", or empty when not connected. */
    public ReadOnlyStringProperty connectionTitleProperty() {
        return connectionTitle.getReadOnlyProperty();
    }

    // Commands //

    /** Opens a connection, closing the one that was open. */
    public void connect(ConnectRequest request) {
        Objects.requireNonNull(request, "request");
        ConnectionSession opened = sessions.apply(request);
        closeSession();
        session.set(opened);
        var settings = request.settings();
        connectionTitle.set(request.profile().name() + " — " + settings.user() + "@" + settings.host() + ":"
                + settings.port() + "/" + settings.database());
        readOnly.set(request.readOnly());
        connected.set(true);
    }

    /** Closes the open connection and goes back to the Connections screen. */
    public void disconnect() {
        closeSession();
        session.set(null);
        connectionTitle.set("");
        readOnly.set(false);
        connected.set(false);
    }

    /** Closes the connection, then ends the application. */
    public void quit() {
        closeSession();
        applicationExit.exit();
    }

    private void closeSession() {
        ConnectionSession open = session.get();
        if (open != null) {
            open.close();
        }
    }
}
