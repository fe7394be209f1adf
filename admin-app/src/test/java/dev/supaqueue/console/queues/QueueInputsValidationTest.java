package dev.supaqueue.console.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.admin.Count;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.admin.QueueType;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every typed input of the queue screen, one bad value per row: creating a queue (its name), dropping one (the
 * typed confirmation), the message filters (msg_id, message id, JSON containment), the move target, the "up to"
 * msg_id and the purge confirmation. Each bad value must show a message naming the problem, disable its action,
 * and reach no database: the admin's data source fails the test if it is ever asked for a connection, and no
 * background task other than the page's read may be queued.
 */
@Timeout(20)
class QueueInputsValidationTest {

    private static final String HOSTILE_SQL = "'; DROP TABLE x; --";
    private static final String HOSTILE_MARKUP = "<script>alert(1)</script>";

    private final ResourceBundle texts = ConsoleMessages.bundle();
    private final AtomicInteger connectionsAsked = new AtomicInteger();
    private final List<String> tasksQueued = new ArrayList<>();
    private QueueAdmin admin;
    private MessagesViewModel messages;
    private MessageActionsViewModel actions;
    private QueueManagementViewModel management;

    @BeforeEach
    void setUp() {
        DataSource noDatabase = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connectionsAsked.incrementAndGet();
                        throw new SQLException("no database in this test");
                    }
                    if (method.getName().equals("toString")) {
                        return "no database";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        admin = QueueAdmin.create(noDatabase);
        // Records what would run in the background and runs none of it: no read, no write.
        BackgroundTasks recording = new BackgroundTasks() {
            @Override
            public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
                tasksQueued.add(description);
            }
        };
        messages = new MessagesViewModel(() -> admin, recording, new ManualTicker(), texts, ZoneId.of("UTC"), 50);
        actions = new MessageActionsViewModel(messages, () -> admin, recording, Runnable::run, texts, () -> { });
        management = new QueueManagementViewModel(() -> admin, recording, texts, () -> { });
        messages.showQueue(summary("app_emails"));
    }

    @AfterEach
    void nothingReachedTheDatabase() {
        assertThat(connectionsAsked).as("connections asked of the database").hasValue(0);
        assertThat(tasksQueued).as("only reads of the page may be queued").allMatch(task -> task.startsWith("Browse"));
    }

    // Create queue //

    static Stream<Arguments> badQueueNames() {
        return Stream.of(
                Arguments.of(HOSTILE_SQL, "'''"),
                Arguments.of(HOSTILE_MARKUP, "'<'"),
                Arguments.of("Emails", "lowercase"),
                Arguments.of("9lives", "must start with a lowercase letter"),
                Arguments.of("with space", "U+0020"),
                Arguments.of("a".repeat(60), "too long"),
                Arguments.of("orders_xq", "reserved for dead-letter"),
                Arguments.of("café", "'é'"));
    }

    @ParameterizedTest(name = "create queue named {0}")
    @MethodSource("badQueueNames")
    void aBadNewQueueNameIsNamedAndCreateStaysDisabled(String name, String expected) {
        management.newQueueNameProperty().set(name);

        assertThat(management.newQueueNameErrorProperty().get()).containsIgnoringCase(expected);
        assertThat(management.canCreateProperty().get()).isFalse();
        management.create();
        assertThat(management.errorProperty().get()).containsIgnoringCase(expected);
    }

    @Test
    void aBlankNameDisablesCreateWithoutShouting() {
        management.newQueueNameProperty().set("   ");
        assertThat(management.newQueueNameErrorProperty().get()).isEmpty();
        assertThat(management.canCreateProperty().get()).isFalse();
        management.create();
        assertThat(management.errorProperty().get()).contains("Type a name");
    }

    @Test
    void aGoodNameEnablesCreate() {
        management.newQueueNameProperty().set("app_reports");
        assertThat(management.newQueueNameErrorProperty().get()).isEmpty();
        assertThat(management.canCreateProperty().get()).isTrue();
    }

    // Drop queue //

    @ParameterizedTest(name = "drop confirmed with {0}")
    @MethodSource("wrongConfirmations")
    void dropStaysDisabledUntilTheExactNameIsTyped(String typed) {
        management.requestDrop("app_emails");
        management.dropConfirmationProperty().set(typed);

        assertThat(management.canConfirmDropProperty().get()).isFalse();
        management.confirmDrop();
        assertThat(management.errorProperty().get()).contains("does not match").contains("app_emails");
        assertThat(management.dropCandidateProperty().get()).as("still waiting").isEqualTo("app_emails");

        management.dropConfirmationProperty().set("app_emails");
        assertThat(management.canConfirmDropProperty().get()).isTrue();
        management.cancelDrop();
        assertThat(management.canConfirmDropProperty().get()).isFalse();
    }

    static Stream<String> wrongConfirmations() {
        return Stream.of("", "app_email", "APP_EMAILS", " app_emails", "app_emails ", HOSTILE_SQL);
    }

    // Filters //

    static Stream<Arguments> badFilters() {
        return Stream.of(
                Arguments.of("id", "0", "start at 1"),
                Arguments.of("id", "99999999999999999999", "too large"),
                Arguments.of("id", HOSTILE_SQL, "message id"),
                Arguments.of("id", HOSTILE_MARKUP, "message id"),
                Arguments.of("id", "x".repeat(200), "at most 128"),
                Arguments.of("payload", "{\"actor_name\": ", "not valid JSON"),
                Arguments.of("payload", "{'single': 'quotes'}", "not valid JSON"),
                Arguments.of("payload", HOSTILE_SQL, "not valid JSON"),
                Arguments.of("payload", HOSTILE_MARKUP, "not valid JSON"),
                Arguments.of("payload", "42", "object or array"),
                Arguments.of("payload", "\"text\"", "object or array"),
                Arguments.of("payload", "true", "object or array"));
    }

    @ParameterizedTest(name = "{0} filter {1}")
    @MethodSource("badFilters")
    void aBadFilterIsNamedAndNotApplied(String field, String value, String expected) {
        (field.equals("id") ? messages.idFilterProperty() : messages.payloadFilterProperty()).set(value);

        assertThat(messages.filterErrorProperty().get()).isNotNull().containsIgnoringCase(expected);
        int queued = tasksQueued.size();
        messages.applyFilter();
        assertThat(tasksQueued).as("no page is read with a bad filter").hasSize(queued);
    }

    @Test
    void goodFiltersAreAccepted() {
        messages.idFilterProperty().set("17");
        assertThat(messages.filterErrorProperty().get()).isNull();
        messages.idFilterProperty().set("6f0c1e9a-3c53-4f0e-9d3c-1b1f5e1f2a77");
        assertThat(messages.filterErrorProperty().get()).isNull();
        messages.payloadFilterProperty().set("{\"kwargs\": {\"user_id\": 7}}");
        assertThat(messages.filterErrorProperty().get()).isNull();
        messages.payloadFilterProperty().set("[1]");
        assertThat(messages.filterErrorProperty().get()).isNull();
    }

    // Move target, up to, purge confirmation //

    static Stream<Arguments> badMoveTargets() {
        return Stream.of(
                Arguments.of(HOSTILE_SQL, "Cannot move there"),
                Arguments.of(HOSTILE_MARKUP, "Cannot move there"),
                Arguments.of("Other", "lowercase"),
                Arguments.of("b".repeat(60), "too long"),
                Arguments.of("app_emails", "already in that queue"));
    }

    @ParameterizedTest(name = "move to {0}")
    @MethodSource("badMoveTargets")
    void aBadMoveTargetIsNamedAndMoveRefused(String target, String expected) {
        actions.moveTargetProperty().set(target);

        assertThat(actions.moveTargetErrorProperty().get()).containsIgnoringCase(expected);
        assertThat(actions.moveTargetProblemProperty().get()).isEqualTo(actions.moveTargetErrorProperty().get());
        actions.moveUpTo(target);
        assertThat(actions.pendingProperty().get()).as("nothing to confirm").isNull();
        assertThat(actions.errorProperty().get()).isNotNull();
    }

    @Test
    void aBlankMoveTargetDisablesMoveWithoutShouting() {
        actions.moveTargetProperty().set("");
        assertThat(actions.moveTargetErrorProperty().get()).isEmpty();
        assertThat(actions.moveTargetProblemProperty().get()).contains("Name the queue");
        actions.moveTargetProperty().set("app_elsewhere_xq");
        assertThat(actions.moveTargetProblemProperty().get()).as("a dead-letter queue is a target").isEmpty();
    }

    @ParameterizedTest(name = "postpone by {0} minutes")
    @MethodSource("badPostponeMinutes")
    void aBadPostponeTimeIsNamed(String minutes) {
        actions.postponeMinutesTextProperty().set(minutes);
        assertThat(actions.postponeErrorProperty().get()).contains("from 1 to 10080").contains(minutes.strip());
        actions.postponeMinutesTextProperty().set("30");
        assertThat(actions.postponeErrorProperty().get()).isEmpty();
    }

    static Stream<String> badPostponeMinutes() {
        return Stream.of("", "abc", "0", "-5", "10081", "2.5", HOSTILE_SQL, "9".repeat(12));
    }

    static Stream<Arguments> badUpTo() {
        return Stream.of(Arguments.of("abc"), Arguments.of("-5"), Arguments.of("0"), Arguments.of("1.5"),
                Arguments.of(HOSTILE_SQL), Arguments.of("9".repeat(25)));
    }

    @ParameterizedTest(name = "up to {0}")
    @MethodSource("badUpTo")
    void aBadUpToBoundIsNamedAndEveryUpToActionDisabled(String bound) {
        actions.upToTextProperty().set(bound);

        assertThat(actions.upToErrorProperty().get()).contains("whole number").contains(bound.strip());
        for (MessageActionsViewModel.Action action : MessageActionsViewModel.Action.values()) {
            assertThat(actions.upToAvailability(action).availableProperty().get()).as(action.name()).isFalse();
        }
        actions.upTo(MessageActionsViewModel.Action.DELETE);
        assertThat(actions.pendingProperty().get()).isNull();
    }

    @ParameterizedTest(name = "purge confirmed with {0}")
    @MethodSource("wrongConfirmations")
    void purgeConfirmStaysDisabledUntilTheExactNameIsTyped(String typed) {
        actions.requestPurge();
        assertThat(actions.pendingProperty().get()).isNotNull();
        actions.confirmationTextProperty().set(typed);

        assertThat(actions.canConfirmProperty().get()).isFalse();
        assertThat(actions.confirmReasonProperty().get()).contains("type app_emails exactly");
        actions.confirm();
        assertThat(actions.pendingProperty().get()).as("still waiting").isNotNull();
        assertThat(actions.runningProperty().get()).isFalse();

        actions.confirmationTextProperty().set("app_emails");
        assertThat(actions.canConfirmProperty().get()).isTrue();
        actions.cancelConfirmation();
        assertThat(actions.canConfirmProperty().get()).isFalse();
    }

    private static QueueSummary summary(String name) {
        return new QueueSummary(name, "app", name.substring(4), QueueType.LOGGED, Instant.EPOCH, Count.exact(0),
                Count.exact(0), Count.exact(0), Count.exact(0), Count.exact(0), null, null, null, null, 0);
    }
}
