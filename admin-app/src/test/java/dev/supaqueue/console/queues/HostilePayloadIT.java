package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.fx.FxBackgroundTasks;
import dev.supaqueue.console.fx.ViewLoader;
import dev.supaqueue.message.Message;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Messages whose JSON holds markup, SQL, a very long line and unusual unicode are shown as text: the table's cells
 * and the detail pane hold exactly what the database stores (JSON re-indented, nothing escaped, interpreted or
 * cut), and showing them runs nothing (the queue still holds both messages, unread).
 */
@PgmqIntegrationTest
@ExtendWith(ApplicationExtension.class)
@Timeout(60)
class HostilePayloadIT {

    private static final String SCRIPT = "<script>alert('x')</script>";
    private static final String BOLD = "<b>bold</b> &amp; <i>not</i>";
    private static final String SQL = "'; DROP TABLE x; -- \" ) ; DELETE FROM pgmq.meta; --";
    private static final String UNICODE = "e\u0301 \uD83C\uDF89 \u05E2\u05D1\u05E8\u05D9\u05EA \u4E2D\u6587 \u202Eevil\u202C"
            + " zero\u200Bwidth tab\there";
    private static final String LONG_LINE = "0123456789".repeat(3_000);

    private final FxBackgroundTasks tasks = new FxBackgroundTasks(2);
    private final ObjectMapper json = new ObjectMapper();
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void closeTasks() {
        tasks.close();
    }

    @Test
    void markupSqlLongLinesAndUnicodeAreShownVerbatim(FxRobot robot, TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("hostile");
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("html", SCRIPT);
        kwargs.put("sql", SQL);
        kwargs.put("long", LONG_LINE);
        Message dramatiq = Message.create(queue, "render_" + "page", List.of(BOLD, UNICODE, SQL), kwargs, Map.of());
        String raw = json.writeValueAsString(Map.of("markup", SCRIPT + BOLD, "sql", SQL, "unicode", UNICODE,
                "long", LONG_LINE));
        List<Long> ids;
        try (Connection connection = db.connect()) {
            ids = PgmqSql.sendBatch(connection, queue, List.of(QueueFixtures.json(dramatiq), raw));
        }
        QueueAdmin admin = QueueAdmin.create(db.dataSource());
        TableView<MessageRow> table = show(robot, admin, queue);
        waitUntil(() -> table.getItems().size() == 2);

        Map<Long, String> storedById = Map.of(ids.get(0), storedText(db, QueueFixtures.json(dramatiq)),
                ids.get(1), storedText(db, raw));
        for (int row = 0; row < 2; row++) {
            String stored = storedById.get(table.getItems().get(row).msgId());
            // The table: the stored text on one line, cut at the preview length, never interpreted.
            String flattened = stored.replaceAll("\\s+", " ").strip();
            String expectedPreview = flattened.length() <= MessageRow.PREVIEW_CHARS ? flattened
                    : flattened.substring(0, MessageRow.PREVIEW_CHARS) + "…";
            assertThat(cellText(robot, "payloadColumn", row)).isEqualTo(expectedPreview);

            int index = row;
            robot.interact(() -> table.getSelectionModel().clearAndSelect(index));
            TextArea payload = robot.lookup("#payloadArea").queryAs(TextArea.class);
            waitUntil(() -> !payload.getText().isEmpty() && json.readTree(payload.getText())
                    .equals(json.readTree(stored)));
            // Same JSON value; the strings inside appear literally (no \\u003c, no entity, nothing dropped).
            assertThat(payload.getText()).contains(SCRIPT).contains(LONG_LINE).contains("\\\"")
                    .contains(UNICODE.replace("\t", "\\t"));
        }

        // The Dramatiq message's fields in the detail pane.
        int dramatiqRow = table.getItems().get(0).msgId() == ids.get(0) ? 0 : 1;
        assertThat(cellText(robot, "actorColumn", dramatiqRow)).isEqualTo("render_page");
        robot.interact(() -> table.getSelectionModel().clearAndSelect(dramatiqRow));
        TextArea args = robot.lookup("#argsArea").queryAs(TextArea.class);
        TextArea kwargsArea = robot.lookup("#kwargsArea").queryAs(TextArea.class);
        waitUntil(() -> args.getText().contains("bold"));
        JsonNode shownArgs = json.readTree(args.getText());
        assertThat(shownArgs.get(0).asText()).isEqualTo(BOLD);
        assertThat(shownArgs.get(1).asText()).isEqualTo(UNICODE);
        assertThat(shownArgs.get(2).asText()).isEqualTo(SQL);
        JsonNode shownKwargs = json.readTree(kwargsArea.getText());
        assertThat(shownKwargs.get("html").asText()).isEqualTo(SCRIPT);
        assertThat(shownKwargs.get("long").asText()).hasSize(LONG_LINE.length()).isEqualTo(LONG_LINE);
        assertThat(kwargsArea.getText()).contains(SCRIPT).contains(LONG_LINE);
        assertThat(robot.lookup("#messageIdValue").queryAs(Label.class).getText()).isEqualTo(dramatiq.messageId());

        // Nothing ran: both messages are still in the queue, and none was read (read_ct stays 0 on screen).
        try (Connection connection = db.connect()) {
            assertThat(PgmqSql.single(connection, "SELECT queue_length FROM pgmq.metrics(?::text)", queue))
                    .isEqualTo(2);
            assertThat(PgmqSql.single(connection, "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?", queue))
                    .isEqualTo(1);
        }
        assertThat(table.getItems()).extracting(MessageRow::readCt).containsOnly(0);
        assertThat(table.getItems()).extracting(MessageRow::msgId).containsExactlyInAnyOrderElementsOf(ids);
    }

    /**
     * The payload as PostgreSQL stores it: the sent JSON cast to jsonb and back, which is what pgmq's message
     * column holds; asked without touching the queue (a pgmq.read would count as a read).
     */
    private static String storedText(TestDatabaseServer db, String sent) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT ?::jsonb::text")) {
            statement.setString(1, sent);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    private TableView<MessageRow> show(FxRobot robot, QueueAdmin admin, String queue) throws TimeoutException {
        ResourceBundle texts = ConsoleMessages.bundle();
        ManualTicker ticker = new ManualTicker();
        List<String> clipboard = new ArrayList<>();
        QueuePoller poller = QueuePoller.forAdmin(() -> admin, tasks, ticker);
        QueuesViewModel viewModel = new QueuesViewModel(poller, () -> admin, tasks, ticker, clipboard::add, texts,
                Locale.ENGLISH, ZoneId.of("UTC"));
        robot.interact(() -> {
            var loaded = new ViewLoader(type -> new QueuesView(viewModel, texts), texts).load(QueuesView.class);
            stage.setScene(new Scene(loaded.root(), 1280, 800));
            stage.show();
        });
        waitUntil(() -> !viewModel.namespaces().isEmpty());
        robot.interact(() -> assertThat(viewModel.selectQueue(queue)).isTrue());
        TableView<MessageRow> table = robot.lookup("#messageTable").queryTableView();
        waitUntil(() -> !table.getItems().isEmpty());
        return table;
    }

    private static String cellText(FxRobot robot, String columnId, int row) {
        return robot.lookup(".table-cell").queryAllAs(TableCell.class).stream()
                .filter(cell -> cell.getTableColumn() != null && columnId.equals(cell.getTableColumn().getId())
                        && cell.getIndex() == row)
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + columnId + " in row " + row))
                .getText();
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}
