package dev.supaqueue.console.queues;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueType;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.console.fx.BackgroundTasks;
import java.text.MessageFormat;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Creating and dropping queues from the queue tree. Creating takes a name (checked by broker-lib before any SQL);
 * dropping the selected queue, with its archive and every message, runs only when its name is typed again.
 * Both are refused on a read-only connection, with the reason.
 */
public final class QueueManagementViewModel {

    private final Supplier<QueueAdmin> admin;
    private final BackgroundTasks tasks;
    private final ResourceBundle texts;
    private final Runnable afterChange;

    private final StringProperty newQueueName = new SimpleStringProperty(this, "newQueueName", "");
    private final BooleanProperty unlogged = new SimpleBooleanProperty(this, "unlogged");
    private final StringProperty dropConfirmation = new SimpleStringProperty(this, "dropConfirmation", "");
    private final ReadOnlyStringWrapper dropCandidate = new ReadOnlyStringWrapper(this, "dropCandidate");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper(this, "result");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper unavailableReason = new ReadOnlyStringWrapper(this, "unavailableReason");
    private final ReadOnlyStringWrapper newQueueNameError = new ReadOnlyStringWrapper(this, "newQueueNameError", "");
    private final ReadOnlyBooleanWrapper canCreate = new ReadOnlyBooleanWrapper(this, "canCreate");
    private final ReadOnlyBooleanWrapper canConfirmDrop = new ReadOnlyBooleanWrapper(this, "canConfirmDrop");

    /**
     * @param afterChange runs on the FX thread after a queue was created or dropped (the tree refreshes)
     */
    public QueueManagementViewModel(Supplier<QueueAdmin> admin, BackgroundTasks tasks, ResourceBundle texts,
                                    Runnable afterChange) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.afterChange = Objects.requireNonNull(afterChange, "afterChange");
        // The admin exists without a query; asking whether it is read-only touches no database.
        unavailableReason.set(admin.get().isReadOnly() ? texts.getString("actions.reason.readOnly") : null);
        newQueueName.addListener(changed -> update());
        busy.addListener(changed -> update());
        dropCandidate.addListener(changed -> update());
        dropConfirmation.addListener(changed -> update());
        update();
    }

    // State //

    /** The name typed for a new queue. */
    public StringProperty newQueueNameProperty() {
        return newQueueName;
    }

    /** Whether the new queue is UNLOGGED (faster, emptied after a crash). */
    public BooleanProperty unloggedProperty() {
        return unlogged;
    }

    /** What the user typed to confirm dropping {@link #dropCandidateProperty()}. */
    public StringProperty dropConfirmationProperty() {
        return dropConfirmation;
    }

    /** The queue waiting for its drop to be confirmed, or null. */
    public ReadOnlyStringProperty dropCandidateProperty() {
        return dropCandidate.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** What the last create or drop did, in one sentence, or null. */
    public ReadOnlyStringProperty resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Why the last create or drop was refused or failed, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Why creating and dropping are not offered at all (a read-only connection), or null. */
    public ReadOnlyStringProperty unavailableReasonProperty() {
        return unavailableReason.getReadOnlyProperty();
    }

    /** What is wrong with the typed new queue name (empty while nothing is typed or it is fine). */
    public ReadOnlyStringProperty newQueueNameErrorProperty() {
        return newQueueNameError.getReadOnlyProperty();
    }

    /** Whether Create may run: a valid name, a writable connection, nothing under way. */
    public ReadOnlyBooleanProperty canCreateProperty() {
        return canCreate.getReadOnlyProperty();
    }

    /** Whether the pending drop may run: the queue's name is typed exactly. */
    public ReadOnlyBooleanProperty canConfirmDropProperty() {
        return canConfirmDrop.getReadOnlyProperty();
    }

    // Commands //

    /** Creates the queue named in {@link #newQueueNameProperty()} (and its archive). */
    public void create() {
        if (refused()) {
            return;
        }
        String name = newQueueName.get() == null ? "" : newQueueName.get().strip();
        String problem = nameProblem(name);
        if (problem != null) {
            error.set(problem);
            return;
        }
        QueueType type = unlogged.get() ? QueueType.UNLOGGED : QueueType.LOGGED;
        run("create queue " + name, () -> {
            admin.get().createQueue(name, type);
            return MessageFormat.format(texts.getString("queues.manage.created"), name);
        }, () -> newQueueName.set(""));
    }

    /** Asks to drop a queue; nothing happens until {@link #confirmDrop()} with its name typed. */
    public void requestDrop(String queue) {
        if (refused() || queue == null) {
            return;
        }
        dropConfirmation.set("");
        error.set(null);
        dropCandidate.set(queue);
    }

    /** Drops the queue waiting for confirmation if its name was typed exactly; otherwise says so. */
    public void confirmDrop() {
        String queue = dropCandidate.get();
        if (refused() || queue == null) {
            return;
        }
        if (!queue.equals(dropConfirmation.get())) {
            error.set(MessageFormat.format(texts.getString("queues.manage.wrongName"), queue));
            return;
        }
        dropCandidate.set(null);
        run("drop queue " + queue, () -> MessageFormat.format(texts.getString(admin.get().dropQueue(queue)
                ? "queues.manage.dropped" : "queues.manage.alreadyGone"), queue), () -> { });
    }

    public void cancelDrop() {
        dropCandidate.set(null);
        dropConfirmation.set("");
    }

    public void dismiss() {
        result.set(null);
        error.set(null);
    }

    /** Checked here, before any task: a bad name never reaches broker-lib's SQL, and is shown at once. */
    private String nameProblem(String name) {
        if (name.isEmpty()) {
            return texts.getString("queues.manage.nameBlank");
        }
        try {
            QueueNames.validateQueueName(name);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private void update() {
        String name = newQueueName.get() == null ? "" : newQueueName.get().strip();
        String problem = name.isEmpty() ? null : nameProblem(name);
        newQueueNameError.set(problem == null ? "" : problem);
        canCreate.set(!name.isEmpty() && problem == null && unavailableReason.get() == null && !busy.get());
        String candidate = dropCandidate.get();
        canConfirmDrop.set(candidate != null && candidate.equals(dropConfirmation.get()) && !busy.get()
                && unavailableReason.get() == null);
    }

    private boolean refused() {
        if (unavailableReason.get() != null) {
            error.set(unavailableReason.get());
            return true;
        }
        return busy.get();
    }

    private void run(String description, Callable<String> work, Runnable onSuccess) {
        busy.set(true);
        result.set(null);
        error.set(null);
        tasks.run(description, work, sentence -> {
            busy.set(false);
            result.set(sentence);
            onSuccess.run();
            afterChange.run();
        }, problem -> {
            busy.set(false);
            error.set(Problems.describe(problem));
        });
    }
}
