package dev.supaqueue.admin;

import dev.supaqueue.admin.BulkRunner.Outcome;
import dev.supaqueue.admin.BulkRunner.Row;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.pgmq.PgmqQueueName;
import dev.supaqueue.pgmq.PgmqSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The changing half of {@link QueueAdmin}: enqueue, delete, archive, visibility, replay, move, purge, create and
 * drop. Every call validates its arguments before any SQL runs; bulk actions run through {@link BulkRunner}, one
 * transaction per batch. Read-only mode is enforced by the caller. Thread-safe.
 */
final class MessageActions {

    /** The longest postponement: 10 years, as for delays. */
    static final Duration MAX_POSTPONE = EnqueueRequest.MAX_DELAY;

    /** New queues: pgmq folds table names to lowercase, so only names that are lowercase already are safe. */
    private static final Pattern NEW_QUEUE_NAME = Pattern.compile("[a-z0-9_]+");

    /** Payload characters per {@code send_batch} statement, so that large payloads go in smaller batches. */
    private static final long MAX_CHARS_PER_STATEMENT = 16L * 1024 * 1024;

    private static final String SAME_FOLDED_NAME = """
            SELECT queue_name::text AS queue_name, is_partitioned, is_unlogged
              FROM pgmq.meta WHERE lower(queue_name::text) = ?::text""";

    private final DataSource dataSource;
    private final PgmqClient client;
    private final QueueTables tables;
    private final BulkRunner runner;

    MessageActions(DataSource dataSource, PgmqClient client, QueueTables tables, AdminOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.client = Objects.requireNonNull(client, "client");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.runner = new BulkRunner(dataSource, client, Objects.requireNonNull(options, "options"));
    }

    // ------------------------------------------------------------------------------------------------------
    // Enqueue
    // ------------------------------------------------------------------------------------------------------

    /**
     * Sends the request's copies with {@code send_batch}, in batches of {@link AdminOptions#batchSize()} (fewer
     * for large payloads), all in one transaction: either every copy is sent or none.
     *
     * @throws UnsupportedOperationException if the request has headers and pgmq is older than 1.5.0
     * @throws UnknownQueueException         if the queue does not exist
     */
    EnqueueResult enqueue(EnqueueRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.headers() != null && !client.supports(PgmqFeature.HEADERS)) {
            throw new UnsupportedOperationException("Message headers need pgmq " + PgmqFeature.HEADERS.since()
                    + " or newer, but this database has " + client.installation().describe()
                    + "; enqueue without headers");
        }
        long started = System.nanoTime();
        resolve("enqueue", request.queue());
        int perStatement = (int) Math.max(1, Math.min(runner.batchSize(),
                MAX_CHARS_PER_STATEMENT / Math.max(1, request.payload().length())));
        List<Long> ids = client.inTransaction(session -> {
            runner.limitStatements(session.connection());
            List<Long> sent = new ArrayList<>(request.count());
            while (sent.size() < request.count()) {
                int copies = Math.min(perStatement, request.count() - sent.size());
                List<String> headers = request.headers() == null ? null
                        : Collections.nCopies(copies, request.headers());
                sent.addAll(session.sendBatch(request.queue(), request.bodies(copies), headers, request.delay()));
            }
            return sent;
        });
        return new EnqueueResult(request.queue(), ids, Duration.ofNanos(System.nanoTime() - started));
    }

    // ------------------------------------------------------------------------------------------------------
    // Delete, archive, visibility
    // ------------------------------------------------------------------------------------------------------

    /** Deletes messages: {@code pgmq.delete} in the live table, a plain DELETE in the archive. */
    ActionReport delete(MessageSource source, Selection selection, ActionControl control) {
        Objects.requireNonNull(source, "source");
        FilterSql filter = filterOf(selection, source.area());
        ActionControl steering = orNone(control);
        QueueTables.Tables sourceTables = resolve("delete", source.queue());
        BulkRunner.Work work = source.isArchive()
                ? (session, rows) -> Outcome.changed(
                        deleteFromArchive(session.connection(), sourceTables, "delete", msgIds(rows)), rows.size())
                : (session, rows) -> Outcome.changed(session.delete(source.queue(), msgIds(rows)).size(),
                        rows.size());
        return runner.run(new BulkRunner.Plan("delete", source, null, "", sourceTables, selection, filter, false,
                steering, work));
    }

    /** Moves live messages to the queue's archive with {@code pgmq.archive}. */
    ActionReport archive(String queue, Selection selection, ActionControl control) {
        MessageSource source = MessageSource.queue(queue);
        FilterSql filter = filterOf(selection, source.area());
        ActionControl steering = orNone(control);
        QueueTables.Tables sourceTables = resolve("archive", queue);
        return runner.run(new BulkRunner.Plan("archive", source, null, "", sourceTables, selection, filter, false,
                steering, (session, rows) -> Outcome.changed(session.archive(queue, msgIds(rows)).size(),
                        rows.size())));
    }

    /** Makes live messages visible now ({@code set_vt} 0), in flight or delayed alike. */
    ActionReport makeVisible(String queue, Selection selection, ActionControl control) {
        MessageSource source = MessageSource.queue(queue);
        FilterSql filter = filterOf(selection, source.area());
        ActionControl steering = orNone(control);
        QueueTables.Tables sourceTables = resolve("makeVisible", queue);
        return runner.run(new BulkRunner.Plan("makeVisible", source, null, "", sourceTables, selection, filter,
                false, steering, (session, rows) -> Outcome.changed(session.setVt(queue, msgIds(rows), 0).size(),
                        rows.size())));
    }

    /**
     * Hides live messages for {@code delay} from now ({@code set_vt}; to the millisecond on pgmq ≥ 1.10, whole
     * seconds rounded up before).
     *
     * @throws IllegalArgumentException if the delay is not positive or longer than 10 years
     */
    ActionReport postpone(String queue, Selection selection, Duration delay, ActionControl control) {
        MessageSource source = MessageSource.queue(queue);
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("A postponement must be positive, got " + delay
                    + "; to make messages visible now, use makeVisible");
        }
        if (delay.compareTo(MAX_POSTPONE) > 0) {
            throw new IllegalArgumentException("A postponement must be at most 10 years (" + MAX_POSTPONE.toDays()
                    + " days), got " + delay);
        }
        FilterSql filter = filterOf(selection, source.area());
        ActionControl steering = orNone(control);
        QueueTables.Tables sourceTables = resolve("postpone", queue);
        return runner.run(new BulkRunner.Plan("postpone", source, null, " by " + BulkSummary.duration(delay),
                sourceTables, selection, filter, false, steering,
                (session, rows) -> Outcome.changed(session.setVt(queue, msgIds(rows), delay).size(), rows.size())));
    }

    // ------------------------------------------------------------------------------------------------------
    // Replay and move
    // ------------------------------------------------------------------------------------------------------

    /**
     * Sends copies of messages to a queue with their failure state reset (see {@link ReplayPayloads}) and removes
     * the originals, one transaction per batch. Live messages in flight are left alone (a worker holds them).
     * Every replayed message is visible at once.
     *
     * @param targetQueue the queue to send to; null for {@link MessageSource#originQueue()}
     * @throws IllegalArgumentException if the target is the live source queue itself
     * @throws UnknownQueueException    if the source or the target queue does not exist
     */
    ActionReport replay(MessageSource from, Selection selection, String targetQueue, ActionControl control) {
        Objects.requireNonNull(from, "from");
        String target = targetQueue == null ? from.originQueue() : PgmqQueueName.validate(targetQueue);
        if (!from.isArchive() && target.equals(from.queue())) {
            throw new IllegalArgumentException("Cannot replay the live messages of \"" + from.queue()
                    + "\" into the same queue; replay from its dead-letter queue or its archive, or use"
                    + " makeVisible to retry a message now");
        }
        return transfer("replay", from, selection, target, control);
    }

    /**
     * Moves messages to another queue, one transaction per batch: a Dramatiq message's {@code queue_name} follows
     * it into the target's namespace (see {@link ReplayPayloads#queueNameAfterMove}), everything else is kept. A
     * ready message arrives ready; a delayed one keeps its visibility time; one in flight is left alone (a worker
     * holds it) and counted as skipped.
     *
     * @throws IllegalArgumentException if the target is the live source queue itself
     * @throws UnknownQueueException    if the source or the target queue does not exist
     */
    ActionReport move(MessageSource from, Selection selection, String targetQueue, ActionControl control) {
        Objects.requireNonNull(from, "from");
        PgmqQueueName.validate(targetQueue);
        if (!from.isArchive() && targetQueue.equals(from.queue())) {
            throw new IllegalArgumentException("Cannot move messages of \"" + from.queue()
                    + "\" to the same queue; choose another target queue");
        }
        return transfer("move", from, selection, targetQueue, control);
    }

    private ActionReport transfer(String action, MessageSource from, Selection selection, String target,
                                  ActionControl control) {
        FilterSql filter = filterOf(selection, from.area());
        ActionControl steering = orNone(control);
        QueueTables.Tables sourceTables;
        QueueTables.Tables targetTables;
        try (Connection connection = dataSource.getConnection()) {
            sourceTables = tables.resolve(connection, action, from.queue());
            targetTables = tables.resolve(connection, action, target);
        } catch (SQLException e) {
            throw new PgmqException(action, from.queue(), e);
        }
        boolean replay = action.equals("replay");
        BulkRunner.Work work = (session, rows) -> transferBatch(session, replay, from, sourceTables, targetTables,
                rows);
        return runner.run(new BulkRunner.Plan(action, from, target, "", sourceTables, selection, filter, true,
                steering, work));
    }

    /**
     * Inside the batch's transaction, with the source rows locked: send the new messages, keep delays (move),
     * remove the originals. If the removal does not match what was sent, the batch is rolled back rather than
     * leaving a message in both queues.
     */
    private Outcome transferBatch(PgmqSession session, boolean replay, MessageSource from,
                                  QueueTables.Tables sourceTables, QueueTables.Tables targetTables, List<Row> rows)
            throws SQLException {
        String action = replay ? "replay" : "move";
        String target = targetTables.queue();
        List<Row> movable = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.state() != MessageState.IN_FLIGHT) {
                movable.add(row);
            }
        }
        long inFlight = rows.size() - movable.size();
        if (movable.isEmpty()) {
            return new Outcome(0, inFlight, 0, List.of());
        }
        List<String> payloads = new ArrayList<>(movable.size());
        List<String> headers = new ArrayList<>(movable.size());
        boolean anyHeaders = false;
        for (Row row : movable) {
            payloads.add(replay ? ReplayPayloads.forReplay(row.message(), from.queue(), target)
                    : ReplayPayloads.forMove(row.message(), from.queue(), target));
            String kept = replay ? ReplayPayloads.headersForReplay(row.headers()) : row.headers();
            headers.add(kept);
            anyHeaders |= kept != null;
        }
        // Headers travel where the target can hold them (pgmq ≥ 1.5: then every queue has the column).
        boolean sendHeaders = anyHeaders && targetTables.queueHasHeaders() && session.supports(PgmqFeature.HEADERS);
        List<Long> newIds = session.sendBatch(target, payloads, sendHeaders ? headers : null, Duration.ZERO);
        if (!replay) {
            keepDelays(session.connection(), targetTables, movable, newIds);
        }
        List<Long> originals = msgIds(movable);
        long removed = from.isArchive() ? deleteFromArchive(session.connection(), sourceTables, action, originals)
                : session.delete(from.queue(), originals).size();
        if (removed != originals.size()) {
            throw new IllegalStateException("A " + action + " batch from " + from + " removed " + removed + " of "
                    + originals.size() + " original messages; the batch was rolled back so that no message exists"
                    + " twice");
        }
        return new Outcome(movable.size(), inFlight, 0, newIds);
    }

    /** Delayed messages keep their visibility time in the target; the new rows are the batch's own, uncommitted. */
    private void keepDelays(Connection connection, QueueTables.Tables targetTables, List<Row> movable,
                            List<Long> newIds) throws SQLException {
        List<Long> delayedIds = new ArrayList<>();
        List<String> visibleAt = new ArrayList<>();
        for (int i = 0; i < movable.size(); i++) {
            if (movable.get(i).state() == MessageState.DELAYED) {
                delayedIds.add(newIds.get(i));
                visibleAt.add(movable.get(i).vt());
            }
        }
        if (delayedIds.isEmpty()) {
            return;
        }
        String sql = "UPDATE " + targetTables.queueTable() + " AS t SET vt = v.vt::timestamptz"
                + " FROM unnest(?::bigint[], ?::text[]) AS v(msg_id, vt) WHERE t.msg_id = v.msg_id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setQueryTimeout(runner.timeoutSeconds());
            statement.setArray(1, BulkRunner.array(connection, delayedIds));
            statement.setArray(2, connection.createArrayOf("text", visibleAt.toArray(String[]::new)));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new PgmqException("move", targetTables.queue(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Purge, create, drop
    // ------------------------------------------------------------------------------------------------------

    /**
     * Removes every message of a queue ({@code pgmq.purge_queue}: a moment's exclusive lock, then TRUNCATE) or
     * of its archive (a DELETE, which does not block workers archiving meanwhile), and reports how many.
     */
    ActionReport purge(MessageSource source) {
        Objects.requireNonNull(source, "source");
        long started = System.nanoTime();
        QueueTables.Tables sourceTables = resolve("purge", source.queue());
        long count = client.inTransaction(session -> {
            runner.limitStatements(session.connection());
            if (source.isArchive()) {
                try (PreparedStatement statement = session.connection().prepareStatement(
                        "DELETE FROM " + sourceTables.archiveTable())) {
                    statement.setQueryTimeout(runner.timeoutSeconds());
                    return statement.executeLargeUpdate();
                } catch (SQLException e) {
                    throw new PgmqException("purge", source.queue(), e);
                }
            }
            return session.purgeQueue(source.queue());
        });
        return new ActionReport("purge", source, null, count, count, 0, 0, false, 1,
                Duration.ofNanos(System.nanoTime() - started), List.of(), BulkSummary.purge(source, count));
    }

    /**
     * Creates a queue ({@code pgmq.create} or {@code pgmq.create_unlogged}); creating an existing queue of the
     * same type changes nothing.
     *
     * @throws IllegalArgumentException if the name is not a valid pgmq name made only of {@code [a-z0-9_]}, the
     *                                  type is PARTITIONED, or a queue of that name (or the same name in other
     *                                  letter case) exists with another type
     */
    void createQueue(String queue, QueueType type) {
        PgmqQueueName.validate(queue);
        if (!NEW_QUEUE_NAME.matcher(queue).matches()) {
            throw new IllegalArgumentException("Cannot create queue \"" + queue + "\": new queue names may contain"
                    + " only lowercase letters a-z, digits 0-9 and underscores, because pgmq folds table names to"
                    + " lowercase (\"Jobs\" would share its tables with \"jobs\")");
        }
        Objects.requireNonNull(type, "type");
        if (type == QueueType.PARTITIONED) {
            throw new IllegalArgumentException("Cannot create partitioned queue \"" + queue + "\": partitioned"
                    + " queues need the pg_partman extension and its maintenance jobs, so they are not offered"
                    + " here; create a LOGGED or UNLOGGED queue, or call pgmq.create_partitioned yourself");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SAME_FOLDED_NAME)) {
            statement.setQueryTimeout(runner.timeoutSeconds());
            statement.setString(1, queue);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String existing = rows.getString("queue_name");
                    QueueType existingType = rows.getBoolean("is_partitioned") ? QueueType.PARTITIONED
                            : rows.getBoolean("is_unlogged") ? QueueType.UNLOGGED : QueueType.LOGGED;
                    if (!existing.equals(queue)) {
                        throw new IllegalArgumentException("Cannot create queue \"" + queue + "\": queue \""
                                + existing + "\" already uses its tables (pgmq folds table names to lowercase)");
                    }
                    if (existingType != type) {
                        throw new IllegalArgumentException("Cannot create queue \"" + queue + "\" as " + type
                                + ": it already exists as a " + existingType + " queue; drop it first to change"
                                + " its type");
                    }
                }
            }
        } catch (SQLException e) {
            throw new PgmqException("createQueue", queue, e);
        }
        if (type == QueueType.UNLOGGED) {
            client.createUnloggedQueue(queue);
        } else {
            client.createQueue(queue);
        }
        tables.forget(queue);
    }

    /**
     * Drops a queue with its archive.
     *
     * @return false when there was no such queue
     */
    boolean dropQueue(String queue) {
        PgmqQueueName.validate(queue);
        try {
            return client.dropQueue(queue);
        } finally {
            tables.forget(queue);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------

    private QueueTables.Tables resolve(String operation, String queue) {
        try (Connection connection = dataSource.getConnection()) {
            return tables.resolve(connection, operation, queue);
        } catch (SQLException e) {
            throw new PgmqException(operation, queue, e);
        }
    }

    /** The bound's filter as SQL, checked before any SQL runs; null for an id snapshot. */
    private static FilterSql filterOf(Selection selection, MessageSource.Area area) {
        Objects.requireNonNull(selection, "selection");
        return selection instanceof Selection.UpTo upTo ? FilterSql.of(upTo.filter(), area) : null;
    }

    private static ActionControl orNone(ActionControl control) {
        return control == null ? ActionControl.none() : control;
    }

    private long deleteFromArchive(Connection connection, QueueTables.Tables sourceTables, String action,
                                   List<Long> ids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM " + sourceTables.archiveTable() + " WHERE msg_id = ANY(?::bigint[])")) {
            statement.setQueryTimeout(runner.timeoutSeconds());
            statement.setArray(1, BulkRunner.array(connection, ids));
            return statement.executeLargeUpdate();
        } catch (SQLException e) {
            throw new PgmqException(action, sourceTables.queue(), e);
        }
    }

    private static List<Long> msgIds(List<Row> rows) {
        List<Long> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(row.msgId());
        }
        return ids;
    }
}
