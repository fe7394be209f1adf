package dev.supaqueue.console.enqueue;

import dev.supaqueue.console.fx.ReasonTooltip;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Controller of {@code Enqueue.fxml}: binds the form to {@link EnqueueViewModel} and forwards Send, Close and
 * Ctrl+Enter; no logic of its own. The lead's queues screen shows it in a dialog and closes that on
 * {@link #setOnClose}.
 */
public final class EnqueueView {

    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    private static final KeyCombination SEND = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);

    private final EnqueueViewModel viewModel;
    private final ResourceBundle texts;
    private Runnable onClose = () -> { };

    @FXML private VBox root;
    @FXML private ToggleGroup modeGroup;
    @FXML private Label targetLabel;
    @FXML private Label readOnlyLabel;
    @FXML private RadioButton dramatiqMode;
    @FXML private RadioButton rawMode;
    @FXML private VBox dramatiqPane;
    @FXML private VBox rawPane;
    @FXML private ComboBox<String> actorCombo;
    @FXML private Label actorNameErrorLabel;
    @FXML private TextArea argsArea;
    @FXML private Label argsErrorLabel;
    @FXML private TextArea kwargsArea;
    @FXML private Label kwargsErrorLabel;
    @FXML private TextArea optionsArea;
    @FXML private Label optionsErrorLabel;
    @FXML private TextArea rawPayloadArea;
    @FXML private Label rawPayloadErrorLabel;
    @FXML private TextArea headersArea;
    @FXML private Label headersErrorLabel;
    @FXML private TextField delayField;
    @FXML private Label delayErrorLabel;
    @FXML private TextField countField;
    @FXML private Label countErrorLabel;
    @FXML private TextArea previewArea;
    @FXML private Label previewNoteLabel;
    @FXML private Label formErrorLabel;
    @FXML private HBox errorBar;
    @FXML private Label errorLabel;
    @FXML private Button dismissErrorButton;
    @FXML private Label resultLabel;
    @FXML private Label disabledReasonLabel;
    @FXML private StackPane sendWrapper;
    @FXML private Button sendButton;
    @FXML private Button closeButton;

    public EnqueueView(EnqueueViewModel viewModel, ResourceBundle texts) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.texts = Objects.requireNonNull(texts, "texts");
    }

    /** What Close (and Escape) does, e.g. close the dialog. */
    public void setOnClose(Runnable action) {
        onClose = Objects.requireNonNull(action, "action");
    }

    public EnqueueViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        targetLabel.setText(MessageFormat.format(texts.getString("enqueue.target"), viewModel.queue(),
                viewModel.dramatiqQueueName()));
        showOnlyWhen(readOnlyLabel, viewModel.isReadOnly());

        bindMode();
        actorCombo.setItems(viewModel.knownActors());
        actorCombo.getEditor().textProperty().bindBidirectional(viewModel.actorNameProperty());
        argsArea.textProperty().bindBidirectional(viewModel.argsProperty());
        kwargsArea.textProperty().bindBidirectional(viewModel.kwargsProperty());
        optionsArea.textProperty().bindBidirectional(viewModel.optionsProperty());
        rawPayloadArea.textProperty().bindBidirectional(viewModel.rawPayloadProperty());
        headersArea.textProperty().bindBidirectional(viewModel.headersProperty());
        delayField.textProperty().bindBidirectional(viewModel.delaySecondsProperty());
        countField.textProperty().bindBidirectional(viewModel.countProperty());

        fieldError(actorCombo, actorNameErrorLabel, viewModel.actorNameErrorProperty());
        fieldError(argsArea, argsErrorLabel, viewModel.argsErrorProperty());
        fieldError(kwargsArea, kwargsErrorLabel, viewModel.kwargsErrorProperty());
        fieldError(optionsArea, optionsErrorLabel, viewModel.optionsErrorProperty());
        fieldError(rawPayloadArea, rawPayloadErrorLabel, viewModel.rawPayloadErrorProperty());
        fieldError(headersArea, headersErrorLabel, viewModel.headersErrorProperty());
        fieldError(delayField, delayErrorLabel, viewModel.delayErrorProperty());
        fieldError(countField, countErrorLabel, viewModel.countErrorProperty());
        fieldError(null, formErrorLabel, viewModel.formErrorProperty());

        previewArea.textProperty().bind(viewModel.previewProperty());
        previewNoteLabel.textProperty().bind(viewModel.previewNoteProperty());

        errorLabel.textProperty().bind(viewModel.errorProperty());
        visibleWhenNotEmpty(errorBar, viewModel.errorProperty());
        dismissErrorButton.setOnAction(event -> viewModel.dismissError());
        resultLabel.textProperty().bind(viewModel.resultProperty());
        visibleWhenNotEmpty(resultLabel, viewModel.resultProperty());

        sendButton.disableProperty().bind(viewModel.canSendProperty().not());
        disabledReasonLabel.textProperty().bind(viewModel.disabledReasonProperty());
        ReasonTooltip.bind(sendWrapper, viewModel.disabledReasonProperty());
        sendButton.setOnAction(event -> viewModel.send());
        closeButton.setOnAction(event -> onClose.run());

        // A filter, not a handler: a TextArea would otherwise take Ctrl+Enter as a new line.
        root.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (SEND.match(event)) {
                event.consume();
                viewModel.send();
            }
        });
    }

    private void bindMode() {
        dramatiqMode.setUserData(EnqueueMode.DRAMATIQ);
        rawMode.setUserData(EnqueueMode.RAW);
        modeGroup.selectToggle(viewModel.modeProperty().get() == EnqueueMode.RAW ? rawMode : dramatiqMode);
        modeGroup.selectedToggleProperty().addListener((property, old, toggle) -> {
            if (toggle == null) {
                // Clicking the selected radio button must not leave no mode at all.
                modeGroup.selectToggle(old);
            } else {
                viewModel.modeProperty().set((EnqueueMode) toggle.getUserData());
            }
        });
        viewModel.modeProperty().addListener((property, old, mode) ->
                modeGroup.selectToggle(mode == EnqueueMode.RAW ? rawMode : dramatiqMode));
        var dramatiq = viewModel.modeProperty().isEqualTo(EnqueueMode.DRAMATIQ);
        dramatiqPane.visibleProperty().bind(dramatiq);
        dramatiqPane.managedProperty().bind(dramatiq);
        rawPane.visibleProperty().bind(dramatiq.not());
        rawPane.managedProperty().bind(dramatiq.not());
    }

    /** The problem beneath its field, shown only when there is one, and the field marked :invalid meanwhile. */
    private static void fieldError(Node field, Label label, ObservableStringValue problem) {
        label.textProperty().bind(problem);
        visibleWhenNotEmpty(label, problem);
        if (field != null) {
            field.pseudoClassStateChanged(INVALID, !problem.get().isEmpty());
            problem.addListener((property, old, text) -> field.pseudoClassStateChanged(INVALID, !text.isEmpty()));
        }
    }

    private static void visibleWhenNotEmpty(Node node, ObservableStringValue text) {
        var shown = Bindings.isNotEmpty(text);
        node.visibleProperty().bind(shown);
        node.managedProperty().bind(shown);
    }

    private static void showOnlyWhen(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }
}
