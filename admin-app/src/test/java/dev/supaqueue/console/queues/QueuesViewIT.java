package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.LoadedView;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real screen, loaded from Queues.fxml with the console's texts, against the real database: two namespaces of
 * queues, paging through 120 messages, an in-flight message counting down, a filter and the detail pane. The
 * database work runs on the console's background threads; only the countdown's clock is driven by the test.
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
class QueuesViewIT {

    private final ManualTicker ticker = new ManualTicker();
    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private final List<String> clipboard = new ArrayList<>();
    private Stage stage;
    private QueuesViewModel viewModel;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void closeTasks() {
        tasks.close();
    }

    @Test
    void browsesNamespacesQueuesAndMessages(FxRobot robot, TestDatabaseServer db, TestQueues queues) throws Exception {
        String shop = queues.newNamespace();
        String mail = queues.newNamespace();
        String orders = shop + "_orders";
        List<Long> sent;
        try (Connection connection = db.connect()) {
            for (String queue : List.of(orders, shop + "_refunds", mail + "_send")) {
                QueueFixtures.create(connection, queue);
            }
            sent = QueueFixtures.sendDramatiq(connection, orders, 120, "place_order", "cancel_order");
            QueueFixtures.sendDramatiq(connection, mail + "_send", 3, "send_email");
            assertThat(PgmqSql.read(connection, orders, 300, 1)).extracting(PgmqSql.MessageRow::msgId)
                    .containsExactly(sent.getFirst());
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource(), AdminOptions.builder().namespaces(shop, mail).build());
        show(robot, admin);

        // The tree: both namespaces with their queues and counts.
        waitUntil(() -> label(robot, "ready 119 · in flight 1 · delayed 0 · archived 0 · oldest ") != null);
        assertThat(treeCell(robot, shop)).isNotNull();
        assertThat(treeCell(robot, mail)).isNotNull();
        assertThat(label(robot, "ready 3 · in flight 0 · delayed 0 · archived 0")).isNotNull();

        // Select the queue: the first page of 50, the in-flight message first, counting down from about 300 s.
        robot.clickOn(treeCell(robot, orders));
        TableView<MessageRow> table = robot.lookup("#messageTable").queryTableView();
        waitUntil(() -> table.getItems().size() == 50);
        assertThat(table.getItems().getFirst().msgId()).isEqualTo(sent.getFirst());
        assertThat(cellText(robot, "stateColumn", 0)).isEqualTo("in flight");
        int countdown = MessagesViewModelIT.seconds(cellText(robot, "visibleInColumn", 0));
        assertThat(countdown).isBetween(290, 300);
        assertThat(cellText(robot, "visibleInColumn", 1)).isEqualTo("visible");

        robot.interact(() -> ticker.advance(Duration.ofSeconds(12)));
        assertThat(MessagesViewModelIT.seconds(cellText(robot, "visibleInColumn", 0))).isEqualTo(countdown - 12);
        // When the visibility timeout has passed (by the server's clock plus the time since the page came), the
        // countdown reads "visible" without a new query.
        robot.interact(() -> ticker.advance(Duration.ofSeconds(countdown)));
        assertThat(cellText(robot, "visibleInColumn", 0)).isEqualTo("visible");

        // Paging: 50, 50, 20, and back.
        robot.clickOn("#nextButton");
        waitUntil(() -> table.getItems().getFirst().msgId() == sent.get(50));
        assertThat(table.getItems()).hasSize(50);
        robot.clickOn("#nextButton");
        waitUntil(() -> table.getItems().size() == 20);
        assertThat(table.getItems().getLast().msgId()).isEqualTo(sent.getLast());
        assertThat(robot.lookup("#nextButton").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#previousButton");
        waitUntil(() -> table.getItems().size() == 50 && table.getItems().getFirst().msgId() == sent.get(50));
        robot.clickOn("#firstButton");
        waitUntil(() -> table.getItems().getFirst().msgId() == sent.getFirst());

        // Shortcut+F jumps to the filter; typing an actor and Enter filters.
        robot.clickOn(table);
        robot.push(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN));
        TextField actorField = robot.lookup("#actorField").queryAs(TextField.class);
        assertThat(actorField.isFocused()).isTrue();
        robot.write("cancel_order").push(KeyCode.ENTER);
        waitUntil(() -> table.getItems().stream().allMatch(row -> row.actor().equals("cancel_order")));
        assertThat(table.getItems()).hasSize(50);
        assertThat(cellText(robot, "actorColumn", 0)).isEqualTo("cancel_order");
        assertThat(table.getItems().getFirst().msgId()).isEqualTo(sent.get(1));

        // The detail pane: indented JSON and the Dramatiq fields.
        robot.clickOn(tableCell(robot, "msgIdColumn", 0));
        WaitForAsyncUtils.waitForFxEvents();
        MessageRow selected = table.getItems().getFirst();
        String payload = robot.lookup("#payloadArea").queryAs(TextArea.class).getText();
        assertThat(payload).startsWith("{\n  \"").contains("\n  \"actor_name\": \"cancel_order\",")
                .contains("\n  \"args\": [\n    1,\n    \"text 1\"\n  ]");
        assertThat(labelText(robot, "#actorValue")).isEqualTo("cancel_order");
        assertThat(labelText(robot, "#messageIdValue")).isEqualTo(selected.messageId());
        assertThat(labelText(robot, "#retriesValue")).isEqualTo("0");
        assertThat(labelText(robot, "#timestampValue")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .+");
        assertThat(robot.lookup("#kwargsArea").queryAs(TextArea.class).getText()).isEqualTo("{\n  \"n\": 1\n}");
        assertThat(labelText(robot, "#detailTitle")).isEqualTo("msg_id " + sent.get(1) + " in " + orders);
        robot.clickOn("#copyMessageIdButton");
        assertThat(clipboard).containsExactly(selected.messageId());

        // F5 refreshes the shared queue list.
        long refreshes = viewModel.poller().refreshCount();
        robot.push(KeyCode.F5);
        assertThat(viewModel.poller().refreshCount()).isGreaterThan(refreshes);

        // An invalid JSON filter is refused inline.
        robot.clickOn("#payloadField").write("{\"kwargs\": ");
        assertThat(labelText(robot, "#filterErrorLabel")).startsWith("The payload filter is not valid JSON");
        assertThat(robot.lookup("#applyFilterButton").queryAs(Button.class).isDisabled()).isTrue();
    }

    private void show(FxRobot robot, QueueAdmin admin) {
        ResourceBundle texts = ConsoleMessages.bundle();
        QueuePoller poller = QueuePoller.forAdmin(() -> admin, tasks, ticker);
        viewModel = new QueuesViewModel(poller, () -> admin, tasks, ticker, clipboard::add, texts, Locale.ENGLISH,
                ZoneId.of("UTC"));
        AtomicReference<LoadedView<QueuesView>> loaded = new AtomicReference<>();
        robot.interact(() -> {
            loaded.set(new ViewLoader(type -> new QueuesView(viewModel, texts), texts).load(QueuesView.class));
            stage.setScene(new Scene(loaded.get().root(), 1280, 800));
            stage.show();
        });
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** A label whose text starts with {@code prefix}, or null. */
    private static Label label(FxRobot robot, String prefix) {
        return robot.lookup((Label label) -> label.getText() != null && label.getText().startsWith(prefix))
                .tryQueryAs(Label.class).orElse(null);
    }

    private static String labelText(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }

    /** The tree cell of a namespace (by name) or a queue (by pgmq name). */
    private static Node treeCell(FxRobot robot, String name) {
        return robot.lookup(".tree-cell").queryAllAs(TreeCell.class).stream()
                .filter(cell -> cell.getItem() instanceof QueueNode queue && queue.name().equals(name)
                        || cell.getItem() instanceof NamespaceNode namespace && namespace.namespace().equals(name))
                .findFirst().orElse(null);
    }

    private static TableCell<?, ?> tableCell(FxRobot robot, String columnId, int row) {
        return robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(cell -> cell.getTableColumn() != null && columnId.equals(cell.getTableColumn().getId())
                        && cell.getIndex() == row)
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + columnId + " in row " + row));
    }

    private static String cellText(FxRobot robot, String columnId, int row) {
        return tableCell(robot, columnId, row).getText();
    }
}
