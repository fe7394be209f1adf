package dev.supaqueue.console;

import java.util.Objects;
import javafx.fxml.FXML;
import javafx.scene.control.Label;

/** Controller of {@code MainWindow.fxml}: binds controls to {@link MainWindowViewModel} and forwards actions. */
public final class MainWindowView {

    private final MainWindowViewModel viewModel;

    @FXML
    private Label consoleVersionValue;
    @FXML
    private Label brokerLibVersionValue;
    @FXML
    private Label javaRuntimeValue;
    @FXML
    private Label javafxRuntimeValue;

    public MainWindowView(MainWindowViewModel viewModel) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    @FXML
    private void initialize() {
        consoleVersionValue.textProperty().bind(viewModel.consoleVersionProperty());
        brokerLibVersionValue.textProperty().bind(viewModel.brokerLibVersionProperty());
        javaRuntimeValue.textProperty().bind(viewModel.javaRuntimeProperty());
        javafxRuntimeValue.textProperty().bind(viewModel.javafxRuntimeProperty());
    }

    @FXML
    private void quit() {
        viewModel.quit();
    }
}
