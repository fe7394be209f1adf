package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.connection.PasswordPolicy;
import dev.supaqueue.console.connection.SslMode;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.runtime.RuntimeVersions;
import dev.supaqueue.testing.LogCapture;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A distinctive password goes through the whole console: typed into the password field, kept in the encrypted
 * vault, used for a connect that fails (nothing listening) and for one that works (from the vault), then the
 * console quits. Afterwards no file the console wrote (profiles.json, console-settings.json, the vault) and no
 * line it printed holds the password or the passphrase, in UTF-8 or UTF-16.
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
@Timeout(90)
class PasswordLeakIT {

    private static final String PASSWORD = "Leak-Probe-Pw-83517";
    private static final String PASSPHRASE = "leak probe passphrase 2291";

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private Stage stage;
    private Path configDir;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        configDir = Files.createTempDirectory("supaqueue-password-leak-it");
        ConsoleStage.showMainWindow(stage, TestConsoleServices.create(RuntimeVersions.detect(), () -> stage.hide(),
                tasks, configDir, text -> { }));
    }

    @AfterEach
    void closeWindowsAndTasks() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> List.copyOf(Window.getWindows()).stream()
                .filter(window -> window != stage).forEach(Window::hide)).get(5, TimeUnit.SECONDS);
        tasks.close();
    }

    @Test
    void thePasswordReachesNoFileAndNoLog(FxRobot robot, TestDatabaseServer db) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        System.setOut(new PrintStream(tee(originalOut, stdout), true, StandardCharsets.UTF_8));
        try (LogCapture stderr = new LogCapture()) {
            // A profile for the test database whose password is kept in the encrypted file.
            robot.interact(() -> {
                field(robot, "#nameField").setText("Leak probe");
                field(robot, "#hostField").setText(settings.host());
                field(robot, "#portField").setText(Integer.toString(settings.port()));
                field(robot, "#databaseField").setText(settings.database());
                field(robot, "#userField").setText(settings.user());
                ComboBox<SslMode> sslMode = robot.lookup("#sslModeBox").queryComboBox();
                sslMode.setValue(SslMode.DISABLE);
                ComboBox<PasswordPolicy> policy = robot.lookup("#passwordPolicyBox").queryComboBox();
                policy.setValue(PasswordPolicy.ENCRYPTED_FILE);
            });
            robot.clickOn("#passwordField").write(PASSWORD);
            robot.clickOn("#passphraseField").write(PASSPHRASE);
            robot.clickOn("#saveButton");
            Label message = robot.lookup("#messageLabel").queryAs(Label.class);
            waitUntil(() -> message.getText().startsWith("Saved 'Leak probe'"));
            assertThat(message.getText()).contains("encrypted file");

            // A connect that fails, with the typed password.
            robot.interact(() -> field(robot, "#portField").setText(Integer.toString(closedPort)));
            robot.clickOn("#connectButton");
            waitUntil(() -> message.getText().contains("nothing is listening"));
            assertThat(message.getText()).doesNotContain(PASSWORD);

            // A connect that works, with the password from the vault (the field is empty; the passphrase opens it).
            robot.interact(() -> {
                field(robot, "#portField").setText(Integer.toString(settings.port()));
                field(robot, "#passwordField").setText("");
            });
            robot.clickOn("#connectButton");
            waitUntil(() -> robot.lookup("#messageTable").tryQuery().isPresent());
            assertThat(robot.lookup("#connectionLabel").queryAs(Label.class).getText()).doesNotContain(PASSWORD);

            // Quit: the settings are written and the connection closed.
            robot.push(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN));
            waitUntil(() -> !stage.isShowing());

            List<Path> written;
            try (Stream<Path> files = Files.walk(configDir)) {
                written = files.filter(Files::isRegularFile).toList();
            }
            assertThat(written).extracting(path -> configDir.relativize(path).toString().replace('\\', '/'))
                    .contains("profiles.json", "console-settings.json")
                    .anyMatch(name -> name.startsWith("passwords/") && name.endsWith(".pw"));
            for (Path file : written) {
                byte[] bytes = Files.readAllBytes(file);
                for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16LE,
                        StandardCharsets.UTF_16BE)) {
                    String text = new String(bytes, charset);
                    assertThat(text).as(file + " as " + charset).doesNotContain(PASSWORD).doesNotContain(PASSPHRASE);
                }
            }
            String printed = stderr.text() + stdout.toString(StandardCharsets.UTF_8);
            assertThat(printed).as("console output").doesNotContain(PASSWORD).doesNotContain(PASSPHRASE);
        } finally {
            System.setOut(originalOut);
        }
    }

    private static TextField field(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(TextField.class);
    }

    private static OutputStream tee(OutputStream original, ByteArrayOutputStream copy) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (copy) {
                    copy.write(b);
                }
                try {
                    original.write(b);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    private static void waitUntil(Supplier<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::get);
    }
}
