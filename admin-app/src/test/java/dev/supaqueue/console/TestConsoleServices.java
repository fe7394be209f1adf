package dev.supaqueue.console;

import dev.supaqueue.console.connection.ConnectionTester;
import dev.supaqueue.console.connection.PasswordVaults;
import dev.supaqueue.console.connection.ProfileStore;
import dev.supaqueue.console.connection.SecretToolVault;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.queues.FxTicker;
import dev.supaqueue.console.queues.TextClipboard;
import dev.supaqueue.console.runtime.ApplicationExit;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.nio.file.Path;
import java.time.Duration;

/** Console services for tests: profiles in a temporary folder, the console's real way of connecting. */
final class TestConsoleServices {

    private TestConsoleServices() {
    }

    static ConsoleServices create(RuntimeVersions versions, ApplicationExit exit, BackgroundTasks tasks,
                                  Path configDirectory, TextClipboard clipboard) {
        return new ConsoleServices(versions, exit, tasks, new ProfileStore(configDirectory),
                new PasswordVaults(configDirectory, new SecretToolVault()), new ConnectionTester(Duration.ofSeconds(5)),
                new FxTicker(), clipboard, ConnectionSession.pooledAdmins());
    }
}
