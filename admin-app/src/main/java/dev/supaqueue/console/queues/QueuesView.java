package dev.supaqueue.console.queues;

import dev.supaqueue.console.enqueue.EnqueueView;
import dev.supaqueue.console.fx.DisplayConverter;
import dev.supaqueue.console.fx.InlineMessages;
import dev.supaqueue.console.fx.LenientSpinners;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ReasonTooltip;
import dev.supaqueue.console.fx.ViewLoader;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Controller of {@code Queues.fxml}: binds the tree, the table, the chart and the detail pane to
 * {@link QueuesViewModel} and forwards user actions; no logic of its own. F5 refreshes, Shortcut+F focuses the
 * filter, and polling pauses while the window is minimised.
 */
public final class QueuesView {

    static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1));
    private static final KeyCombination FOCUS_FILTER = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination ENQUEUE = new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN);

    private final QueuesViewModel viewModel;
    private final MessagesViewModel messages;
    private final MessageDetailViewModel detail;
    private final MessageActionsViewModel actions;
    private final ResourceBundle texts;
    private final Map<Object, TreeItem<Object>> treeItems = new HashMap<>();

    @FXML private SplitPane root;
    @FXML private ChoiceBox<Duration> intervalChoice;
    @FXML private Button refreshButton;
    @FXML private Button enqueueButton;
    @FXML private FlowPane manageBar;
    @FXML private TextField newQueueField;
    @FXML private Label newQueueError;
    @FXML private CheckBox unloggedCheck;
    @FXML private Button createQueueButton;
    @FXML private Button dropQueueButton;
    @FXML private FlowPane dropBar;
    @FXML private Label dropLabel;
    @FXML private TextField dropConfirmField;
    @FXML private Button confirmDropButton;
    @FXML private Label manageMessage;
    @FXML private HBox refreshErrorBar;
    @FXML private Label refreshErrorLabel;
    @FXML private TreeView<Object> queueTree;
    @FXML private Label statusLabel;
    @FXML private Label chartCaption;
    @FXML private LineChart<Number, Number> historyChart;

    @FXML private ChoiceBox<SourceKind> sourceChoice;
    @FXML private CheckBox readyCheck;
    @FXML private CheckBox inFlightCheck;
    @FXML private CheckBox delayedCheck;
    @FXML private TextField actorField;
    @FXML private TextField idField;
    @FXML private TextField payloadField;
    @FXML private Button applyFilterButton;
    @FXML private CheckBox newestFirstCheck;
    @FXML private Label filterErrorLabel;
    @FXML private HBox messagesErrorBar;
    @FXML private Label messagesErrorLabel;
    @FXML private Button deleteButton;
    @FXML private Button archiveButton;
    @FXML private Button makeVisibleButton;
    @FXML private Button postponeButton;
    @FXML private Spinner<Integer> postponeMinutes;
    @FXML private Button replayButton;
    @FXML private Button moveButton;
    @FXML private TextField moveTargetField;
    @FXML private Label moveTargetError;
    @FXML private Label postponeError;
    @FXML private Label upToError;
    @FXML private Button purgeButton;
    @FXML private TextField upToField;
    @FXML private Button deleteUpToButton;
    @FXML private Button archiveUpToButton;
    @FXML private Button makeVisibleUpToButton;
    @FXML private Button postponeUpToButton;
    @FXML private Button replayUpToButton;
    @FXML private Button moveUpToButton;
    @FXML private HBox confirmBar;
    @FXML private Label confirmLabel;
    @FXML private TextField confirmNameField;
    @FXML private Button confirmButton;
    @FXML private HBox progressBar;
    @FXML private ProgressBar actionProgress;
    @FXML private Label progressLabel;
    @FXML private HBox actionResultBar;
    @FXML private Label actionResultLabel;
    @FXML private HBox actionErrorBar;
    @FXML private Label actionErrorLabel;
    @FXML private TableView<MessageRow> messageTable;
    @FXML private Label tablePlaceholder;
    @FXML private TableColumn<MessageRow, Long> msgIdColumn;
    @FXML private TableColumn<MessageRow, String> stateColumn;
    @FXML private TableColumn<MessageRow, String> visibleInColumn;
    @FXML private TableColumn<MessageRow, Integer> readCtColumn;
    @FXML private TableColumn<MessageRow, String> enqueuedAtColumn;
    @FXML private TableColumn<MessageRow, String> actorColumn;
    @FXML private TableColumn<MessageRow, String> messageIdColumn;
    @FXML private TableColumn<MessageRow, String> payloadColumn;
    @FXML private Button firstButton;
    @FXML private Button previousButton;
    @FXML private Button nextButton;
    @FXML private Label pageInfoLabel;

    @FXML private Label detailTitle;
    @FXML private Label detailNotice;
    @FXML private Button copyPayloadButton;
    @FXML private Button copyMessageIdButton;
    @FXML private Button copyHeadersButton;
    @FXML private Button copyTracebackButton;
    @FXML private Tab dramatiqTab;
    @FXML private TextArea payloadArea;
    @FXML private Label notDramatiqLabel;
    @FXML private Label actorValue;
    @FXML private Label messageIdValue;
    @FXML private Label timestampValue;
    @FXML private Label queueNameValue;
    @FXML private Label retriesValue;
    @FXML private Label deadLetterReasonValue;
    @FXML private TextArea argsArea;
    @FXML private TextArea kwargsArea;
    @FXML private TextArea optionsArea;
    @FXML private TextArea tracebackArea;
    @FXML private Label msgIdValue;
    @FXML private Label readCtValue;
    @FXML private Label enqueuedAtValue;
    @FXML private Label visibleAtValue;
    @FXML private Label lastReadAtValue;
    @FXML private TextArea headersArea;

    public QueuesView(QueuesViewModel viewModel, ResourceBundle texts) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.messages = viewModel.messages();
        this.detail = viewModel.detail();
        this.actions = viewModel.actions();
        this.texts = Objects.requireNonNull(texts, "texts");
    }

    @FXML
    private void initialize() {
        enqueueButton.disableProperty().bind(viewModel.selectedQueueProperty().isNull());
        enqueueButton.setTooltip(new Tooltip(texts.getString("queues.enqueue.tooltip")));
        bindQueueManagement();
        bindTree();
        bindChart();
        bindFilter();
        bindTable();
        bindDetail();
        bindActions();
        bindKeys();
        viewModel.activate();
    }

    // Tree //

    private void bindTree() {
        intervalChoice.getItems().setAll(INTERVALS);
        intervalChoice.setConverter(DisplayConverter.of(Formats::age));
        intervalChoice.setValue(viewModel.refreshIntervalProperty().get());
        intervalChoice.valueProperty().addListener((property, old, value) -> {
            if (value != null) {
                viewModel.setRefreshInterval(value);
            }
        });
        showError(refreshErrorBar, refreshErrorLabel, viewModel.refreshErrorProperty());
        statusLabel.textProperty().bind(viewModel.statusProperty());

        TreeItem<Object> rootItem = new TreeItem<>();
        queueTree.setRoot(rootItem);
        queueTree.setCellFactory(tree -> new QueueTreeCell());
        syncChildren(rootItem, viewModel.namespaces(), namespace -> namespace.queues());
        viewModel.namespaces().addListener((ListChangeListener<NamespaceNode>) change ->
                syncChildren(rootItem, viewModel.namespaces(), namespace -> namespace.queues()));
        queueTree.getSelectionModel().selectedItemProperty().addListener((property, old, item) -> {
            if (item != null && item.getValue() instanceof QueueNode queue) {
                viewModel.selectQueue(queue);
            }
        });
        viewModel.selectedQueueProperty().addListener((property, old, queue) -> {
            TreeItem<Object> item = queue == null ? null : treeItems.get(queue);
            if (item == null) {
                queueTree.getSelectionModel().clearSelection();
            } else if (queueTree.getSelectionModel().getSelectedItem() != item) {
                queueTree.getSelectionModel().select(item);
            }
        });
    }

    /** Keeps a tree level in line with the view model's list, reusing items so expansion and selection stay. */
    private void syncChildren(TreeItem<Object> parent, List<NamespaceNode> namespaces,
                              Function<NamespaceNode, List<QueueNode>> queues) {
        List<TreeItem<Object>> items = namespaces.stream().map(namespace -> {
            TreeItem<Object> item = treeItems.computeIfAbsent(namespace, key -> {
                TreeItem<Object> created = new TreeItem<>(key);
                created.setExpanded(true);
                namespace.queues().addListener((ListChangeListener<QueueNode>) change ->
                        created.getChildren().setAll(queueItems(namespace.queues())));
                return created;
            });
            item.getChildren().setAll(queueItems(queues.apply(namespace)));
            return item;
        }).toList();
        parent.getChildren().setAll(items);
        treeItems.keySet().retainAll(known());
    }

    private List<TreeItem<Object>> queueItems(List<QueueNode> queues) {
        return queues.stream().map(queue -> treeItems.computeIfAbsent(queue, TreeItem::new)).toList();
    }

    private java.util.Set<Object> known() {
        java.util.Set<Object> nodes = new java.util.HashSet<>(viewModel.namespaces());
        viewModel.namespaces().forEach(namespace -> nodes.addAll(namespace.queues()));
        return nodes;
    }

    /** A namespace or queue with its counts underneath, bound to the node so refreshed counts show at once. */
    private static final class QueueTreeCell extends TreeCell<Object> {
        private final Label name = new Label();
        private final Label counts = new Label();
        private final VBox graphic = new VBox(name, counts);

        QueueTreeCell() {
            counts.getStyleClass().add("tree-counts");
        }

        @Override
        protected void updateItem(Object item, boolean empty) {
            super.updateItem(item, empty);
            name.textProperty().unbind();
            counts.textProperty().unbind();
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            if (item instanceof NamespaceNode namespace) {
                name.textProperty().bind(namespace.titleProperty());
                counts.textProperty().bind(namespace.countsProperty());
            } else if (item instanceof QueueNode queue) {
                name.setText(queue.shortName());
                counts.textProperty().bind(queue.countsProperty());
            }
            setGraphic(graphic);
        }
    }

    // Chart //

    private void bindChart() {
        XYChart.Series<Number, Number> depth = new XYChart.Series<>();
        depth.setName(texts.getString("queues.chart.depth"));
        XYChart.Series<Number, Number> throughput = new XYChart.Series<>();
        throughput.setName(texts.getString("queues.chart.throughput"));
        historyChart.getData().setAll(List.of(depth, throughput));
        Runnable redraw = () -> {
            List<QueueSample> samples = viewModel.selectedHistory();
            if (samples.isEmpty()) {
                depth.getData().clear();
                throughput.getData().clear();
                return;
            }
            java.time.Instant start = samples.getFirst().at();
            depth.getData().setAll(samples.stream().map(sample -> new XYChart.Data<Number, Number>(
                    seconds(start, sample), sample.depth())).toList());
            throughput.getData().setAll(samples.stream().filter(sample -> sample.throughput() != null)
                    .map(sample -> new XYChart.Data<Number, Number>(seconds(start, sample), sample.throughput()))
                    .toList());
        };
        viewModel.selectedHistory().addListener((ListChangeListener<QueueSample>) change -> redraw.run());
        chartCaption.textProperty().bind(javafx.beans.binding.Bindings.when(
                viewModel.selectedQueueProperty().isNull()).then(texts.getString("queues.chart.none"))
                .otherwise(viewModel.selectedRatesProperty()));
    }

    private static double seconds(java.time.Instant start, QueueSample sample) {
        return java.time.Duration.between(start, sample.at()).toMillis() / 1000.0;
    }

    // Messages //

    private void bindFilter() {
        sourceChoice.setItems(messages.sourceKinds());
        sourceChoice.setConverter(DisplayConverter.of(kind -> texts.getString("queues.source." + kind.name())));
        sourceChoice.setValue(messages.sourceKindProperty().get());
        sourceChoice.valueProperty().addListener((property, old, kind) -> {
            if (kind != null && kind != messages.sourceKindProperty().get()) {
                messages.sourceKindProperty().set(kind);
            }
        });
        messages.sourceKindProperty().addListener((property, old, kind) -> sourceChoice.setValue(kind));
        messages.sourceKinds().addListener((ListChangeListener<SourceKind>) change ->
                sourceChoice.setValue(messages.sourceKindProperty().get()));
        sourceChoice.disableProperty().bind(messages.queueProperty().isNull());

        readyCheck.selectedProperty().bindBidirectional(messages.showReadyProperty());
        inFlightCheck.selectedProperty().bindBidirectional(messages.showInFlightProperty());
        delayedCheck.selectedProperty().bindBidirectional(messages.showDelayedProperty());
        // States mean nothing in an archive: every row there is archived.
        var archive = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> messages.sourceProperty().get() != null && messages.sourceProperty().get().isArchive(),
                messages.sourceProperty());
        readyCheck.disableProperty().bind(archive);
        inFlightCheck.disableProperty().bind(archive);
        delayedCheck.disableProperty().bind(archive);
        actorField.textProperty().bindBidirectional(messages.actorFilterProperty());
        idField.textProperty().bindBidirectional(messages.idFilterProperty());
        payloadField.textProperty().bindBidirectional(messages.payloadFilterProperty());
        newestFirstCheck.selectedProperty().bindBidirectional(messages.newestFirstProperty());
        filterErrorLabel.textProperty().bind(messages.filterErrorProperty());
        filterErrorLabel.visibleProperty().bind(messages.filterErrorProperty().isNotNull());
        filterErrorLabel.managedProperty().bind(filterErrorLabel.visibleProperty());
        applyFilterButton.disableProperty().bind(messages.filterErrorProperty().isNotNull());
        showError(messagesErrorBar, messagesErrorLabel, messages.errorProperty());
    }

    private void bindTable() {
        messageTable.setItems(messages.rows());
        msgIdColumn.setCellValueFactory(cell -> constant(cell.getValue().msgId()));
        stateColumn.setCellValueFactory(cell -> constantText(cell.getValue().state()));
        visibleInColumn.setCellValueFactory(cell -> cell.getValue().visibleInProperty());
        readCtColumn.setCellValueFactory(cell -> constant(cell.getValue().readCt()));
        enqueuedAtColumn.setCellValueFactory(cell -> constantText(cell.getValue().enqueuedAt()));
        actorColumn.setCellValueFactory(cell -> constantText(cell.getValue().actor()));
        messageIdColumn.setCellValueFactory(cell -> constantText(cell.getValue().messageId()));
        payloadColumn.setCellValueFactory(cell -> constantText(cell.getValue().preview()));
        // Sorting a page would mix up the keyset order; the order is chosen with "newest first".
        messageTable.getColumns().forEach(column -> column.setSortable(false));
        messageTable.getSelectionModel().selectedItemProperty().addListener((property, old, row) ->
                viewModel.selectMessage(row));
        tablePlaceholder.textProperty().bind(javafx.beans.binding.Bindings.when(messages.queueProperty().isNull())
                .then(texts.getString("queues.page.noQueue")).otherwise(messages.pageInfoProperty()));

        firstButton.disableProperty().bind(messages.hasPreviousProperty().not());
        previousButton.disableProperty().bind(messages.hasPreviousProperty().not());
        nextButton.disableProperty().bind(messages.hasNextProperty().not());
        pageInfoLabel.textProperty().bind(messages.pageInfoProperty());
    }

    private static <T> ObservableValue<T> constant(T value) {
        return new ReadOnlyObjectWrapper<>(value).getReadOnlyProperty();
    }

    private static ObservableValue<String> constantText(String value) {
        return new ReadOnlyStringWrapper(value).getReadOnlyProperty();
    }

    // Detail //

    private void bindDetail() {
        detailTitle.textProperty().bind(detail.titleProperty());
        detailNotice.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            if (detail.errorProperty().get() != null) {
                return detail.errorProperty().get();
            }
            if (detail.loadingProperty().get()) {
                return texts.getString("queues.detail.loading");
            }
            return detail.presentProperty().get() ? "" : texts.getString("queues.detail.none");
        }, detail.errorProperty(), detail.loadingProperty(), detail.presentProperty()));
        detailNotice.visibleProperty().bind(detailNotice.textProperty().isNotEmpty());
        detailNotice.managedProperty().bind(detailNotice.visibleProperty());
        payloadArea.textProperty().bind(detail.payloadProperty());
        headersArea.textProperty().bind(detail.headersProperty());
        notDramatiqLabel.textProperty().bind(detail.notDramatiqProperty());
        notDramatiqLabel.visibleProperty().bind(detail.notDramatiqProperty().isNotEmpty());
        notDramatiqLabel.managedProperty().bind(notDramatiqLabel.visibleProperty());
        actorValue.textProperty().bind(detail.actorProperty());
        messageIdValue.textProperty().bind(detail.messageIdProperty());
        timestampValue.textProperty().bind(detail.timestampProperty());
        queueNameValue.textProperty().bind(detail.queueNameProperty());
        retriesValue.textProperty().bind(detail.retriesProperty());
        deadLetterReasonValue.textProperty().bind(detail.deadLetterReasonProperty());
        argsArea.textProperty().bind(detail.argsProperty());
        kwargsArea.textProperty().bind(detail.kwargsProperty());
        optionsArea.textProperty().bind(detail.optionsProperty());
        tracebackArea.textProperty().bind(detail.tracebackProperty());
        msgIdValue.textProperty().bind(detail.msgIdProperty());
        readCtValue.textProperty().bind(detail.readCtProperty());
        enqueuedAtValue.textProperty().bind(detail.enqueuedAtProperty());
        visibleAtValue.textProperty().bind(detail.visibleAtProperty());
        lastReadAtValue.textProperty().bind(detail.lastReadAtProperty());
        copyPayloadButton.disableProperty().bind(detail.presentProperty().not());
        copyHeadersButton.disableProperty().bind(detail.presentProperty().not());
        copyMessageIdButton.disableProperty().bind(detail.dramatiqProperty().not());
        copyTracebackButton.disableProperty().bind(detail.dramatiqProperty().not());
    }

    // Actions //

    private void bindActions() {
        messageTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        messageTable.getSelectionModel().getSelectedItems().addListener((ListChangeListener<MessageRow>) change ->
                actions.select(List.copyOf(messageTable.getSelectionModel().getSelectedItems())));
        bindAvailability(deleteButton, actions.availability(MessageActionsViewModel.Action.DELETE));
        bindAvailability(archiveButton, actions.availability(MessageActionsViewModel.Action.ARCHIVE));
        bindAvailability(makeVisibleButton, actions.availability(MessageActionsViewModel.Action.MAKE_VISIBLE));
        bindWithInput(postponeButton, actions.availability(MessageActionsViewModel.Action.POSTPONE),
                actions.postponeErrorProperty());
        bindAvailability(replayButton, actions.availability(MessageActionsViewModel.Action.REPLAY));
        bindWithInput(moveButton, actions.availability(MessageActionsViewModel.Action.MOVE),
                actions.moveTargetProblemProperty());
        bindAvailability(purgeButton, actions.availability(MessageActionsViewModel.Action.PURGE));
        bindAvailability(deleteUpToButton, actions.upToAvailability(MessageActionsViewModel.Action.DELETE));
        bindAvailability(archiveUpToButton, actions.upToAvailability(MessageActionsViewModel.Action.ARCHIVE));
        bindAvailability(makeVisibleUpToButton,
                actions.upToAvailability(MessageActionsViewModel.Action.MAKE_VISIBLE));
        bindWithInput(postponeUpToButton, actions.upToAvailability(MessageActionsViewModel.Action.POSTPONE),
                actions.postponeErrorProperty());
        LenientSpinners.keepLastGoodValue(postponeMinutes);
        postponeMinutes.getEditor().textProperty().addListener((property, old, text) ->
                actions.postponeMinutesTextProperty().set(text));
        InlineMessages.bind(postponeError, actions.postponeErrorProperty());
        bindAvailability(replayUpToButton, actions.upToAvailability(MessageActionsViewModel.Action.REPLAY));
        bindWithInput(moveUpToButton, actions.upToAvailability(MessageActionsViewModel.Action.MOVE),
                actions.moveTargetProblemProperty());
        moveTargetField.textProperty().bindBidirectional(actions.moveTargetProperty());
        InlineMessages.bind(moveTargetError, actions.moveTargetErrorProperty());
        InlineMessages.bind(upToError, actions.upToErrorProperty());
        upToField.textProperty().bindBidirectional(actions.upToTextProperty());
        upToField.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(actions::isReadOnly));

        confirmBar.visibleProperty().bind(actions.pendingProperty().isNotNull());
        confirmBar.managedProperty().bind(confirmBar.visibleProperty());
        confirmLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> actions.pendingProperty().get() == null ? "" : actions.pendingProperty().get().prompt(),
                actions.pendingProperty()));
        var typeName = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> actions.pendingProperty().get() != null && actions.pendingProperty().get().typeQueueName(),
                actions.pendingProperty());
        confirmNameField.visibleProperty().bind(typeName);
        confirmNameField.managedProperty().bind(typeName);
        confirmNameField.textProperty().bindBidirectional(actions.confirmationTextProperty());
        confirmButton.disableProperty().bind(actions.canConfirmProperty().not());
        ReasonTooltip.wrapAndBind(confirmButton, actions.confirmReasonProperty());
        actions.pendingProperty().addListener((property, old, pending) -> {
            if (pending != null) { // keyboard users land where the decision is made
                (pending.typeQueueName() ? confirmNameField : confirmButton).requestFocus();
            }
        });

        progressBar.visibleProperty().bind(actions.runningProperty());
        progressBar.managedProperty().bind(progressBar.visibleProperty());
        actionProgress.progressProperty().bind(actions.progressProperty());
        progressLabel.textProperty().bind(actions.progressTextProperty());
        showError(actionResultBar, actionResultLabel, actions.resultProperty());
        showError(actionErrorBar, actionErrorLabel, actions.errorProperty());
    }

    /**
     * Disables the button when the action is not available and says why in a tooltip. A disabled control gets no
     * mouse events, so the tooltip sits on a wrapper around the button rather than on the button itself.
     */
    private static void bindAvailability(Button button, MessageActionsViewModel.Availability availability) {
        button.disableProperty().bind(availability.availableProperty().not());
        ReasonTooltip.wrapAndBind(button, availability.reasonProperty());
    }

    /** Move and postpone also need a usable typed value: disabled, with the reason, until there is one. */
    private static void bindWithInput(Button button, MessageActionsViewModel.Availability availability,
                                      javafx.beans.value.ObservableStringValue inputProblem) {
        var reason = Bindings.createStringBinding(() -> availability.reasonProperty().get() != null
                        ? availability.reasonProperty().get()
                        : inputProblem.get() == null || inputProblem.get().isEmpty() ? null : inputProblem.get(),
                availability.reasonProperty(), inputProblem);
        button.disableProperty().bind(reason.isNotNull());
        ReasonTooltip.wrapAndBind(button, reason);
    }

    // Creating and dropping queues //

    private void bindQueueManagement() {
        QueueManagementViewModel management = viewModel.management();
        newQueueField.textProperty().bindBidirectional(management.newQueueNameProperty());
        unloggedCheck.selectedProperty().bindBidirectional(management.unloggedProperty());
        dropConfirmField.textProperty().bindBidirectional(management.dropConfirmationProperty());
        String unavailable = management.unavailableReasonProperty().get();
        createQueueButton.disableProperty().bind(management.canCreateProperty().not());
        InlineMessages.bind(newQueueError, management.newQueueNameErrorProperty());
        confirmDropButton.disableProperty().bind(management.canConfirmDropProperty().not());
        dropQueueButton.disableProperty().bind(management.busyProperty().or(viewModel.selectedQueueProperty().isNull())
                .or(Bindings.createBooleanBinding(() -> unavailable != null)));
        ReasonTooltip.wrapAndBind(createQueueButton, management.unavailableReasonProperty());
        ReasonTooltip.wrapAndBind(dropQueueButton, management.unavailableReasonProperty());
        dropBar.visibleProperty().bind(management.dropCandidateProperty().isNotNull());
        dropBar.managedProperty().bind(dropBar.visibleProperty());
        dropLabel.textProperty().bind(Bindings.createStringBinding(() -> management.dropCandidateProperty().get() == null
                ? "" : MessageFormat.format(texts.getString("queues.manage.dropPrompt"),
                        management.dropCandidateProperty().get()), management.dropCandidateProperty()));
        manageMessage.textProperty().bind(Bindings.createStringBinding(() -> management.errorProperty().get() != null
                ? management.errorProperty().get() : management.resultProperty().get() == null ? ""
                : management.resultProperty().get(), management.errorProperty(), management.resultProperty()));
        manageMessage.visibleProperty().bind(manageMessage.textProperty().isNotEmpty());
        manageMessage.managedProperty().bind(manageMessage.visibleProperty());
    }

    @FXML
    private void createQueue() {
        viewModel.management().create();
    }

    @FXML
    private void requestDrop() {
        QueueNode selected = viewModel.selectedQueueProperty().get();
        if (selected != null) {
            viewModel.management().requestDrop(selected.name());
            dropConfirmField.requestFocus();
        }
    }

    @FXML
    private void confirmDrop() {
        viewModel.management().confirmDrop();
    }

    @FXML
    private void cancelDrop() {
        viewModel.management().cancelDrop();
    }

    // Enqueue //

    /** Opens the enqueue form for the selected queue in a window of its own; the counts are read again after. */
    @FXML
    private void openEnqueue() {
        viewModel.enqueueForm().ifPresent(form -> {
            LoadedView<EnqueueView> loaded = new ViewLoader(type -> new EnqueueView(form, texts), texts)
                    .load(EnqueueView.class);
            Stage dialog = new Stage();
            dialog.setTitle(texts.getString("queues.enqueue.title"));
            dialog.initOwner(root.getScene().getWindow());
            dialog.initModality(Modality.WINDOW_MODAL);
            Scene scene = new Scene(loaded.root());
            // Never taller or wider than the screen, so Send and Close stay reachable.
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            dialog.setMaxWidth(screen.getWidth() * 0.95);
            dialog.setMaxHeight(screen.getHeight() * 0.95);
            scene.getStylesheets().setAll(root.getScene().getStylesheets());
            dialog.setScene(scene);
            loaded.controller().setOnClose(dialog::close);
            dialog.setOnHidden(event -> viewModel.refresh());
            dialog.show();
        });
    }

    // Keys and window //

    private void bindKeys() {
        root.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.F5) {
                viewModel.refresh();
                event.consume();
            } else if (FOCUS_FILTER.match(event)) {
                actorField.requestFocus();
                event.consume();
            } else if (ENQUEUE.match(event)) {
                openEnqueue();
                event.consume();
            }
        });
        // Polling pauses while the window is minimised (nobody looks), and catches up when it is restored.
        root.sceneProperty().addListener((sceneProperty, oldScene, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((windowProperty, oldWindow, window) -> watchMinimised(window));
                watchMinimised(scene.getWindow());
            }
        });
    }

    private void watchMinimised(javafx.stage.Window window) {
        if (window instanceof Stage stage) {
            stage.iconifiedProperty().addListener((property, old, minimised) -> viewModel.windowMinimised(minimised));
        }
    }

    private static void showError(HBox bar, Label label, javafx.beans.value.ObservableStringValue error) {
        label.textProperty().bind(error);
        bar.visibleProperty().bind(javafx.beans.binding.Bindings.isNotNull(error));
        bar.managedProperty().bind(bar.visibleProperty());
    }

    // Actions //

    @FXML
    private void refresh() {
        viewModel.refresh();
    }

    @FXML
    private void dismissRefreshError() {
        viewModel.dismissRefreshError();
    }

    @FXML
    private void dismissMessagesError() {
        messages.dismissError();
    }

    @FXML
    private void applyFilter() {
        messages.applyFilter();
    }

    @FXML
    private void clearFilter() {
        messages.clearFilter();
    }

    @FXML
    private void firstPage() {
        messages.firstPage();
    }

    @FXML
    private void previousPage() {
        messages.previousPage();
    }

    @FXML
    private void nextPage() {
        messages.nextPage();
    }

    @FXML
    private void deleteSelected() {
        actions.deleteSelected();
    }

    @FXML
    private void archiveSelected() {
        actions.archiveSelected();
    }

    @FXML
    private void makeVisibleSelected() {
        actions.makeVisibleSelected();
    }

    @FXML
    private void postponeSelected() {
        actions.postponeSelected(Duration.ofMinutes(postponeMinutes.getValue()));
    }

    @FXML
    private void replaySelected() {
        actions.replaySelected();
    }

    @FXML
    private void moveSelected() {
        actions.moveSelected(moveTargetField.getText());
    }

    @FXML
    private void requestPurge() {
        actions.requestPurge();
    }

    @FXML
    private void deleteUpTo() {
        actions.upTo(MessageActionsViewModel.Action.DELETE);
    }

    @FXML
    private void archiveUpTo() {
        actions.upTo(MessageActionsViewModel.Action.ARCHIVE);
    }

    @FXML
    private void makeVisibleUpTo() {
        actions.upTo(MessageActionsViewModel.Action.MAKE_VISIBLE);
    }

    @FXML
    private void postponeUpTo() {
        actions.postponeUpTo(Duration.ofMinutes(postponeMinutes.getValue()));
    }

    @FXML
    private void replayUpTo() {
        actions.upTo(MessageActionsViewModel.Action.REPLAY);
    }

    @FXML
    private void moveUpTo() {
        actions.moveUpTo(moveTargetField.getText());
    }

    @FXML
    private void confirmAction() {
        actions.confirm();
    }

    @FXML
    private void cancelConfirmation() {
        actions.cancelConfirmation();
    }

    @FXML
    private void cancelAction() {
        actions.cancel();
    }

    @FXML
    private void dismissActionResult() {
        actions.dismissResult();
    }

    @FXML
    private void dismissActionError() {
        actions.dismissError();
    }

    @FXML
    private void copyPayload() {
        detail.copyPayload();
    }

    @FXML
    private void copyMessageId() {
        detail.copyMessageId();
    }

    @FXML
    private void copyHeaders() {
        detail.copyHeaders();
    }

    @FXML
    private void copyTraceback() {
        detail.copyTraceback();
    }
}
