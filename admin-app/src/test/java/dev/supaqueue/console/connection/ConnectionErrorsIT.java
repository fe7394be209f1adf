package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.LogCapture;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Connection failures as a user meets them on the real Connections screen: Test connection and Connect each show
 * a specific sentence saying what is wrong and what to do, the console stays on the Connections screen, and the
 * typed password appears in no message and no log line.
 *
 * <p>A wrong password cannot be produced against the shared trust-auth server; its message (SQLState 28P01) is
 * covered by {@link ConnectionProblemsTest#aWrongPasswordSaysSoAndNeverRepeatsIt()}.
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class ConnectionErrorsIT {

    private static final String PASSWORD = "Zq-Distinct-Pw-7310";

    private FxBackgroundTasks tasks;
    private ConnectionsViewModel viewModel;
    private final java.util.List<ConnectRequest> requests = new java.util.ArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        Path configDir = Files.createTempDirectory("supaqueue-connection-errors-it");
        tasks = new FxBackgroundTasks(2);
        viewModel = new ConnectionsViewModel(new ProfileStore(configDir),
                new PasswordVaults(configDir, new SecretToolVault()), new ConnectionTester(Duration.ofSeconds(5)), tasks);
        viewModel.setOnConnect(requests::add);
        LoadedView<ConnectionsView> loaded = new ViewLoader(type -> new ConnectionsView(viewModel),
                ConsoleMessages.bundle()).load(ConnectionsView.class);
        stage.setScene(new Scene(loaded.root()));
        stage.show();
    }

    @AfterEach
    void stopTasks() {
        tasks.close();
    }

    @Test
    void nothingListeningOnThePort(FxRobot robot, TestDatabaseServer db) throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        int port = freePort;
        expectOnBothButtons(robot, db, form -> form.portProperty().set(Integer.toString(port)),
                "Connection refused by 127.0.0.1:" + port + ": nothing is listening on that port");
    }

    @Test
    void unknownDatabase(FxRobot robot, TestDatabaseServer db) throws Exception {
        expectOnBothButtons(robot, db, form -> form.databaseProperty().set("supaqueue_rel_no_such_db"),
                "The database 'supaqueue_rel_no_such_db' does not exist on 127.0.0.1:");
    }

    @Test
    void tlsRequiredButTheServerHasNone(FxRobot robot, TestDatabaseServer db) throws Exception {
        expectOnBothButtons(robot, db, form -> form.sslModeProperty().set(SslMode.REQUIRE),
                "TLS required but unavailable: 127.0.0.1:");
    }

    @Test
    void aRoleWithoutPgmqRights(FxRobot robot, TestDatabaseServer db) throws Exception {
        String role = "sq_rel_norights_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + role + " LOGIN");
        }
        try {
            expectOnBothButtons(robot, db, form -> form.userProperty().set(role),
                    "User '" + role + "' has no rights on pgmq in database '");
        } finally {
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                // Only this test's role: its sessions, then the role itself.
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                        + role + "'");
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    /**
     * Fills the form for the test database, spoils it with {@code spoil}, types the password, then presses Test
     * connection and Connect: both must say {@code expected}, and nothing connects.
     */
    private void expectOnBothButtons(FxRobot robot, TestDatabaseServer db, Consumer<ConnectionsViewModel> spoil,
                                     String expected) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        try (LogCapture log = new LogCapture()) {
            robot.interact(() -> {
                viewModel.nameProperty().set("Errors");
                viewModel.hostProperty().set(settings.host());
                viewModel.portProperty().set(Integer.toString(settings.port()));
                viewModel.databaseProperty().set(settings.database());
                viewModel.userProperty().set(settings.user());
                viewModel.sslModeProperty().set(SslMode.DISABLE);
                spoil.accept(viewModel);
            });
            robot.clickOn("#passwordField").write(PASSWORD);
            assertThat(robot.lookup("#passwordField").queryAs(PasswordField.class).getText()).isEqualTo(PASSWORD);

            robot.clickOn("#testButton");
            Label result = robot.lookup("#testResultLabel").queryAs(Label.class);
            waitForText(result, expected);
            assertThat(result.getText()).doesNotContain(PASSWORD);
            assertThat(robot.lookup("#resultPanel").query().getStyleClass()).doesNotContain("ok");

            robot.clickOn("#connectButton");
            Label message = robot.lookup("#messageLabel").queryAs(Label.class);
            waitForText(message, expected);
            assertThat(message.getText()).startsWith("Not connected.").doesNotContain(PASSWORD);
            assertThat(viewModel.messageIsErrorProperty().get()).isTrue();
            assertThat(requests).as("nothing was connected").isEmpty();
            assertThat(log.text()).as("log output").doesNotContain(PASSWORD);
        }
    }

    /** Waits for the label to say {@code expected}; on timeout, fails with what it said instead. */
    private static void waitForText(Label label, String expected) {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> label.getText().contains(expected));
        } catch (java.util.concurrent.TimeoutException e) {
            assertThat(label.getText()).contains(expected);
        }
    }
}
