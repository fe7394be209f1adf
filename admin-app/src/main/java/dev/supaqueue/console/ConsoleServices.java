package dev.supaqueue.console;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.connection.ConnectRequest;
import dev.supaqueue.console.connection.ConnectionTester;
import dev.supaqueue.console.connection.PasswordVaults;
import dev.supaqueue.console.connection.ProfileStore;
import dev.supaqueue.console.connection.SecretToolVault;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.queues.TextClipboard;
import dev.supaqueue.console.queues.Ticker;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.console.settings.ConsoleSettings;
import dev.supaqueue.console.settings.SplitPositions;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the view models depend on, created once at start-up and handed to the controller factory. Tests
 * build their own with test doubles (a temporary profile folder, inline tasks, a manual ticker).
 *
 * @param admins   makes the {@link QueueAdmin} of a connection
 * @param settings window bounds, split positions and theme, kept next to the profiles
 */
public record ConsoleServices(RuntimeVersions versions, ApplicationExit applicationExit, BackgroundTasks tasks,
                              ProfileStore profiles, PasswordVaults vaults, ConnectionTester tester, Ticker ticker,
                              TextClipboard clipboard, Function<ConnectRequest, QueueAdmin> admins,
                              ConsoleSettings settings) {

    public ConsoleServices {
        Objects.requireNonNull(versions, "versions");
        Objects.requireNonNull(applicationExit, "applicationExit");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(vaults, "vaults");
        Objects.requireNonNull(tester, "tester");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(clipboard, "clipboard");
        Objects.requireNonNull(admins, "admins");
        Objects.requireNonNull(settings, "settings");
    }

    /** Services whose console settings are read from the profiles' folder, as on the desktop. */
    public ConsoleServices(RuntimeVersions versions, ApplicationExit applicationExit, BackgroundTasks tasks,
                           ProfileStore profiles, PasswordVaults vaults, ConnectionTester tester, Ticker ticker,
                           TextClipboard clipboard, Function<ConnectRequest, QueueAdmin> admins) {
        this(versions, applicationExit, tasks, profiles, vaults, tester, ticker, clipboard, admins,
                ConsoleSettings.load(profiles.directory()));
    }

    /** For views that keep their split panes' dividers where the user left them. */
    public SplitPositions splitPositions() {
        return new SplitPositions(settings);
    }

    /**
     * The services of a running console: profiles in the user's config folder, the OS keyring where there is one,
     * pools of its own per connection.
     */
    public static ConsoleServices forDesktop(RuntimeVersions versions, ApplicationExit exit, BackgroundTasks tasks,
                                             Ticker ticker, TextClipboard clipboard) {
        ProfileStore profiles = ProfileStore.inUserConfig();
        return new ConsoleServices(versions, exit, tasks, profiles,
                new PasswordVaults(profiles.directory(), new SecretToolVault()), new ConnectionTester(), ticker,
                clipboard, ConnectionSession.pooledAdmins(), ConsoleSettings.load(profiles.directory()));
    }
}
