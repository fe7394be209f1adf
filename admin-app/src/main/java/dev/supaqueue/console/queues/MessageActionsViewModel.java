package dev.supaqueue.console.queues;

import dev.supaqueue.admin.ActionControl;
import dev.supaqueue.admin.ActionProgress;
import dev.supaqueue.admin.ActionReport;
import dev.supaqueue.admin.MessageFilter;
import dev.supaqueue.admin.MessagePage;
import dev.supaqueue.admin.MessageSource;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.Selection;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.console.fx.BackgroundTasks;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The message actions of the queue screen: on the rows selected in the table, or on every message of the current
 * filter up to a msg_id, of the source the table shows. Each action's availability is a property with the reason
 * it is not available; destructive ones (delete, move, purge and every "up to msg_id" action) only become a
 * {@linkplain #pendingProperty() pending confirmation} that {@link #confirm()} runs, so none runs by one click.
 * One action runs at a time, off the FX thread, with progress and {@link #cancel()}; its report's summary then
 * shows and the page and the queue list refresh.
 */
public final class MessageActionsViewModel {

    /** What can be done to messages. */
    public enum Action {
        DELETE(true), ARCHIVE(false), MAKE_VISIBLE(false), POSTPONE(false), REPLAY(false), MOVE(true), PURGE(true);

        private final boolean destructive;

        Action(boolean destructive) {
            this.destructive = destructive;
        }

        /** Whether it loses or relocates messages, and so needs a confirmation even on selected rows. */
        public boolean destructive() {
            return destructive;
        }
    }

    /** Which messages an action is asked for. */
    public enum Scope {
        /** The rows selected in the table. */
        SELECTED,
        /** Every message of the current filter with a msg_id up to the bound (always confirmed). */
        UP_TO,
        /** The whole source (purge). */
        ALL
    }

    /**
     * An action waiting for the user's confirmation; its selection was fixed when it was asked for.
     *
     * @param prompt        the question shown, naming what will happen
     * @param typeQueueName whether the queue name must be typed to confirm (purge)
     */
    public record Pending(Action action, Scope scope, MessageSource source, Selection selection, String target,
                          Duration delay, String prompt, boolean typeQueueName) {
    }

    /** Whether an action can run now, and if not, why. */
    public static final class Availability {
        private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available");
        private final ReadOnlyStringWrapper reason = new ReadOnlyStringWrapper(this, "reason");

        public ReadOnlyBooleanProperty availableProperty() {
            return available.getReadOnlyProperty();
        }

        /** Why it is not available, null when it is. */
        public ReadOnlyStringProperty reasonProperty() {
            return reason.getReadOnlyProperty();
        }

        void set(String why) {
            reason.set(why);
            available.set(why == null);
        }
    }

    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    /** A week: the postpone spinner's upper bound. */
    public static final int MAX_POSTPONE_MINUTES = 10_080;

    private final MessagesViewModel messages;
    private final Supplier<QueueAdmin> admin;
    private final BackgroundTasks tasks;
    private final Executor fxThread;
    private final ResourceBundle texts;
    private final Runnable afterAction;
    private final boolean readOnly;

    private final ObservableList<MessageRow> selected = FXCollections.observableArrayList();
    private final ObservableList<MessageRow> readOnlySelected = FXCollections.unmodifiableObservableList(selected);
    private final StringProperty upToText = new SimpleStringProperty(this, "upToText", "");
    private final StringProperty confirmationText = new SimpleStringProperty(this, "confirmationText", "");
    private final StringProperty moveTarget = new SimpleStringProperty(this, "moveTarget", "");
    private final ReadOnlyStringWrapper moveTargetError = new ReadOnlyStringWrapper(this, "moveTargetError", "");
    private final ReadOnlyStringWrapper moveTargetProblem = new ReadOnlyStringWrapper(this, "moveTargetProblem", "");
    private final ReadOnlyStringWrapper upToError = new ReadOnlyStringWrapper(this, "upToError", "");
    private final StringProperty postponeMinutesText = new SimpleStringProperty(this, "postponeMinutesText", "5");
    private final ReadOnlyStringWrapper postponeError = new ReadOnlyStringWrapper(this, "postponeError", "");
    private final ReadOnlyBooleanWrapper canConfirm = new ReadOnlyBooleanWrapper(this, "canConfirm");
    private final ReadOnlyStringWrapper confirmReason = new ReadOnlyStringWrapper(this, "confirmReason");
    private final Map<Action, Availability> onSelected = new EnumMap<>(Action.class);
    private final Map<Action, Availability> upTo = new EnumMap<>(Action.class);
    private final ReadOnlyObjectWrapper<Pending> pending = new ReadOnlyObjectWrapper<>(this, "pending");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyObjectWrapper<ActionReport> lastReport = new ReadOnlyObjectWrapper<>(this, "lastReport");

    private ActionControl control;

    /**
     * @param messages    the message table whose source, filter and page the actions work on
     * @param admin       the connection's admin; asked only whether it is read-only here (no database call), the
     *                    actions themselves run in the background
     * @param tasks       runs the actions off the FX thread
     * @param fxThread    where progress reported by the action's thread is shown (the FX thread)
     * @param texts       the console's texts ({@code actions.*} keys)
     * @param afterAction refreshes the page and the queue list once an action is done
     */
    public MessageActionsViewModel(MessagesViewModel messages, Supplier<QueueAdmin> admin, BackgroundTasks tasks,
                                   Executor fxThread, ResourceBundle texts, Runnable afterAction) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.afterAction = Objects.requireNonNull(afterAction, "afterAction");
        this.readOnly = admin.get().isReadOnly();
        for (Action action : Action.values()) {
            onSelected.put(action, new Availability());
            upTo.put(action, new Availability());
        }
        messages.sourceProperty().addListener((property, old, value) -> {
            selected.clear(); // rows of another table
            pending.set(null);
            update();
        });
        messages.pageProperty().addListener((property, old, page) -> pageChanged(page));
        upToText.addListener((property, old, value) -> update());
        running.addListener((property, old, value) -> update());
        moveTarget.addListener((property, old, value) -> update());
        postponeMinutesText.addListener((property, old, value) -> update());
        pending.addListener((property, old, value) -> updateConfirm());
        confirmationText.addListener((property, old, value) -> updateConfirm());
        running.addListener((property, old, value) -> updateConfirm());
        pageChanged(messages.pageProperty().get());
        updateConfirm();
    }

    // Inputs //

    /** The highest msg_id an "up to" action includes; defaults to the highest on the current page. */
    public StringProperty upToTextProperty() {
        return upToText;
    }

    /** What the user typed to confirm a purge; it must equal the queue name. */
    public StringProperty confirmationTextProperty() {
        return confirmationText;
    }

    /** The queue the Move buttons move to (the view's target field). */
    public StringProperty moveTargetProperty() {
        return moveTarget;
    }

    // Properties //

    /** What is wrong with the typed move target, shown beside the field; empty while blank or fine. */
    public ReadOnlyStringProperty moveTargetErrorProperty() {
        return moveTargetError.getReadOnlyProperty();
    }

    /** Why the typed move target cannot be used (also when blank); empty when it can. */
    public ReadOnlyStringProperty moveTargetProblemProperty() {
        return moveTargetProblem.getReadOnlyProperty();
    }

    /** The postpone time in minutes as typed (the view's spinner field). */
    public StringProperty postponeMinutesTextProperty() {
        return postponeMinutesText;
    }

    /** What is wrong with the typed postpone minutes, shown beside the field; empty when nothing is. */
    public ReadOnlyStringProperty postponeErrorProperty() {
        return postponeError.getReadOnlyProperty();
    }

    /** What is wrong with the typed "up to" msg_id, shown beside the field; empty while blank or fine. */
    public ReadOnlyStringProperty upToErrorProperty() {
        return upToError.getReadOnlyProperty();
    }

    /** Whether Confirm may run the pending action (a purge only once the queue name is typed exactly). */
    public ReadOnlyBooleanProperty canConfirmProperty() {
        return canConfirm.getReadOnlyProperty();
    }

    /** Why Confirm is disabled, null when it is enabled. */
    public ReadOnlyStringProperty confirmReasonProperty() {
        return confirmReason.getReadOnlyProperty();
    }

    /** The rows selected in the table. */
    public ObservableList<MessageRow> selectedRows() {
        return readOnlySelected;
    }

    /** Whether {@code action} can run on the selected rows now (purge: on the whole source). */
    public Availability availability(Action action) {
        return onSelected.get(action);
    }

    /** Whether {@code action} can run on the current filter up to the msg_id bound now. */
    public Availability upToAvailability(Action action) {
        return upTo.get(action);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** The action waiting for Confirm or Cancel, null when none. */
    public ReadOnlyObjectProperty<Pending> pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0 to 1, or -1 while the total is not known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What the running action has done so far, in words. */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** The summary of the last finished action, null after {@link #dismissResult()}. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Why the last action could not run or failed, null when none. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The report of the last finished action, null before the first. */
    public ReadOnlyObjectProperty<ActionReport> lastReportProperty() {
        return lastReport.getReadOnlyProperty();
    }

    // Commands //

    /** Takes the table's selection (the view calls this whenever it changes). */
    public void select(List<MessageRow> rows) {
        selected.setAll(rows);
        update();
    }

    /** Asks to delete the selected rows (confirmed with {@link #confirm()}). */
    public void deleteSelected() {
        request(Action.DELETE, Scope.SELECTED, null, null);
    }

    public void archiveSelected() {
        request(Action.ARCHIVE, Scope.SELECTED, null, null);
    }

    public void makeVisibleSelected() {
        request(Action.MAKE_VISIBLE, Scope.SELECTED, null, null);
    }

    public void postponeSelected(Duration delay) {
        request(Action.POSTPONE, Scope.SELECTED, null, delay);
    }

    /** Replays the selected dead letters or archived messages to their origin queue. */
    public void replaySelected() {
        request(Action.REPLAY, Scope.SELECTED, null, null);
    }

    /** Asks to move the selected rows to {@code targetQueue} (confirmed with {@link #confirm()}). */
    public void moveSelected(String targetQueue) {
        request(Action.MOVE, Scope.SELECTED, targetQueue, null);
    }

    /** Asks to run {@code action} on every message of the current filter up to the msg_id bound (confirmed). */
    public void upTo(Action action) {
        request(action, Scope.UP_TO, null, null);
    }

    public void postponeUpTo(Duration delay) {
        request(Action.POSTPONE, Scope.UP_TO, null, delay);
    }

    public void moveUpTo(String targetQueue) {
        request(Action.MOVE, Scope.UP_TO, targetQueue, null);
    }

    /** Asks to purge the whole source; confirmed by typing the queue name ({@link #purge(String)}). */
    public void requestPurge() {
        request(Action.PURGE, Scope.ALL, null, null);
    }

    /**
     * Runs the pending purge if {@code typedConfirmation} is exactly the queue's name; otherwise says so and runs
     * nothing (the confirmation stays pending). Without a pending purge nothing happens either.
     *
     * @return whether the purge started
     */
    public boolean purge(String typedConfirmation) {
        Pending waiting = pending.get();
        if (waiting == null || waiting.action() != Action.PURGE) {
            error.set(texts.getString("actions.purge.notRequested"));
            return false;
        }
        if (!waiting.source().queue().equals(typedConfirmation)) {
            error.set(MessageFormat.format(texts.getString("actions.purge.wrongName"), waiting.source().queue()));
            return false;
        }
        pending.set(null);
        confirmationText.set("");
        start(waiting);
        return true;
    }

    /** Runs the pending action (a purge only with the queue name typed into {@link #confirmationTextProperty()}). */
    public void confirm() {
        Pending waiting = pending.get();
        if (waiting == null) {
            return;
        }
        if (waiting.typeQueueName()) {
            purge(confirmationText.get());
            return;
        }
        pending.set(null);
        start(waiting);
    }

    /** Drops the pending action; nothing changes. */
    public void cancelConfirmation() {
        pending.set(null);
        confirmationText.set("");
    }

    /** Asks the running action to stop after its current batch (what that batch did stays done). */
    public void cancel() {
        ActionControl running = control;
        if (running != null) {
            running.cancel();
            progressText.set(texts.getString("actions.cancelling"));
        }
    }

    public void dismissResult() {
        result.set(null);
    }

    public void dismissError() {
        error.set(null);
    }

    // Internals //

    private void request(Action action, Scope scope, String target, Duration delay) {
        Availability availability = scope == Scope.UP_TO ? upTo.get(action) : onSelected.get(action);
        if (!availability.availableProperty().get()) {
            error.set(availability.reasonProperty().get());
            return;
        }
        MessageSource source = messages.sourceProperty().get();
        if (action == Action.MOVE) {
            String why = checkTarget(target, source);
            if (why != null) {
                error.set(why);
                return;
            }
        }
        if (action == Action.POSTPONE && (delay == null || delay.isNegative() || delay.isZero())) {
            error.set(texts.getString("actions.postpone.invalid"));
            return;
        }
        Selection selection;
        String what;
        switch (scope) {
            case SELECTED -> {
                selection = Selection.ids(selected.stream().map(MessageRow::msgId).toList());
                what = MessageFormat.format(texts.getString("actions.what.selected"), selected.size());
            }
            case UP_TO -> {
                long bound = Long.parseLong(upToText.get().strip());
                MessageFilter filter = currentFilter();
                selection = Selection.upTo(bound, filter);
                what = MessageFormat.format(texts.getString(filter.isEmpty() ? "actions.what.upTo"
                        : "actions.what.upToFiltered"), Long.toString(bound));
            }
            default -> {
                selection = null;
                what = texts.getString("actions.what.all");
            }
        }
        String prompt = MessageFormat.format(texts.getString("actions.confirm." + action.name()), what, source,
                target == null ? "" : target);
        Pending asked = new Pending(action, scope, source, selection, target, delay, prompt, action == Action.PURGE);
        error.set(null);
        if (action.destructive() || scope != Scope.SELECTED) {
            confirmationText.set("");
            pending.set(asked);
        } else {
            start(asked);
        }
    }

    private String checkTarget(String target, MessageSource source) {
        if (target == null || target.isBlank()) {
            return texts.getString("actions.move.noTarget");
        }
        String name = target.strip();
        // A dead-letter queue is a valid target: check the name it belongs to.
        String base = name.endsWith(QueueNames.DEAD_LETTER_SUFFIX) && name.length() > QueueNames.DEAD_LETTER_SUFFIX.length()
                ? name.substring(0, name.length() - QueueNames.DEAD_LETTER_SUFFIX.length()) : name;
        try {
            QueueNames.validateQueueName(base);
        } catch (IllegalArgumentException e) {
            return MessageFormat.format(texts.getString("actions.move.badTarget"), e.getMessage());
        }
        if (source != null && name.equals(source.queue()) && !source.isArchive()) {
            return texts.getString("actions.move.sameQueue");
        }
        return null;
    }

    private void updateConfirm() {
        Pending waiting = pending.get();
        String why;
        if (waiting == null) {
            why = texts.getString("actions.purge.notRequested");
        } else if (running.get()) {
            why = texts.getString("actions.reason.running");
        } else if (waiting.typeQueueName() && !waiting.source().queue().equals(confirmationText.get())) {
            why = MessageFormat.format(texts.getString("actions.purge.wrongName"), waiting.source().queue());
        } else {
            why = null;
        }
        confirmReason.set(why);
        canConfirm.set(why == null);
    }

    /** The filter of the page shown (not the unapplied inputs), so "up to" acts on what the user sees. */
    private MessageFilter currentFilter() {
        MessagePage page = messages.pageProperty().get();
        return page == null ? MessageFilter.all() : page.request().filter();
    }

    private void start(Pending action) {
        ActionControl started = ActionControl.create();
        started.onProgress(update -> fxThread.execute(() -> showProgress(update)));
        control = started;
        running.set(true);
        progress.set(-1);
        progressText.set(texts.getString("actions.starting"));
        result.set(null);
        error.set(null);
        tasks.run("Message action " + action.action(), () -> execute(action, started), report -> {
            finish();
            lastReport.set(report);
            result.set(report.summary());
            afterAction.run();
        }, problem -> {
            finish();
            error.set(MessageFormat.format(texts.getString("actions.failed"), Problems.describe(problem)));
            afterAction.run(); // a batch may have committed before the failure
        });
    }

    private ActionReport execute(Pending action, ActionControl started) {
        QueueAdmin connection = admin.get();
        MessageSource source = action.source();
        String target = action.target() == null ? null : action.target().strip();
        return switch (action.action()) {
            case DELETE -> connection.delete(source, action.selection(), started);
            case ARCHIVE -> connection.archive(source.queue(), action.selection(), started);
            case MAKE_VISIBLE -> connection.makeVisible(source.queue(), action.selection(), started);
            case POSTPONE -> connection.postpone(source.queue(), action.selection(), action.delay(), started);
            case REPLAY -> connection.replay(source, action.selection(), null, started);
            case MOVE -> connection.move(source, action.selection(), target, started);
            case PURGE -> connection.purge(source);
        };
    }

    private void finish() {
        control = null;
        running.set(false);
        progress.set(0);
        progressText.set("");
    }

    private void showProgress(ActionProgress update) {
        if (!running.get()) {
            return; // a late update of a finished action
        }
        long expected = update.expected().value();
        progress.set(expected > 0 && update.expected().isExact() ? Math.min(1.0, (double) update.processed() / expected)
                : -1);
        if (control != null && control.isCancelled()) {
            return; // keep "cancelling…"
        }
        progressText.set(MessageFormat.format(texts.getString("actions.progress"), update.processed(),
                update.expected().toString(), update.affected()));
    }

    private void pageChanged(MessagePage page) {
        selected.clear(); // the rows are new objects; the view selects again
        if (page != null && !page.messages().isEmpty()) {
            long highest = page.messages().stream().mapToLong(message -> message.msgId()).max().orElseThrow();
            upToText.set(Long.toString(highest));
        } else {
            upToText.set("");
        }
        update();
    }

    private void update() {
        MessageSource source = messages.sourceProperty().get();
        String bound = upToText.get() == null ? "" : upToText.get().strip();
        String targetProblem = checkTarget(moveTarget.get(), source);
        moveTargetProblem.set(targetProblem == null ? "" : targetProblem);
        boolean targetTyped = moveTarget.get() != null && !moveTarget.get().isBlank();
        moveTargetError.set(targetTyped && targetProblem != null ? targetProblem : "");
        String minutes = postponeMinutesText.get() == null ? "" : postponeMinutesText.get().strip();
        postponeError.set(minutes.matches("\\d{1,9}") && Integer.parseInt(minutes) >= 1
                && Integer.parseInt(minutes) <= MAX_POSTPONE_MINUTES ? ""
                : MessageFormat.format(texts.getString("actions.postpone.minutesInvalid"), MAX_POSTPONE_MINUTES,
                        minutes));
        upToError.set(bound.isEmpty() || (DIGITS.matcher(bound).matches() && Long.parseLong(bound) >= 1) ? ""
                : MessageFormat.format(texts.getString("actions.upTo.invalid"), bound));
        for (Action action : Action.values()) {
            String common = commonReason(action, source);
            String selectedReason = common;
            if (selectedReason == null && action != Action.PURGE && selected.isEmpty()) {
                selectedReason = texts.getString("actions.reason.nothingSelected");
            }
            onSelected.get(action).set(selectedReason);
            String upToReason = common;
            if (upToReason == null && action == Action.PURGE) {
                upToReason = texts.getString("actions.reason.purgeAll");
            } else if (upToReason == null && (!DIGITS.matcher(bound).matches() || Long.parseLong(bound) < 1)) {
                upToReason = texts.getString("actions.reason.noBound");
            }
            upTo.get(action).set(upToReason);
        }
    }

    private String commonReason(Action action, MessageSource source) {
        if (readOnly) {
            return texts.getString("actions.reason.readOnly");
        }
        if (source == null) {
            return texts.getString("actions.reason.noQueue");
        }
        if (running.get()) {
            return texts.getString("actions.reason.running");
        }
        return switch (action) {
            case ARCHIVE, MAKE_VISIBLE, POSTPONE -> source.isArchive()
                    ? texts.getString("actions.reason.liveOnly") : null;
            case REPLAY -> source.isArchive() || source.isDeadLetterQueue() ? null
                    : texts.getString("actions.reason.replaySource");
            default -> null;
        };
    }
}
