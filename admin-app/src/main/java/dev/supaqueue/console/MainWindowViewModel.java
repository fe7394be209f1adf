package dev.supaqueue.console;

import dev.supaqueue.console.connection.ConnectRequest;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.console.settings.ConsoleSettings;
import dev.supaqueue.console.settings.Theme;
import java.io.IOException;
import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * State and commands of the main window: the running versions, the open connection (at most one), the theme, the
 * message bar for unexpected problems, and quitting. The window shows the Connections screen while there is no
 * connection and the queues of the connection otherwise.
 */
public final class MainWindowViewModel {

    /** A key combination and the message key of what it does, for the Help › Keyboard shortcuts list. */
    public record KeyboardShortcut(String keys, String descriptionKey) {
    }

    /** The console's keyboard shortcuts, as the help lists them. */
    public static final List<KeyboardShortcut> SHORTCUTS = List.of(
            new KeyboardShortcut("F5", "shortcuts.refresh"),
            new KeyboardShortcut("Ctrl+F", "shortcuts.filter"),
            new KeyboardShortcut("Ctrl+E", "shortcuts.enqueue"),
            new KeyboardShortcut("Ctrl+K", "shortcuts.connections"),
            new KeyboardShortcut("Ctrl+Shift+D", "shortcuts.theme"),
            new KeyboardShortcut("Ctrl+Q", "shortcuts.quit"));

    private final ReadOnlyStringWrapper consoleVersion = new ReadOnlyStringWrapper(this, "consoleVersion");
    private final ReadOnlyStringWrapper brokerLibVersion = new ReadOnlyStringWrapper(this, "brokerLibVersion");
    private final ReadOnlyStringWrapper javaRuntime = new ReadOnlyStringWrapper(this, "javaRuntime");
    private final ReadOnlyStringWrapper javafxRuntime = new ReadOnlyStringWrapper(this, "javafxRuntime");
    private final ReadOnlyObjectWrapper<ConnectionSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final ReadOnlyStringWrapper connectionTitle = new ReadOnlyStringWrapper(this, "connectionTitle", "");
    private final ReadOnlyBooleanWrapper readOnly = new ReadOnlyBooleanWrapper(this, "readOnly");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ReadOnlyObjectWrapper<Theme> theme = new ReadOnlyObjectWrapper<>(this, "theme");
    private final ReadOnlyBooleanWrapper darkTheme = new ReadOnlyBooleanWrapper(this, "darkTheme");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyBooleanWrapper problemShown = new ReadOnlyBooleanWrapper(this, "problemShown");
    private final ApplicationExit applicationExit;
    private final Function<ConnectRequest, ConnectionSession> sessions;
    private final ConsoleSettings settings;
    private final ResourceBundle texts;

    /**
     * @param sessions opens a session for a connect request (see {@link ConnectionSession#open})
     * @param settings the console's settings: the theme is read from them, and they are saved on a theme change
     *                 and on quit
     */
    public MainWindowViewModel(RuntimeVersions versions, ApplicationExit applicationExit,
                               Function<ConnectRequest, ConnectionSession> sessions, ConsoleSettings settings,
                               ResourceBundle texts) {
        this.applicationExit = Objects.requireNonNull(applicationExit, "applicationExit");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.texts = Objects.requireNonNull(texts, "texts");
        darkTheme.bind(theme.isEqualTo(Theme.DARK));
        problemShown.bind(problem.isNotEmpty());
        theme.set(settings.theme());
        settings.loadProblem().ifPresent(problem::set);
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

    /** The theme the window shows. */
    public ReadOnlyObjectProperty<Theme> themeProperty() {
        return theme.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty darkThemeProperty() {
        return darkTheme.getReadOnlyProperty();
    }

    /** A plain-words message about something that went wrong outside any screen, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty problemShownProperty() {
        return problemShown.getReadOnlyProperty();
    }

    // Commands //

    /** Switches between the light and the dark theme and remembers the choice. */
    public void toggleTheme() {
        setTheme(theme.get().toggled());
    }

    /** Shows {@code chosen} and remembers it. */
    public void setTheme(Theme chosen) {
        Objects.requireNonNull(chosen, "chosen");
        if (chosen == theme.get()) {
            return;
        }
        theme.set(chosen);
        settings.setTheme(chosen);
        saveSettings();
    }

    /**
     * Shows an exception nobody handled as a message that names its cause; the console keeps running. The stack
     * trace belongs in the log (the caller logs it), not on the screen.
     */
    public void reportUnexpected(Throwable error) {
        Objects.requireNonNull(error, "error");
        problem.set(MessageFormat.format(texts.getString("main.problem.unexpected"), describe(error)));
    }

    /** Hides the message bar. */
    public void dismissProblem() {
        problem.set("");
    }

    /** Writes the settings (window bounds, split positions, theme); a failure shows in the message bar. */
    public void saveSettings() {
        try {
            settings.save();
        } catch (IOException | RuntimeException e) {
            problem.set(MessageFormat.format(texts.getString("main.problem.settingsNotSaved"), settings.file(),
                    describe(e)));
        }
    }

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

    /** Saves the settings, closes the connection, then ends the application. */
    public void quit() {
        saveSettings();
        closeSession();
        applicationExit.exit();
    }

    /** "IllegalStateException: what it said", with the message of the deepest cause that has one. */
    static String describe(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        String kind = error.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    private void closeSession() {
        ConnectionSession open = session.get();
        if (open != null) {
            open.close();
        }
    }
}
