package dev.supaqueue.admin;

import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a bulk action batch by batch. Each batch is one transaction that first locks its rows of the source table
 * ({@code FOR UPDATE SKIP LOCKED}: a concurrent {@code pgmq.read} never gets them, and the action never waits
 * behind a reader or risks a deadlock with one), then hands the locked rows to the action's work. So a batch
 * either happens completely or not at all, and an interrupted action leaves every message untouched or fully
 * handled. Cancellation, interruption and a failing progress listener are honoured between batches.
 *
 * <p>An id snapshot is taken in chunks of {@link AdminOptions#batchSize()}; a {@code msg_id} bound is walked in
 * ascending {@code msg_id} order with a keyset cursor, the filter judged batch by batch. Rows another
 * transaction holds locked are counted as skipped, ids that no longer exist as missing.
 */
final class BulkRunner {

    private static final Logger log = LoggerFactory.getLogger(BulkRunner.class);

    /** query_canceled: the statement timeout struck. */
    private static final String QUERY_CANCELED = "57014";

    /** A row of a batch, locked by the batch's transaction. {@code state} is null in the archive. */
    record Row(long msgId, MessageState state, String vt, String message, String headers) {
    }

    /**
     * What a batch's work did with its locked rows.
     *
     * @param affected  rows changed
     * @param skipped   rows left alone on purpose
     * @param gone      rows that turned out not to be there any more
     * @param newMsgIds ids created in a target queue
     */
    record Outcome(long affected, long skipped, long gone, List<Long> newMsgIds) {

        static final Outcome NOTHING = new Outcome(0, 0, 0, List.of());

        Outcome {
            newMsgIds = List.copyOf(newMsgIds);
        }

        /** The work changed {@code affected} of {@code rows} rows; the rest were gone. */
        static Outcome changed(long affected, int rows) {
            return new Outcome(affected, 0, rows - affected, List.of());
        }
    }

    /** An action's work on the locked rows of one batch, inside the batch's transaction. */
    @FunctionalInterface
    interface Work {
        Outcome apply(PgmqSession session, List<Row> rows) throws SQLException;
    }

    /**
     * One bulk action.
     *
     * @param action   the action's name, e.g. {@code "move"}
     * @param source   where the messages are
     * @param target   where they go (move, replay), or null
     * @param detail   words for the summary after the queue, e.g. {@code " by 5 minutes"}
     * @param tables   the source's tables
     * @param selection which messages
     * @param filter   the bound's filter as SQL (null for an id snapshot), built before any SQL runs
     * @param fullRows whether the work needs the payloads (else only ids are read)
     * @param control  progress and cancellation
     * @param work     what to do with each batch
     */
    record Plan(String action, MessageSource source, String target, String detail, QueueTables.Tables tables,
                Selection selection, FilterSql filter, boolean fullRows, ActionControl control, Work work) {

        Plan {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(tables, "tables");
            Objects.requireNonNull(selection, "selection");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(work, "work");
            if (selection instanceof Selection.UpTo && filter == null) {
                throw new IllegalArgumentException("a bound selection needs its filter as SQL");
            }
        }
    }

    /** What one committed batch did, and where the next one starts. */
    private record BatchResult(long selected, long affected, long missing, long skipped, List<Long> newMsgIds,
                               long scannedTo, boolean exhausted) {

        boolean isEmpty() {
            return selected == 0;
        }
    }

    private final DataSource dataSource;
    private final PgmqClient client;
    private final AdminOptions options;

    BulkRunner(DataSource dataSource, PgmqClient client, AdminOptions options) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Runs the plan to the end or until it is stopped, and reports what was done. */
    ActionReport run(Plan plan) {
        long started = System.nanoTime();
        Count expected = expected(plan);
        List<Long> ids = plan.selection() instanceof Selection.Ids snapshot ? snapshot.msgIds() : null;
        long bound = plan.selection() instanceof Selection.UpTo upTo ? upTo.maxMsgId() : 0;
        int batchSize = options.batchSize();

        long selected = 0;
        long affected = 0;
        long missing = 0;
        long skipped = 0;
        int batches = 0;
        List<Long> newMsgIds = new ArrayList<>();
        int index = 0;
        long cursor = 0;
        boolean exhausted = false;
        RuntimeException listenerFailure = null;
        String stopReason = null;

        while (ids != null ? index < ids.size() : !exhausted) {
            if (batches > 0 && !options.batchPause().isZero()) {
                stopReason = stopReason(plan.control(), listenerFailure);
                if (stopReason != null) {
                    break;
                }
                try {
                    Thread.sleep(options.batchPause());
                } catch (InterruptedException e) {
                    // Keep the flag for the caller; the action stops here, between batches.
                    Thread.currentThread().interrupt();
                }
            }
            stopReason = stopReason(plan.control(), listenerFailure);
            if (stopReason != null) {
                break;
            }
            BatchResult result;
            try {
                if (ids != null) {
                    List<Long> chunk = ids.subList(index, Math.min(ids.size(), index + batchSize));
                    result = client.inTransaction(session -> idBatch(plan, session, chunk));
                    index += chunk.size();
                } else {
                    long from = cursor;
                    result = client.inTransaction(session -> boundBatch(plan, session, from, bound, batchSize));
                    cursor = result.scannedTo();
                    exhausted = result.exhausted();
                }
            } catch (RuntimeException e) {
                throw failedAfter(e, plan, batches, selected, affected);
            }
            if (result.isEmpty()) {
                continue;
            }
            batches++;
            selected += result.selected();
            affected += result.affected();
            missing += result.missing();
            skipped += result.skipped();
            for (Long id : result.newMsgIds()) {
                if (newMsgIds.size() < ActionReport.MAX_NEW_MSG_IDS) {
                    newMsgIds.add(id);
                }
            }
            try {
                plan.control().publish(new ActionProgress(plan.action(), selected, affected, expected, batches));
            } catch (RuntimeException e) {
                log.warn("The progress listener of a bulk {} on {} failed; the action stops after batch {}",
                        plan.action(), plan.source(), batches, e);
                listenerFailure = e;
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String summary = BulkSummary.of(plan.action(), plan.source(), plan.target(),
                plan.detail() == null ? "" : plan.detail(), selected, affected, missing, skipped, batches,
                stopReason);
        return new ActionReport(plan.action(), plan.source(), plan.target(), selected, affected, missing, skipped,
                stopReason != null, batches, elapsed, newMsgIds, summary);
    }

    private static String stopReason(ActionControl control, RuntimeException listenerFailure) {
        if (listenerFailure != null) {
            return "stopped because the progress listener failed (" + listenerFailure + ")";
        }
        if (control.isCancelled()) {
            return "cancelled";
        }
        if (Thread.currentThread().isInterrupted()) {
            return "interrupted";
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------
    // One batch
    // ------------------------------------------------------------------------------------------------------

    private BatchResult idBatch(Plan plan, PgmqSession session, List<Long> chunk) throws SQLException {
        Connection connection = session.connection();
        limitStatements(connection);
        String table = plan.tables().table(plan.source().area());
        List<Row> locked = select(plan, connection, "SELECT " + columns(plan) + " FROM " + table
                + " WHERE msg_id = ANY(?::bigint[]) ORDER BY msg_id FOR UPDATE SKIP LOCKED",
                List.of(array(connection, chunk)));
        long lockedElsewhere = 0;
        long missing = 0;
        if (locked.size() < chunk.size()) {
            Set<Long> rest = new HashSet<>(chunk);
            for (Row row : locked) {
                rest.remove(row.msgId());
            }
            // Rows another transaction holds are still visible to a plain SELECT; missing ones are not.
            lockedElsewhere = count(plan, connection, "SELECT count(*) FROM " + table
                    + " WHERE msg_id = ANY(?::bigint[])", List.of(array(connection, rest)));
            missing = rest.size() - lockedElsewhere;
        }
        Outcome outcome = work(plan, session, locked);
        return new BatchResult(chunk.size(), outcome.affected(), missing + outcome.gone(),
                lockedElsewhere + outcome.skipped(), outcome.newMsgIds(), 0, false);
    }

    private BatchResult boundBatch(Plan plan, PgmqSession session, long cursor, long bound, int limit)
            throws SQLException {
        Connection connection = session.connection();
        limitStatements(connection);
        String table = plan.tables().table(plan.source().area());
        String range = " WHERE msg_id > ?::bigint AND msg_id <= ?::bigint AND (" + plan.filter().sql() + ")";
        List<Object> parameters = new ArrayList<>(List.of(cursor, bound));
        parameters.addAll(plan.filter().parameters());
        List<Object> lockParameters = new ArrayList<>(parameters);
        lockParameters.add(limit);
        List<Row> locked = select(plan, connection, "SELECT " + columns(plan) + " FROM " + table + range
                + " ORDER BY msg_id LIMIT ?::integer FOR UPDATE SKIP LOCKED", lockParameters);
        boolean exhausted = locked.size() < limit;
        long scannedTo = exhausted ? bound : locked.get(locked.size() - 1).msgId();
        // Matching rows in the scanned range that another transaction holds were passed over by SKIP LOCKED.
        List<Object> countParameters = new ArrayList<>(parameters);
        countParameters.set(1, scannedTo);
        countParameters.add(array(connection, locked.stream().map(Row::msgId).toList()));
        long lockedElsewhere = count(plan, connection, "SELECT count(*) FROM " + table + range
                + " AND msg_id <> ALL(?::bigint[])", countParameters);
        Outcome outcome = work(plan, session, locked);
        return new BatchResult(locked.size() + lockedElsewhere, outcome.affected(), outcome.gone(),
                lockedElsewhere + outcome.skipped(), outcome.newMsgIds(), scannedTo, exhausted);
    }

    private static Outcome work(Plan plan, PgmqSession session, List<Row> locked) throws SQLException {
        if (locked.isEmpty()) {
            return Outcome.NOTHING;
        }
        Outcome outcome = plan.work().apply(session, locked);
        if (outcome.affected() + outcome.skipped() + outcome.gone() != locked.size()) {
            // Never commit a batch whose books do not balance: it would report, or do, something else than asked.
            throw new IllegalStateException("A " + plan.action() + " batch on " + plan.source() + " accounted for "
                    + (outcome.affected() + outcome.skipped() + outcome.gone()) + " of its " + locked.size()
                    + " rows; the batch was rolled back");
        }
        return outcome;
    }

    private String columns(Plan plan) {
        if (!plan.fullRows()) {
            return "msg_id";
        }
        boolean archive = plan.source().isArchive();
        return "msg_id, " + (archive ? "NULL" : FilterSql.STATE_EXPRESSION) + " AS state, vt::text AS vt,"
                + " message::text AS message, "
                + (plan.tables().hasHeaders(plan.source().area()) ? "headers::text" : "NULL::text") + " AS headers";
    }

    private List<Row> select(Plan plan, Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            List<Row> result = new ArrayList<>();
            while (rows.next()) {
                if (plan.fullRows()) {
                    String state = rows.getString("state");
                    result.add(new Row(rows.getLong("msg_id"), state == null ? null : MessageState.valueOf(state),
                            rows.getString("vt"), rows.getString("message"), rows.getString("headers")));
                } else {
                    result.add(new Row(rows.getLong("msg_id"), null, null, null, null));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new PgmqException(plan.action(), plan.source().queue(), e);
        }
    }

    private long count(Plan plan, Connection connection, String sql, List<Object> parameters) {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new PgmqException(plan.action(), plan.source().queue(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Expected size, statements, failures
    // ------------------------------------------------------------------------------------------------------

    /**
     * How many messages the selection holds: exact for ids; for a bound, counted up to the cap before the first
     * batch (a count that times out is reported as "at least 0" rather than failing the action).
     */
    private Count expected(Plan plan) {
        if (plan.selection() instanceof Selection.Ids snapshot) {
            return Count.exact(snapshot.msgIds().size());
        }
        Selection.UpTo upTo = (Selection.UpTo) plan.selection();
        long cap = options.countCap();
        String sql = "SELECT count(*) FROM (SELECT 1 FROM " + plan.tables().table(plan.source().area())
                + " WHERE msg_id <= ?::bigint AND (" + plan.filter().sql() + ") LIMIT ?::bigint) AS capped";
        List<Object> parameters = new ArrayList<>();
        parameters.add(upTo.maxMsgId());
        parameters.addAll(plan.filter().parameters());
        parameters.add(cap + 1);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            long counted = rows.getLong(1);
            return counted > cap ? Count.atLeast(cap) : Count.exact(counted);
        } catch (SQLException e) {
            if (QUERY_CANCELED.equals(e.getSQLState())) {
                log.debug("Counting the selection of a bulk {} on {} timed out", plan.action(), plan.source(), e);
                return Count.atLeast(0);
            }
            throw new PgmqException(plan.action(), plan.source().queue(), e);
        }
    }

    /**
     * Gives every statement of the batch's transaction, pgmq's functions included, the query timeout; the
     * setting ends with the transaction, so a pooled connection keeps its own.
     */
    void limitStatements(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('statement_timeout', ?::text, true)")) {
            statement.setString(1, Long.toString(Math.max(1, options.queryTimeout().toMillis())));
            statement.executeQuery().close();
        }
    }

    /** A statement with the query timeout and its parameters bound (Long, Integer, String or SQL array). */
    PreparedStatement prepare(Connection connection, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setQueryTimeout(timeoutSeconds());
            for (int i = 0; i < parameters.size(); i++) {
                Object value = parameters.get(i);
                switch (value) {
                    case Long l -> statement.setLong(i + 1, l);
                    case Integer n -> statement.setInt(i + 1, n);
                    case String s -> statement.setString(i + 1, s);
                    case java.sql.Array a -> statement.setArray(i + 1, a);
                    default -> throw new IllegalArgumentException("cannot bind a " + value.getClass().getName());
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    int batchSize() {
        return options.batchSize();
    }

    int timeoutSeconds() {
        return (int) Math.max(1, options.queryTimeout().toSeconds());
    }

    static java.sql.Array array(Connection connection, java.util.Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray(Long[]::new));
    }

    /**
     * A failure after some batches committed says how far the action got, so the caller knows what was done:
     * the failed batch itself was rolled back.
     */
    private static RuntimeException failedAfter(RuntimeException e, Plan plan, int batches, long selected,
                                                long affected) {
        if (batches == 0) {
            return e;
        }
        String done = "after " + batches + " committed " + (batches == 1 ? "batch" : "batches") + " (" + affected
                + " of " + selected + " selected messages done), the next batch failed and was rolled back";
        log.warn("Bulk {} on {}: {}", plan.action(), plan.source(), done);
        if (e instanceof PgmqException failure && failure.getCause() instanceof SQLException cause) {
            PgmqException described = new PgmqException(plan.action(), plan.source().queue(),
                    new SQLException(done + ": " + cause.getMessage(), cause.getSQLState(), cause));
            described.addSuppressed(e);
            return described;
        }
        e.addSuppressed(new IllegalStateException("Bulk " + plan.action() + " on " + plan.source() + ": " + done));
        return e;
    }
}
