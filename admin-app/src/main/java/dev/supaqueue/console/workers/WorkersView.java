package dev.supaqueue.console.workers;

import dev.supaqueue.console.fx.InlineMessages;
import dev.supaqueue.console.fx.LenientSpinners;
import dev.supaqueue.console.fx.ReasonTooltip;
import java.io.File;
import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Controller of {@code Workers.fxml}: binds the worker setup, the Start/Stop buttons (with the reason when they are
 * disabled), the live log and the per-actor table to {@link WorkersViewModel}, and owns the file choosers; no logic
 * of its own.
 */
public final class WorkersView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final WorkersViewModel viewModel;
    private final ResourceBundle texts;
    /** Kept here: the spinners bind to these adapters, which only weakly refer back to the view model. */
    private ObjectProperty<Integer> threadsValue;
    private ObjectProperty<Integer> prefetchValue;
    private boolean syncingSelection;

    @FXML private VBox root;
    @FXML private HBox errorBar;
    @FXML private Label errorLabel;
    @FXML private Button dismissErrorButton;
    @FXML private ToggleGroup sourceGroup;
    @FXML private RadioButton harnessRadio;
    @FXML private RadioButton userRadio;
    @FXML private TextField harnessQueueField;
    @FXML private Button chooseJarButton;
    @FXML private Button chooseFolderButton;
    @FXML private Label loadedLabel;
    @FXML private ListView<String> queuesList;
    @FXML private Spinner<Integer> threadsSpinner;
    @FXML private Spinner<Integer> prefetchSpinner;
    @FXML private Label threadsError;
    @FXML private Label prefetchError;
    @FXML private Label harnessQueueError;
    @FXML private StackPane startWrapper;
    @FXML private Button startButton;
    @FXML private StackPane stopWrapper;
    @FXML private Button stopButton;
    @FXML private Label disabledReasonLabel;
    @FXML private Label statusLabel;
    @FXML private Label processedLabel;
    @FXML private TableView<ProcessedMessage> logTable;
    @FXML private TableColumn<ProcessedMessage, String> timeColumn;
    @FXML private TableColumn<ProcessedMessage, String> messageIdColumn;
    @FXML private TableColumn<ProcessedMessage, String> actorColumn;
    @FXML private TableColumn<ProcessedMessage, String> queueColumn;
    @FXML private TableColumn<ProcessedMessage, String> durationColumn;
    @FXML private TableColumn<ProcessedMessage, String> outcomeColumn;
    @FXML private TableColumn<ProcessedMessage, String> errorColumn;
    @FXML private TableView<ActorStatsRow> statsTable;
    @FXML private TableColumn<ActorStatsRow, String> statsActorColumn;
    @FXML private TableColumn<ActorStatsRow, Number> statsProcessedColumn;
    @FXML private TableColumn<ActorStatsRow, Number> statsDoneColumn;
    @FXML private TableColumn<ActorStatsRow, Number> statsRetriedColumn;
    @FXML private TableColumn<ActorStatsRow, Number> statsFailedColumn;
    @FXML private TableColumn<ActorStatsRow, Number> statsDeadColumn;
    @FXML private TableColumn<ActorStatsRow, String> statsP50Column;
    @FXML private TableColumn<ActorStatsRow, String> statsAvgColumn;

    public WorkersView(WorkersViewModel viewModel, ResourceBundle texts) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.texts = Objects.requireNonNull(texts, "texts");
    }

    public WorkersViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        errorLabel.textProperty().bind(viewModel.errorProperty());
        errorBar.visibleProperty().bind(viewModel.errorProperty().isNotEmpty());
        errorBar.managedProperty().bind(errorBar.visibleProperty());

        bindSource();
        bindQueues();
        threadsSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1,
                WorkersViewModel.MAX_THREADS, viewModel.threadsProperty().get()));
        threadsValue = viewModel.threadsProperty().asObject();
        threadsSpinner.getValueFactory().valueProperty().bindBidirectional(threadsValue);
        prefetchSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 10_000,
                viewModel.prefetchProperty().get()));
        prefetchValue = viewModel.prefetchProperty().asObject();
        prefetchSpinner.getValueFactory().valueProperty().bindBidirectional(prefetchValue);
        // Typed text goes to the view model, which says what is wrong beside the field; a bad text never throws.
        lenient(threadsSpinner);
        lenient(prefetchSpinner);
        threadsSpinner.getEditor().textProperty().addListener((property, old, text) ->
                viewModel.threadsTextProperty().set(text));
        prefetchSpinner.getEditor().textProperty().addListener((property, old, text) ->
                viewModel.prefetchTextProperty().set(text));
        InlineMessages.bind(threadsError, viewModel.threadsErrorProperty());
        InlineMessages.bind(prefetchError, viewModel.prefetchErrorProperty());
        InlineMessages.bind(harnessQueueError, viewModel.harnessQueueErrorProperty());
        threadsSpinner.disableProperty().bind(viewModel.canChangeSetupProperty().not());
        prefetchSpinner.disableProperty().bind(viewModel.canChangeSetupProperty().not());

        startButton.disableProperty().bind(viewModel.canStartProperty().not());
        stopButton.disableProperty().bind(viewModel.canStopProperty().not());
        ReasonTooltip.bind(startWrapper, viewModel.startDisabledReasonProperty());
        ReasonTooltip.bind(stopWrapper, viewModel.stopDisabledReasonProperty());
        // The reason that matters now: why Start is off while stopped, else why Stop is off.
        disabledReasonLabel.textProperty().bind(Bindings.when(viewModel.canStartProperty().or(
                viewModel.canStopProperty())).then("").otherwise(viewModel.startDisabledReasonProperty()));
        statusLabel.textProperty().bind(viewModel.statusProperty());
        processedLabel.textProperty().bind(Bindings.createStringBinding(() -> MessageFormat.format(
                texts.getString("workers.processed"), viewModel.processedCountProperty().get()),
                viewModel.processedCountProperty()));

        bindLog();
        bindStats();
    }

    /** Keeps the last good value for text that is not a number, and Enter only commits. */
    private static void lenient(Spinner<Integer> spinner) {
        // Enter commits the typed number; it must not reach Start, the window's default button.
        spinner.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == javafx.scene.input.KeyCode.ENTER) {
                spinner.commitValue();
                event.consume();
            }
        });
        LenientSpinners.keepLastGoodValue(spinner);
    }

    private void bindSource() {
        harnessRadio.setUserData(ActorSourceKind.HARNESS);
        userRadio.setUserData(ActorSourceKind.USER);
        selectSource(viewModel.actorSourceProperty().get());
        viewModel.actorSourceProperty().addListener((o, was, now) -> selectSource(now));
        sourceGroup.selectedToggleProperty().addListener((o, was, now) -> {
            if (now != null) {
                viewModel.actorSourceProperty().set((ActorSourceKind) now.getUserData());
            }
        });
        harnessQueueField.textProperty().bindBidirectional(viewModel.harnessQueueProperty());
        var harness = viewModel.actorSourceProperty().isEqualTo(ActorSourceKind.HARNESS);
        var locked = viewModel.canChangeSetupProperty().not();
        harnessRadio.disableProperty().bind(locked);
        userRadio.disableProperty().bind(locked);
        harnessQueueField.disableProperty().bind(locked.or(harness.not()));
        chooseJarButton.disableProperty().bind(locked.or(viewModel.loadingProperty()));
        chooseFolderButton.disableProperty().bind(locked.or(viewModel.loadingProperty()));
        loadedLabel.textProperty().bind(Bindings.when(viewModel.loadingProperty())
                .then(texts.getString("workers.loading")).otherwise(viewModel.loadedSummaryProperty()));
    }

    private void selectSource(ActorSourceKind kind) {
        sourceGroup.selectToggle(kind == ActorSourceKind.USER ? userRadio : harnessRadio);
    }

    private void bindQueues() {
        queuesList.setItems(viewModel.queueChoices());
        queuesList.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        queuesList.disableProperty().bind(viewModel.canChangeSetupProperty().not());
        queuesList.getSelectionModel().getSelectedItems().addListener((ListChangeListener<String>) change -> {
            if (!syncingSelection) {
                syncingSelection = true;
                viewModel.selectedQueues().setAll(List.copyOf(queuesList.getSelectionModel().getSelectedItems()));
                syncingSelection = false;
            }
        });
        // New choices reset the list's selection; put the view model's back.
        viewModel.queueChoices().addListener((ListChangeListener<String>) change -> {
            syncingSelection = true;
            queuesList.getSelectionModel().clearSelection();
            for (String queue : viewModel.selectedQueues()) {
                int index = viewModel.queueChoices().indexOf(queue);
                if (index >= 0) {
                    queuesList.getSelectionModel().select(index);
                }
            }
            syncingSelection = false;
        });
    }

    private void bindLog() {
        logTable.setItems(viewModel.log());
        timeColumn.setCellValueFactory(c -> constant(TIME.format(c.getValue().finishedAt())));
        messageIdColumn.setCellValueFactory(c -> constant(c.getValue().messageId()));
        actorColumn.setCellValueFactory(c -> constant(c.getValue().actorName()));
        queueColumn.setCellValueFactory(c -> constant(c.getValue().queueName()));
        durationColumn.setCellValueFactory(c -> constant(millis(c.getValue().duration().toNanos() / 1e6)));
        outcomeColumn.setCellValueFactory(c -> constant(
                texts.getString("workers.outcome." + c.getValue().outcome().name())));
        errorColumn.setCellValueFactory(c -> constant(c.getValue().error()));
    }

    private void bindStats() {
        statsTable.setItems(viewModel.actorStats());
        statsActorColumn.setCellValueFactory(c -> constant(c.getValue().actorName()));
        statsProcessedColumn.setCellValueFactory(c -> c.getValue().processedProperty());
        statsDoneColumn.setCellValueFactory(c -> c.getValue().doneProperty());
        statsRetriedColumn.setCellValueFactory(c -> c.getValue().retriedProperty());
        statsFailedColumn.setCellValueFactory(c -> c.getValue().failedProperty());
        statsDeadColumn.setCellValueFactory(c -> c.getValue().deadLetteredProperty());
        statsP50Column.setCellValueFactory(c -> Bindings.createStringBinding(
                () -> millis(c.getValue().medianMillisProperty().get()), c.getValue().medianMillisProperty()));
        statsAvgColumn.setCellValueFactory(c -> Bindings.createStringBinding(
                () -> millis(c.getValue().averageMillisProperty().get()), c.getValue().averageMillisProperty()));
    }

    private static ReadOnlyStringWrapper constant(String value) {
        return new ReadOnlyStringWrapper(value);
    }

    private static String millis(double value) {
        return String.format(Locale.getDefault(), "%.1f", value);
    }


    @FXML
    private void onStart() {
        viewModel.start();
    }

    @FXML
    private void onStop() {
        viewModel.stop();
    }

    @FXML
    private void onDismissError() {
        viewModel.dismissError();
    }

    @FXML
    private void onChooseJar() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(texts.getString("workers.chooser.jar"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Java archives (*.jar)", "*.jar"));
        File file = chooser.showOpenDialog(window());
        if (file != null) {
            viewModel.loadActors(file.toPath());
        }
    }

    @FXML
    private void onChooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(texts.getString("workers.chooser.folder"));
        File folder = chooser.showDialog(window());
        if (folder != null) {
            viewModel.loadActors(folder.toPath());
        }
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

}
