package dev.supaqueue.console.connection;

import dev.supaqueue.console.fx.DisplayConverter;
import dev.supaqueue.console.fx.InlineMessages;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Controller of {@code Connections.fxml}: binds controls to {@link ConnectionsViewModel} and forwards actions. */
public final class ConnectionsView {

    private final ConnectionsViewModel viewModel;

    @FXML private HBox messageBar;
    @FXML private Label messageLabel;
    @FXML private HBox deleteConfirmBar;
    @FXML private Label deleteQuestionLabel;
    @FXML private ListView<ConnectionProfile> profileList;
    @FXML private TextField uriField;
    @FXML private Label uriNotesLabel;
    @FXML private TextField nameField;
    @FXML private Label nameError;
    @FXML private TextField hostField;
    @FXML private Label hostError;
    @FXML private TextField portField;
    @FXML private Label portError;
    @FXML private TextField databaseField;
    @FXML private Label databaseError;
    @FXML private TextField userField;
    @FXML private Label userError;
    @FXML private TextField namespaceField;
    @FXML private Label namespaceError;
    @FXML private ComboBox<SslMode> sslModeBox;
    @FXML private ComboBox<ColourTag> colourBox;
    @FXML private CheckBox readOnlyCheck;
    @FXML private CheckBox productionCheck;
    @FXML private ComboBox<PasswordPolicy> passwordPolicyBox;
    @FXML private Label passwordPolicyNote;
    @FXML private PasswordField passwordField;
    @FXML private Label passphraseLabel;
    @FXML private PasswordField passphraseField;
    @FXML private Label passphraseError;
    @FXML private Label uriError;
    @FXML private Button testButton;
    @FXML private ProgressIndicator testProgress;
    @FXML private Button saveButton;
    @FXML private Button deleteButton;
    @FXML private Label readOnlyNotice;
    @FXML private Button unlockButton;
    @FXML private Button lockButton;
    @FXML private Button connectButton;
    @FXML private VBox resultPanel;
    @FXML private Label testResultLabel;
    @FXML private Button installButton;

    public ConnectionsView(ConnectionsViewModel viewModel) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    /** The view model, for whoever hosts this screen (e.g. to set the connect callback). */
    public ConnectionsViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        profileList.setItems(viewModel.profiles());
        profileList.setCellFactory(list -> new ProfileCell());
        profileList.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> viewModel.select(chosen));
        viewModel.selectedProperty().addListener((obs, old, profile) -> {
            if (profile == null) {
                profileList.getSelectionModel().clearSelection();
            } else if (profile != profileList.getSelectionModel().getSelectedItem()) {
                profileList.getSelectionModel().select(profile);
            }
        });

        uriField.textProperty().bindBidirectional(viewModel.uriTextProperty());
        InlineMessages.bind(uriNotesLabel, viewModel.uriNotesProperty());
        nameField.textProperty().bindBidirectional(viewModel.nameProperty());
        hostField.textProperty().bindBidirectional(viewModel.hostProperty());
        portField.textProperty().bindBidirectional(viewModel.portProperty());
        databaseField.textProperty().bindBidirectional(viewModel.databaseProperty());
        userField.textProperty().bindBidirectional(viewModel.userProperty());
        namespaceField.textProperty().bindBidirectional(viewModel.namespaceProperty());
        InlineMessages.bind(nameError, viewModel.nameErrorProperty());
        InlineMessages.bind(hostError, viewModel.hostErrorProperty());
        InlineMessages.bind(portError, viewModel.portErrorProperty());
        InlineMessages.bind(databaseError, viewModel.databaseErrorProperty());
        InlineMessages.bind(userError, viewModel.userErrorProperty());
        InlineMessages.bind(namespaceError, viewModel.namespaceErrorProperty());

        sslModeBox.setItems(FXCollections.observableArrayList(SslMode.values()));
        sslModeBox.setConverter(DisplayConverter.of(mode -> mode.value() + " — " + mode.meaning()));
        sslModeBox.valueProperty().bindBidirectional(viewModel.sslModeProperty());
        colourBox.setItems(FXCollections.observableArrayList(ColourTag.values()));
        colourBox.setConverter(DisplayConverter.of(ConnectionsView::colourName));
        colourBox.setCellFactory(list -> new ColourCell());
        colourBox.setButtonCell(new ColourCell());
        colourBox.valueProperty().bindBidirectional(viewModel.colourProperty());
        readOnlyCheck.selectedProperty().bindBidirectional(viewModel.readOnlyProperty());
        productionCheck.selectedProperty().bindBidirectional(viewModel.productionProperty());
        passwordPolicyBox.setItems(FXCollections.observableArrayList(PasswordPolicy.values()));
        passwordPolicyBox.setConverter(DisplayConverter.of(PasswordPolicy::label));
        passwordPolicyBox.valueProperty().bindBidirectional(viewModel.passwordPolicyProperty());
        InlineMessages.bind(passwordPolicyNote, viewModel.passwordPolicyNoteProperty());
        passwordField.textProperty().bindBidirectional(viewModel.passwordProperty());
        passphraseField.textProperty().bindBidirectional(viewModel.passphraseProperty());
        showWhen(passphraseLabel, viewModel.passphraseNeededProperty());
        showWhen(passphraseField, viewModel.passphraseNeededProperty());

        InlineMessages.bind(passphraseError, viewModel.passphraseErrorProperty());
        InlineMessages.bind(uriError, viewModel.uriErrorProperty());

        // A field marked in red disables what would use it: nothing is tested, saved or connected with bad input.
        testButton.disableProperty().bind(viewModel.testingProperty().or(viewModel.formValidProperty().not()));
        showWhen(testProgress, viewModel.testingProperty());
        saveButton.disableProperty().bind(viewModel.busyProperty().or(viewModel.canSaveProperty().not()));
        deleteButton.disableProperty().bind(viewModel.busyProperty());
        connectButton.disableProperty().bind(viewModel.busyProperty().or(viewModel.formValidProperty().not()));
        showWhen(readOnlyNotice, viewModel.opensReadOnlyProperty());
        showWhen(unlockButton, viewModel.productionProperty().and(viewModel.productionUnlockedProperty().not()));
        showWhen(lockButton, viewModel.productionUnlockedProperty());

        testResultLabel.textProperty().bind(viewModel.testResultProperty());
        showWhen(resultPanel, viewModel.testResultProperty().isNotEmpty().or(viewModel.testingProperty()));
        viewModel.testOkProperty().addListener((obs, was, ok) -> toggleStyle(resultPanel, "ok", ok));
        showWhen(installButton, viewModel.installOfferedProperty());

        messageLabel.textProperty().bind(viewModel.messageProperty());
        showWhen(messageBar, viewModel.messageProperty().isNotEmpty());
        viewModel.messageIsErrorProperty().addListener((obs, was, error) -> toggleStyle(messageBar, "error", error));
        deleteQuestionLabel.textProperty().bind(viewModel.deleteQuestionProperty());
        showWhen(deleteConfirmBar, viewModel.deleteConfirmationPendingProperty());

        viewModel.load();
    }

    private static void showWhen(Node node, ObservableBooleanValue condition) {
        node.visibleProperty().bind(condition);
        node.managedProperty().bind(condition);
    }

    private static void toggleStyle(Node node, String styleClass, boolean on) {
        node.getStyleClass().remove(styleClass);
        if (on) {
            node.getStyleClass().add(styleClass);
        }
    }

    private static String colourName(ColourTag tag) {
        return tag.name().charAt(0) + tag.name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static Region dot(ColourTag tag) {
        Region dot = new Region();
        dot.getStyleClass().add("colour-dot");
        dot.setStyle("-fx-background-color: " + tag.webColour() + ";");
        return dot;
    }

    /** A profile: its colour dot, its name, and a PRODUCTION tag where it applies. */
    private static final class ProfileCell extends ListCell<ConnectionProfile> {
        @Override
        protected void updateItem(ConnectionProfile profile, boolean empty) {
            super.updateItem(profile, empty);
            if (empty || profile == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            HBox row = new HBox(6, dot(profile.colour()), new Label(profile.name()));
            row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            if (profile.production()) {
                Label tag = new Label("PRODUCTION");
                tag.getStyleClass().add("production-tag");
                row.getChildren().add(tag);
            }
            setText(null);
            setGraphic(row);
            setAccessibleText(profile.name() + (profile.production() ? ", production" : ""));
        }
    }

    private static final class ColourCell extends ListCell<ColourTag> {
        @Override
        protected void updateItem(ColourTag tag, boolean empty) {
            super.updateItem(tag, empty);
            if (empty || tag == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            setGraphic(dot(tag));
            setText(colourName(tag));
        }
    }

    // Actions: forwarded to the view model //

    @FXML private void dismissMessage() { viewModel.dismissMessage(); }
    @FXML private void confirmDelete() { viewModel.confirmDelete(); }
    @FXML private void cancelDelete() { viewModel.cancelDelete(); }
    @FXML private void newProfile() { viewModel.newProfile(); }
    @FXML private void pasteUri() { viewModel.pasteUri(); }
    @FXML private void testConnection() { viewModel.testConnection(); }
    @FXML private void save() { viewModel.save(); }
    @FXML private void requestDelete() { viewModel.requestDelete(); }
    @FXML private void unlockProduction() { viewModel.unlockProduction(); }
    @FXML private void lockProduction() { viewModel.lockProduction(); }
    @FXML private void connect() { viewModel.connect(); }
    @FXML private void installDevSchema() { viewModel.installDevSchema(); }
}
