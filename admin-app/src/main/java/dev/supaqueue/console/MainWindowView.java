package dev.supaqueue.console;

import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.console.settings.Theme;
import dev.supaqueue.console.settings.ThemeStylesheets;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.fxml.FXML;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;

/**
 * Controller of {@code MainWindow.fxml}: binds controls to {@link MainWindowViewModel}, forwards actions, puts
 * the Connections screen or the open connection's queues screen in the middle, and applies the theme to the
 * window's scene.
 */
public final class MainWindowView {

    static final String DARK_STYLESHEET = "dark.css";

    private final MainWindowViewModel viewModel;
    private final ConsoleScreens screens;
    private final ResourceBundle texts;
    private final ThemeStylesheets themeStylesheets =
            new ThemeStylesheets(ViewLoader.requireResource(MainWindowView.class, DARK_STYLESHEET).toExternalForm());

    @FXML
    private BorderPane root;
    @FXML
    private Label consoleVersionValue;
    @FXML
    private Label brokerLibVersionValue;
    @FXML
    private Label javaRuntimeValue;
    @FXML
    private Label javafxRuntimeValue;
    @FXML
    private Label connectionLabel;
    @FXML
    private Label readOnlyBadge;
    @FXML
    private Button disconnectButton;
    @FXML
    private MenuItem connectionsMenuItem;
    @FXML
    private CheckMenuItem darkThemeMenuItem;
    @FXML
    private HBox problemBar;
    @FXML
    private Label problemLabel;
    @FXML
    private StackPane screenHost;

    public MainWindowView(MainWindowViewModel viewModel, ConsoleScreens screens, ResourceBundle texts) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.screens = Objects.requireNonNull(screens, "screens");
        this.texts = Objects.requireNonNull(texts, "texts");
    }

    @FXML
    private void initialize() {
        consoleVersionValue.textProperty().bind(viewModel.consoleVersionProperty());
        brokerLibVersionValue.textProperty().bind(viewModel.brokerLibVersionProperty());
        javaRuntimeValue.textProperty().bind(viewModel.javaRuntimeProperty());
        javafxRuntimeValue.textProperty().bind(viewModel.javafxRuntimeProperty());
        connectionLabel.textProperty().bind(viewModel.connectionTitleProperty());
        readOnlyBadge.visibleProperty().bind(viewModel.readOnlyProperty());
        readOnlyBadge.managedProperty().bind(readOnlyBadge.visibleProperty());
        disconnectButton.visibleProperty().bind(viewModel.connectedProperty());
        disconnectButton.managedProperty().bind(disconnectButton.visibleProperty());
        connectionsMenuItem.disableProperty().bind(viewModel.connectedProperty().not());
        problemLabel.textProperty().bind(viewModel.problemProperty());
        problemBar.visibleProperty().bind(viewModel.problemShownProperty());
        problemBar.managedProperty().bind(problemBar.visibleProperty());
        // Not bound: a CheckMenuItem flips its own selection when clicked, which a bound property would refuse.
        darkThemeMenuItem.setSelected(viewModel.darkThemeProperty().get());
        viewModel.darkThemeProperty().addListener((property, old, dark) -> darkThemeMenuItem.setSelected(dark));
        viewModel.themeProperty().addListener((property, old, theme) -> applyTheme(root.getScene(), theme));
        root.sceneProperty().addListener((property, old, scene) -> applyTheme(scene, viewModel.themeProperty().get()));
        viewModel.sessionProperty().addListener((property, old, session) -> show(session));
        show(viewModel.sessionProperty().get());
    }

    /** The main window's view model, for the application's handler of uncaught exceptions. */
    public MainWindowViewModel viewModel() {
        return viewModel;
    }

    private void applyTheme(Scene scene, Theme theme) {
        if (scene != null) {
            themeStylesheets.apply(theme, scene.getStylesheets());
        }
    }

    private void show(ConnectionSession session) {
        screenHost.getChildren().setAll(session == null ? screens.connections() : screens.connected(session));
    }

    @FXML
    private void disconnect() {
        viewModel.disconnect();
    }

    @FXML
    private void quit() {
        viewModel.quit();
    }

    @FXML
    private void toggleTheme() {
        viewModel.toggleTheme();
        // Keep the tick in step even if the view model refused the change.
        darkThemeMenuItem.setSelected(viewModel.darkThemeProperty().get());
    }

    @FXML
    private void dismissProblem() {
        viewModel.dismissProblem();
    }

    @FXML
    private void showShortcuts() {
        GridPane list = new GridPane();
        list.setId("shortcutList");
        list.getStyleClass().add("shortcut-list");
        int row = 0;
        for (MainWindowViewModel.KeyboardShortcut shortcut : MainWindowViewModel.SHORTCUTS) {
            Label keys = new Label(shortcut.keys());
            keys.getStyleClass().add("keys");
            list.addRow(row++, keys, new Label(texts.getString(shortcut.descriptionKey())));
        }
        showDialog("shortcutsDialog", texts.getString("help.shortcuts.title"), list);
    }

    @FXML
    private void showAbout() {
        Label about = new Label(MessageFormat.format(texts.getString("help.about.text"),
                viewModel.consoleVersionProperty().get(), viewModel.brokerLibVersionProperty().get(),
                viewModel.javaRuntimeProperty().get(), viewModel.javafxRuntimeProperty().get()));
        about.setId("aboutText");
        about.setWrapText(true);
        showDialog("aboutDialog", texts.getString("help.about.title"), about);
    }

    /** A small modal window with one Close button, styled like its owner (theme included). */
    private void showDialog(String id, String title, javafx.scene.Node content) {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(root.getScene().getWindow());
        dialog.setTitle(title);
        dialog.getDialogPane().setId(id);
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        dialog.getDialogPane().getStylesheets().setAll(root.getScene().getStylesheets());
        dialog.show();
    }
}
