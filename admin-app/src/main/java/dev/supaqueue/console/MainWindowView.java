package dev.supaqueue.console;

import java.util.Objects;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.StackPane;

/**
 * Controller of {@code MainWindow.fxml}: binds controls to {@link MainWindowViewModel}, forwards actions, and puts
 * the Connections screen or the open connection's queues screen in the middle.
 */
public final class MainWindowView {

    private final MainWindowViewModel viewModel;
    private final ConsoleScreens screens;

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
    private StackPane screenHost;

    public MainWindowView(MainWindowViewModel viewModel, ConsoleScreens screens) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.screens = Objects.requireNonNull(screens, "screens");
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
        viewModel.sessionProperty().addListener((property, old, session) -> show(session));
        show(viewModel.sessionProperty().get());
    }

    private void show(ConnectionSession session) {
        screenHost.getChildren().setAll(session == null ? screens.connections() : screens.queues(session));
    }

    @FXML
    private void disconnect() {
        viewModel.disconnect();
    }

    @FXML
    private void quit() {
        viewModel.quit();
    }
}
