package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The real Connections screen, loaded from its FXML headless and driven like a user would, against the test DB. */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class ConnectionsViewIT {

    private FxBackgroundTasks tasks;
    private ConnectionsView view;

    @Start
    void start(Stage stage) throws Exception {
        Path configDir = Files.createTempDirectory("supaqueue-connections-it");
        tasks = new FxBackgroundTasks(2);
        ConnectionsViewModel viewModel = new ConnectionsViewModel(new ProfileStore(configDir),
                new PasswordVaults(configDir, new SecretToolVault()), new ConnectionTester(Duration.ofSeconds(5)), tasks);
        ViewLoader loader = new ViewLoader(type -> new ConnectionsView(viewModel), ConsoleMessages.bundle());
        LoadedView<ConnectionsView> loaded = loader.load(ConnectionsView.class);
        view = loaded.controller();
        stage.setScene(new Scene(loaded.root()));
        stage.show();
    }

    @AfterEach
    void stopTasks() {
        tasks.close();
    }

    @Test
    void showsTheOfferedProfilesWithTheLocalOneInTheForm(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#profileList").queryListView().getItems().size() == 2);
        ListView<ConnectionProfile> list = robot.lookup("#profileList").queryListView();
        assertThat(list.getItems()).extracting(ConnectionProfile::name).containsExactly("Local", "Supabase CLI");
        assertThat(text(robot, "#hostField")).isEqualTo("127.0.0.1");
        assertThat(robot.lookup(".colour-dot").queryAll()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aBadPortShowsAnInlineErrorBesideThePortField(FxRobot robot) {
        Label portError = robot.lookup("#portError").queryAs(Label.class);
        assertThat(portError.isVisible()).isFalse();

        robot.doubleClickOn("#portField").eraseText(6).write("99999");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(portError.isVisible()).isTrue();
        assertThat(portError.getText()).contains("between 1 and 65535");

        robot.doubleClickOn("#portField").eraseText(6).write("5432");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(portError.isVisible()).isFalse();
    }

    @Test
    void pastingAUriFillsTheFields(FxRobot robot) {
        robot.clickOn("#uriField")
                .write("postgresql://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres");
        robot.clickOn("#pasteUriButton");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(text(robot, "#hostField")).isEqualTo("aws-0-eu-central-1.pooler.supabase.com");
        assertThat(text(robot, "#portField")).isEqualTo("6543");
        assertThat(text(robot, "#userField")).isEqualTo("postgres.abcd");
        assertThat(robot.lookup("#passwordField").queryAs(PasswordField.class).getText()).isEqualTo("pw");
        assertThat(text(robot, "#uriField")).isEmpty();
        assertThat(robot.lookup("#uriNotesLabel").queryAs(Label.class).getText())
                .contains("transaction pooler").contains("poll");
    }

    @Test
    void testConnectionShowsThePgmqVersionInTheResultPanel(FxRobot robot, TestDatabaseServer db) throws Exception {
        SupabaseBrokerSettings settings = db.brokerSettings().build();
        ConnectionProfile profile = ConnectionTesterIT.profileFor(settings, settings.database());
        robot.interact(() -> {
            ConnectionsViewModel vm = view.viewModel();
            vm.hostProperty().set(profile.host());
            vm.portProperty().set(Integer.toString(profile.port()));
            vm.databaseProperty().set(profile.database());
            vm.userProperty().set(profile.user());
            vm.sslModeProperty().set(profile.sslMode());
            vm.passwordProperty().set(settings.password() == null ? "" : settings.password());
        });
        robot.clickOn("#testButton");

        Label result = robot.lookup("#testResultLabel").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !result.getText().isEmpty());
        assertThat(result.getText())
                .contains("Reachable")
                .contains("pgmq found")
                .contains(db.pgmq().version().toString())
                .contains("The user can use pgmq");
        assertThat(robot.lookup("#resultPanel").query().getStyleClass()).contains("ok");
        assertThat(robot.lookup("#testProgress").query().isVisible()).isFalse();
        assertThat(robot.lookup("#installButton").query().isVisible()).isFalse();
    }

    private static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(TextField.class).getText();
    }
}
