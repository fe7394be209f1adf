package dev.supaqueue.pgmq;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * pgmq's operations bound to one JDBC {@link Connection}, in whatever transaction state the connection is in.
 * Obtained from {@link PgmqClient#inTransaction}, {@link PgmqClient#withSession} or, for the
 * transactional-outbox pattern, {@link PgmqClient#session(Connection)} over the caller's own connection (a
 * message sent in an open transaction becomes visible at commit).
 *
 * <p>Not thread-safe (a JDBC connection is not). The session never closes, commits or rolls back the
 * connection, with one exception: {@link #setVt(String, Collection, int)} on pgmq before 1.8.0 on a connection in
 * autocommit mode wraps its per-id statements in a transaction of its own.
 *
 * <p>How every statement is written, and why:
 * <ul>
 *   <li>every parameter is cast ({@code ?::text}, {@code ?::jsonb}, ...): since pgmq 1.5.0 untyped parameters
 *       match several overloads ({@code 42725 ... is not unique});</li>
 *   <li>result columns are read by name, and {@code headers} (pgmq ≥ 1.5) and {@code last_read_at}
 *       (pgmq ≥ 1.10, and placed before {@code vt}) only when the result has them;</li>
 *   <li>queue names always travel as parameters, never as SQL text;</li>
 *   <li>no session state (no {@code SET}, no named prepared statements needed), so a transaction-mode pooler
 *       with pgjdbc's {@code prepareThreshold=0} works.</li>
 * </ul>
 *
 * <p>Errors: invalid arguments raise {@link IllegalArgumentException} before any SQL; a feature the pgmq version
 * lacks raises {@link UnsupportedOperationException} naming the version needed; database errors raise
 * {@link PgmqException}.
 */
public final class PgmqSession {

    // A delay or visibility time computed on the server (clock_timestamp()), so the client's clock never matters.
    private static final String SERVER_TIME_PLUS_MS = "clock_timestamp() + ?::bigint * interval '1 millisecond'";

    private static final String CREATE = "SELECT pgmq.create(?::text)";
    private static final String CREATE_UNLOGGED = "SELECT pgmq.create_unlogged(?::text)";
    /** Table names are lowercased by pgmq, so the lock is too. */
    private static final String CREATE_LOCK =
            "SELECT pg_advisory_xact_lock(hashtextextended('supaqueue.pgmq.create.' || lower(?::text), 0))";
    /** duplicate_table, duplicate_object, unique_violation: what a concurrent create of the same queue raises. */
    private static final Set<String> DUPLICATE_OBJECT_STATES = Set.of("42P07", "42710", "23505");
    private static final String DROP = "SELECT pgmq.drop_queue(?::text)";
    // Before 1.6 drop_queue raises for a missing queue: drop only what pgmq.meta lists (no row = false).
    private static final String DROP_LISTED = """
            SELECT pgmq.drop_queue(m.queue_name::text)
            FROM pgmq.meta AS m WHERE m.queue_name = ?::text""";
    // 1.4.x has only drop_queue(name, partitioned DEFAULT false); partitioned queues need true there.
    private static final String DROP_LISTED_1_4 = """
            SELECT pgmq.drop_queue(m.queue_name::text, m.is_partitioned)
            FROM pgmq.meta AS m WHERE m.queue_name = ?::text""";
    private static final String LIST_QUEUES = """
            SELECT queue_name::text AS queue_name, is_partitioned, is_unlogged, created_at
            FROM pgmq.list_queues()""";
    private static final String QUEUE_EXISTS =
            "SELECT EXISTS (SELECT 1 FROM pgmq.meta WHERE queue_name = ?::text)";
    private static final String PURGE = "SELECT pgmq.purge_queue(?::text)";
    private static final String METRICS = "SELECT * FROM pgmq.metrics(?::text)";
    private static final String METRICS_ALL = "SELECT * FROM pgmq.metrics_all()";
    private static final String ENABLE_NOTIFY = "SELECT pgmq.enable_notify_insert(?::text)";
    private static final String ENABLE_NOTIFY_THROTTLED = "SELECT pgmq.enable_notify_insert(?::text, ?::integer)";
    private static final String DISABLE_NOTIFY = "SELECT pgmq.disable_notify_insert(?::text)";

    // The integer-delay forms exist in every version and are the ones Supabase grants to API roles.
    private static final String SEND_SECONDS = "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::integer)";
    private static final String SEND_AT = "SELECT * FROM pgmq.send(?::text, ?::jsonb, " + SERVER_TIME_PLUS_MS + ")";
    private static final String SEND_HEADERS_AT =
            "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::jsonb, " + SERVER_TIME_PLUS_MS + ")";
    private static final String NOTIFY_TRIGGER_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                           JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                           JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                           WHERE n.nspname = 'pgmq' AND c.relname = 'q_' || lower(?::text)
                             AND t.tgname = 'trigger_notify_queue_insert_listeners')
            """;
    /*
     * A batch travels as one jsonb[] literal built here (see jsonbArrayLiteral): the server parses each element as
     * one JSON value, so a caller's "message" holding several values fails the statement and adds no rows. It
     * costs the server less than one JSON array split with jsonb_array_elements (each element copied out again),
     * and the client less than the driver's generic createArrayOf.
     */
    private static final String SEND_BATCH_SECONDS =
            "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[], ?::integer)";
    private static final String SEND_BATCH_AT =
            "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[], " + SERVER_TIME_PLUS_MS + ")";
    private static final String SEND_BATCH_HEADERS_AT =
            "SELECT * FROM pgmq.send_batch(?::text, ?::jsonb[], ?::jsonb[], " + SERVER_TIME_PLUS_MS + ")";

    private static final String READ = "SELECT * FROM pgmq.read(?::text, ?::integer, ?::integer)";
    private static final String READ_CONDITIONAL =
            "SELECT * FROM pgmq.read(?::text, ?::integer, ?::integer, ?::jsonb)";
    private static final String POP = "SELECT * FROM pgmq.pop(?::text)";
    // From 1.7 pop has a qty argument; naming it explicitly avoids relying on how the old form was replaced.
    private static final String POP_QTY = "SELECT * FROM pgmq.pop(?::text, ?::integer)";
    private static final String DELETE_ONE = "SELECT pgmq.delete(?::text, ?::bigint)";
    private static final String DELETE_MANY = "SELECT * FROM pgmq.delete(?::text, ?::bigint[])";
    private static final String ARCHIVE_ONE = "SELECT pgmq.archive(?::text, ?::bigint)";
    private static final String ARCHIVE_MANY = "SELECT * FROM pgmq.archive(?::text, ?::bigint[])";
    private static final String SET_VT_ONE = "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::integer)";
    private static final String SET_VT_MANY = "SELECT * FROM pgmq.set_vt(?::text, ?::bigint[], ?::integer)";
    private static final String SET_VT_ONE_AT =
            "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, " + SERVER_TIME_PLUS_MS + ")";
    private static final String SET_VT_MANY_AT =
            "SELECT * FROM pgmq.set_vt(?::text, ?::bigint[], " + SERVER_TIME_PLUS_MS + ")";

    /** pgmq's own default for {@code enable_notify_insert}'s throttle (1.8.0 and later). */
    static final Duration DEFAULT_NOTIFY_THROTTLE = Duration.ofMillis(250);

    private static final Comparator<PgmqMessage> BY_MSG_ID = Comparator.comparingLong(PgmqMessage::msgId);

    private final Connection connection;
    private final PgmqInstallation installation;

    PgmqSession(Connection connection, PgmqInstallation installation) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.installation = Objects.requireNonNull(installation, "installation");
        if (installation.flavour() == PgmqFlavour.ABSENT) {
            throw new IllegalArgumentException("a pgmq session needs pgmq installed, but found " + installation.describe());
        }
    }

    /** The connection this session works on. */
    public Connection connection() {
        return connection;
    }

    /** The pgmq installation the session's statements are chosen for. */
    public PgmqInstallation installation() {
        return installation;
    }

    /** Whether the pgmq in this database has the feature. */
    public boolean supports(PgmqFeature feature) {
        return feature.supportedBy(installation);
    }

    // ------------------------------------------------------------------------------------------------------
    // Queues
    // ------------------------------------------------------------------------------------------------------

    /** {@code pgmq.create}: a logged queue and archive. Idempotent. */
    public void createQueue(String queue) {
        PgmqQueueName.validateNew(queue);
        createSerialised("createQueue", queue, CREATE);
    }

    /** {@code pgmq.create_unlogged}: the queue table is UNLOGGED (fast, lost on crash), the archive logged. */
    public void createUnloggedQueue(String queue) {
        PgmqQueueName.validateNew(queue);
        createSerialised("createUnloggedQueue", queue, CREATE_UNLOGGED);
    }

    /**
     * pgmq before 1.6 lets two sessions creating the same queue at once collide ({@code relation ... already
     * exists}): several workers starting together on Supabase's pgmq 1.5 would fail. Creating under a
     * transaction-scoped advisory lock (pooler-safe) makes Supaqueue's own processes take turns; a collision with
     * anyone else is accepted when the queue exists afterwards.
     */
    private void createSerialised(String operation, String queue, String sql) {
        try {
            inOwnTransaction(operation, queue, () -> {
                execute(operation, queue, CREATE_LOCK, statement -> statement.setString(1, queue));
                execute(operation, queue, sql, statement -> statement.setString(1, queue));
                return null;
            });
        } catch (PgmqException e) {
            if (!DUPLICATE_OBJECT_STATES.contains(e.sqlState()) || !autoCommit() || !queueExists(queue)) {
                throw e;
            }
        }
    }

    private boolean autoCommit() {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * {@code pgmq.drop_queue}: drops the queue, its archive and its metadata.
     *
     * @return false when there was no such queue (on every pgmq version; before 1.6 pgmq itself would raise)
     */
    public boolean dropQueue(String queue) {
        validate(queue);
        String sql;
        if (supports(PgmqFeature.DROP_RETURNS_FALSE)) {
            sql = DROP;
        } else if (installation.version().atLeast(1, 5, 0)) {
            sql = DROP_LISTED;
        } else {
            sql = DROP_LISTED_1_4;
        }
        return query("dropQueue", queue, sql, statement -> statement.setString(1, queue),
                rows -> rows.next() && rows.getBoolean(1));
    }

    /** {@code pgmq.list_queues()}, sorted by name. */
    public List<QueueInfo> listQueues() {
        List<QueueInfo> queues = query("listQueues", null, LIST_QUEUES, statement -> { }, rows -> {
            List<QueueInfo> result = new ArrayList<>();
            while (rows.next()) {
                result.add(new QueueInfo(rows.getString("queue_name"), rows.getBoolean("is_partitioned"),
                        rows.getBoolean("is_unlogged"), instant(rows, "created_at")));
            }
            return result;
        });
        queues.sort(Comparator.comparing(QueueInfo::name));
        return List.copyOf(queues);
    }

    /** Whether {@code pgmq.meta} lists a queue of exactly this name. */
    public boolean queueExists(String queue) {
        validate(queue);
        return query("queueExists", queue, QUEUE_EXISTS, statement -> statement.setString(1, queue),
                rows -> rows.next() && rows.getBoolean(1));
    }

    /**
     * {@code pgmq.purge_queue}: removes every message (visible, in flight and delayed; the archive stays).
     * pgmq truncates the table, which takes an ACCESS EXCLUSIVE lock for a moment.
     *
     * @return how many messages were removed
     */
    public long purgeQueue(String queue) {
        validate(queue);
        return query("purgeQueue", queue, PURGE, statement -> statement.setString(1, queue), rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    /** {@code pgmq.metrics}: a full {@code count(*)}, so not for tight loops on large queues. */
    public QueueMetrics metrics(String queue) {
        validate(queue);
        List<QueueMetrics> metrics = query("metrics", queue, METRICS, statement -> statement.setString(1, queue),
                PgmqSession::metricsRows);
        if (metrics.isEmpty()) {
            throw new PgmqException("metrics", queue, "pgmq.metrics returned no row");
        }
        return metrics.get(0);
    }

    /** {@code pgmq.metrics_all()}, sorted by queue name: a full {@code count(*)} of every queue. */
    public List<QueueMetrics> metricsAll() {
        List<QueueMetrics> metrics = query("metricsAll", null, METRICS_ALL, statement -> { },
                PgmqSession::metricsRows);
        metrics.sort(Comparator.comparing(QueueMetrics::queueName));
        return List.copyOf(metrics);
    }

    /**
     * {@code pgmq.enable_notify_insert} (pgmq ≥ 1.7.0, and Supaqueue's compat schema from revision 2): NOTIFY on
     * channel {@code pgmq.q_<queue>.INSERT} at the commit of an insert, throttled by pgmq's default of 250 ms
     * from 1.8.0 (and on the compat schema, which has 1.8's throttle).
     *
     * @throws UnsupportedOperationException on pgmq before 1.7.0 (poll instead)
     */
    public void enableNotifyInsert(String queue) {
        validate(queue);
        require(PgmqFeature.NOTIFY_INSERT, "insert notifications (enable_notify_insert)");
        if (supports(PgmqFeature.NOTIFY_THROTTLE)) {
            enableNotifyInsert(queue, DEFAULT_NOTIFY_THROTTLE);
        } else {
            execute("enableNotifyInsert", queue, ENABLE_NOTIFY, statement -> statement.setString(1, queue));
        }
    }

    /**
     * {@code pgmq.enable_notify_insert(queue, throttle_interval_ms)} (pgmq ≥ 1.8.0): at most one notification
     * per throttle interval.
     *
     * @throws UnsupportedOperationException on pgmq before 1.8.0
     */
    public void enableNotifyInsert(String queue, Duration throttle) {
        validate(queue);
        require(PgmqFeature.NOTIFY_THROTTLE, "throttled insert notifications (enable_notify_insert with a throttle)");
        int throttleMs = nonNegativeInt(ceilMillis(throttle, "notify throttle"), "notify throttle in milliseconds");
        execute("enableNotifyInsert", queue, ENABLE_NOTIFY_THROTTLED, statement -> {
            statement.setString(1, queue);
            statement.setInt(2, throttleMs);
        });
    }

    /**
     * Whether the queue's table has pgmq's insert-notification trigger (false before pgmq 1.7.0). Checking first
     * spares a second {@code enable_notify_insert}, which on pgmq recreates the trigger under a table lock.
     */
    public boolean notifyInsertEnabled(String queue) {
        validate(queue);
        if (!supports(PgmqFeature.NOTIFY_INSERT)) {
            return false;
        }
        return query("notifyInsertEnabled", queue, NOTIFY_TRIGGER_EXISTS, statement -> statement.setString(1, queue),
                rows -> rows.next() && rows.getBoolean(1));
    }

    /**
     * {@code pgmq.disable_notify_insert} (pgmq ≥ 1.7.0).
     *
     * @throws UnsupportedOperationException on pgmq before 1.7.0
     */
    public void disableNotifyInsert(String queue) {
        validate(queue);
        require(PgmqFeature.NOTIFY_INSERT, "insert notifications (disable_notify_insert)");
        execute("disableNotifyInsert", queue, DISABLE_NOTIFY, statement -> statement.setString(1, queue));
    }

    // ------------------------------------------------------------------------------------------------------
    // Sending
    // ------------------------------------------------------------------------------------------------------

    /**
     * Sends one message, visible at once.
     *
     * @return its msg_id
     */
    public long send(String queue, String jsonMessage) {
        return send(queue, jsonMessage, null, Duration.ZERO);
    }

    /**
     * Sends one message, visible after {@code delay}: to the millisecond on pgmq ≥ 1.5.0 (computed on the
     * server), rounded up to whole seconds before.
     *
     * @return its msg_id
     * @throws IllegalArgumentException if the delay is negative
     */
    public long send(String queue, String jsonMessage, Duration delay) {
        return send(queue, jsonMessage, null, delay);
    }

    /**
     * Sends one message with headers (a JSON object, or null for none) visible after {@code delay}.
     *
     * @return its msg_id
     * @throws UnsupportedOperationException if headers are given and pgmq is older than 1.5.0 (they are never
     *                                       dropped silently)
     */
    public long send(String queue, String jsonMessage, String jsonHeaders, Duration delay) {
        validate(queue);
        Objects.requireNonNull(jsonMessage, "jsonMessage");
        Objects.requireNonNull(delay, "delay");
        checkDelay(delay);
        if (jsonHeaders != null) {
            require(PgmqFeature.HEADERS, "message headers");
        }
        List<Long> ids;
        if (jsonHeaders != null) {
            long delayMs = ceilMillis(delay, "delay");
            ids = query("send", queue, SEND_HEADERS_AT, statement -> {
                statement.setString(1, queue);
                statement.setString(2, jsonMessage);
                statement.setString(3, jsonHeaders);
                statement.setLong(4, delayMs);
            }, PgmqSession::longs);
        } else if (!delay.isZero() && supports(PgmqFeature.TIMESTAMP_DELAY)) {
            long delayMs = ceilMillis(delay, "delay");
            ids = query("send", queue, SEND_AT, statement -> {
                statement.setString(1, queue);
                statement.setString(2, jsonMessage);
                statement.setLong(3, delayMs);
            }, PgmqSession::longs);
        } else {
            int delaySeconds = ceilSeconds(delay, "delay");
            ids = query("send", queue, SEND_SECONDS, statement -> {
                statement.setString(1, queue);
                statement.setString(2, jsonMessage);
                statement.setInt(3, delaySeconds);
            }, PgmqSession::longs);
        }
        if (ids.size() != 1) {
            throw new PgmqException("send", queue, "pgmq.send returned " + ids.size() + " ids instead of one");
        }
        return ids.get(0);
    }

    /**
     * Sends several messages in one statement, visible at once.
     *
     * @return their ids, in input order
     */
    public List<Long> sendBatch(String queue, List<String> jsonMessages) {
        return sendBatch(queue, jsonMessages, null, Duration.ZERO);
    }

    /**
     * Sends several messages in one statement, visible after {@code delay}.
     *
     * @return their ids, in input order
     */
    public List<Long> sendBatch(String queue, List<String> jsonMessages, Duration delay) {
        return sendBatch(queue, jsonMessages, null, delay);
    }

    /**
     * Sends several messages in one statement, each with its headers ({@code jsonHeaders} null for none;
     * otherwise one entry per message, an entry may be null), visible after {@code delay}. An empty list sends
     * nothing (pgmq ≥ 1.11 would raise).
     *
     * @return the new ids, in the order of {@code jsonMessages}
     * @throws IllegalArgumentException      if the headers list and the messages list differ in size, or the
     *                                       delay is negative
     * @throws UnsupportedOperationException if headers are given and pgmq is older than 1.5.0
     */
    public List<Long> sendBatch(String queue, List<String> jsonMessages, List<String> jsonHeaders, Duration delay) {
        validate(queue);
        Objects.requireNonNull(jsonMessages, "jsonMessages");
        Objects.requireNonNull(delay, "delay");
        checkDelay(delay);
        for (String message : jsonMessages) {
            Objects.requireNonNull(message, "a message in jsonMessages is null");
        }
        if (jsonHeaders != null) {
            if (jsonHeaders.size() != jsonMessages.size()) {
                throw new IllegalArgumentException("sendBatch needs one headers entry per message, but got "
                        + jsonHeaders.size() + " headers for " + jsonMessages.size() + " messages");
            }
            require(PgmqFeature.HEADERS, "message headers");
        }
        if (jsonMessages.isEmpty()) {
            return List.of();
        }
        List<Long> ids;
        if (jsonHeaders != null) {
            long delayMs = ceilMillis(delay, "delay");
            ids = query("sendBatch", queue, SEND_BATCH_HEADERS_AT, statement -> {
                statement.setString(1, queue);
                statement.setString(2, jsonbArrayLiteral(jsonMessages));
                statement.setString(3, jsonbArrayLiteral(jsonHeaders));
                statement.setLong(4, delayMs);
            }, PgmqSession::longs);
        } else if (!delay.isZero() && supports(PgmqFeature.TIMESTAMP_DELAY)) {
            long delayMs = ceilMillis(delay, "delay");
            ids = sendBatchLiteral(queue, SEND_BATCH_AT, jsonMessages, statement -> statement.setLong(3, delayMs));
        } else {
            int delaySeconds = ceilSeconds(delay, "delay");
            ids = sendBatchLiteral(queue, SEND_BATCH_SECONDS, jsonMessages,
                    statement -> statement.setInt(3, delaySeconds));
        }
        if (ids.size() != jsonMessages.size()) {
            throw new PgmqException("sendBatch", queue, "pgmq.send_batch returned " + ids.size() + " ids for "
                    + jsonMessages.size() + " messages");
        }
        // One INSERT draws its ids from the sequence in row order, i.e. in input order, while the order of
        // RETURNING is not promised: sorting restores input order.
        ids.sort(null);
        return List.copyOf(ids);
    }

    // ------------------------------------------------------------------------------------------------------
    // Reading and acknowledging
    // ------------------------------------------------------------------------------------------------------

    /**
     * {@code pgmq.read}: takes up to {@code qty} visible messages and hides them for {@code vtSeconds}.
     *
     * @return the messages, sorted by msg_id (pgmq's own output order is not guaranteed)
     */
    public List<PgmqMessage> read(String queue, int vtSeconds, int qty) {
        return read(queue, vtSeconds, qty, null);
    }

    /**
     * {@code pgmq.read} with a JSON containment filter on the body ({@code message @> conditional}, pgmq ≥
     * 1.5.0, experimental upstream); {@code null} reads without a filter.
     *
     * @return the messages, sorted by msg_id
     * @throws UnsupportedOperationException if a filter is given and pgmq is older than 1.5.0
     */
    public List<PgmqMessage> read(String queue, int vtSeconds, int qty, String conditionalJson) {
        validate(queue);
        checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        checkQty(qty);
        if (conditionalJson == null) {
            return messages("read", queue, READ, statement -> {
                statement.setString(1, queue);
                statement.setInt(2, vtSeconds);
                statement.setInt(3, qty);
            });
        }
        require(PgmqFeature.CONDITIONAL_READ, "conditional read");
        return messages("read", queue, READ_CONDITIONAL, statement -> {
            statement.setString(1, queue);
            statement.setInt(2, vtSeconds);
            statement.setInt(3, qty);
            statement.setString(4, conditionalJson);
        });
    }

    /** {@code pgmq.pop}: reads and deletes the oldest visible message (at-most-once). */
    public Optional<PgmqMessage> pop(String queue) {
        List<PgmqMessage> popped = pop(queue, 1);
        return popped.isEmpty() ? Optional.empty() : Optional.of(popped.get(0));
    }

    /**
     * {@code pgmq.pop(queue, qty)}: reads and deletes up to {@code qty} visible messages.
     *
     * @return the messages, sorted by msg_id
     * @throws UnsupportedOperationException if {@code qty > 1} and pgmq is older than 1.7.0
     */
    public List<PgmqMessage> pop(String queue, int qty) {
        validate(queue);
        checkQty(qty);
        if (supports(PgmqFeature.POP_QTY)) {
            return messages("pop", queue, POP_QTY, statement -> {
                statement.setString(1, queue);
                statement.setInt(2, qty);
            });
        }
        if (qty > 1) {
            require(PgmqFeature.POP_QTY, "popping several messages at once (pop with qty)");
        }
        return messages("pop", queue, POP, statement -> statement.setString(1, queue));
    }

    /**
     * {@code pgmq.delete}.
     *
     * @return false when the message was not there
     */
    public boolean delete(String queue, long msgId) {
        validate(queue);
        return query("delete", queue, DELETE_ONE, statement -> {
            statement.setString(1, queue);
            statement.setLong(2, msgId);
        }, rows -> rows.next() && rows.getBoolean(1));
    }

    /**
     * {@code pgmq.delete} for many ids in one statement.
     *
     * @return the ids actually deleted, ascending
     */
    public List<Long> delete(String queue, Collection<Long> msgIds) {
        return idsStatement("delete", queue, DELETE_MANY, msgIds);
    }

    /**
     * {@code pgmq.archive}: moves the message to the archive table.
     *
     * @return false when it was not there
     */
    public boolean archive(String queue, long msgId) {
        validate(queue);
        return query("archive", queue, ARCHIVE_ONE, statement -> {
            statement.setString(1, queue);
            statement.setLong(2, msgId);
        }, rows -> rows.next() && rows.getBoolean(1));
    }

    /**
     * {@code pgmq.archive} for many ids in one statement.
     *
     * @return the ids actually archived, ascending
     */
    public List<Long> archive(String queue, Collection<Long> msgIds) {
        return idsStatement("archive", queue, ARCHIVE_MANY, msgIds);
    }

    /**
     * {@code pgmq.set_vt}: the message becomes visible {@code vtSeconds} from now (0 = now). Works on any
     * message, read or not; does not count as a read.
     *
     * @return the updated message, or empty when there is no such message
     */
    public Optional<PgmqMessage> setVt(String queue, long msgId, int vtSeconds) {
        validate(queue);
        checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        return first(messages("setVt", queue, SET_VT_ONE, statement -> {
            statement.setString(1, queue);
            statement.setLong(2, msgId);
            statement.setInt(3, vtSeconds);
        }));
    }

    /**
     * {@code pgmq.set_vt} with a duration: to the millisecond on pgmq ≥ 1.10.0 (the timestamptz overload,
     * computed on the server), rounded up to whole seconds before.
     */
    public Optional<PgmqMessage> setVt(String queue, long msgId, Duration vt) {
        validate(queue);
        Objects.requireNonNull(vt, "vt");
        checkNotNegative(vt, "visibility timeout");
        if (supports(PgmqFeature.TIMESTAMP_SET_VT)) {
            long vtMs = ceilMillis(vt, "visibility timeout");
            return first(messages("setVt", queue, SET_VT_ONE_AT, statement -> {
                statement.setString(1, queue);
                statement.setLong(2, msgId);
                statement.setLong(3, vtMs);
            }));
        }
        return setVt(queue, msgId, ceilSeconds(vt, "visibility timeout"));
    }

    /**
     * {@code pgmq.set_vt} for many ids: one statement with the array overload on pgmq ≥ 1.8.0; before, one
     * statement per id, together in one transaction (the caller's, or one of its own in autocommit mode).
     *
     * @return the updated messages (missing ids are skipped), sorted by msg_id
     */
    public List<PgmqMessage> setVt(String queue, Collection<Long> msgIds, int vtSeconds) {
        validate(queue);
        checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        Set<Long> ids = distinctIds(msgIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        if (supports(PgmqFeature.BATCH_SET_VT)) {
            return messages("setVt", queue, SET_VT_MANY, statement -> {
                statement.setString(1, queue);
                statement.setArray(2, bigintArray(ids));
                statement.setInt(3, vtSeconds);
            });
        }
        return inOwnTransaction("setVt", queue, () -> {
            List<PgmqMessage> changed = new ArrayList<>();
            for (long id : ids) {
                setVt(queue, id, vtSeconds).ifPresent(changed::add);
            }
            changed.sort(BY_MSG_ID);
            return List.copyOf(changed);
        });
    }

    /**
     * {@code pgmq.set_vt} for many ids with a duration: to the millisecond on pgmq ≥ 1.10.0, rounded up to
     * whole seconds before (see {@link #setVt(String, Collection, int)}).
     */
    public List<PgmqMessage> setVt(String queue, Collection<Long> msgIds, Duration vt) {
        validate(queue);
        Objects.requireNonNull(vt, "vt");
        checkNotNegative(vt, "visibility timeout");
        if (!supports(PgmqFeature.TIMESTAMP_SET_VT)) {
            return setVt(queue, msgIds, ceilSeconds(vt, "visibility timeout"));
        }
        Set<Long> ids = distinctIds(msgIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        long vtMs = ceilMillis(vt, "visibility timeout");
        return messages("setVt", queue, SET_VT_MANY_AT, statement -> {
            statement.setString(1, queue);
            statement.setArray(2, bigintArray(ids));
            statement.setLong(3, vtMs);
        });
    }

    // ------------------------------------------------------------------------------------------------------
    // Durations (package-private for tests)
    // ------------------------------------------------------------------------------------------------------

    /** Whole milliseconds, rounded up so that a delay is never shortened. */
    static long ceilMillis(Duration duration, String what) {
        checkNotNegative(duration, what);
        try {
            long millis = duration.toMillis();
            return Duration.ofMillis(millis).compareTo(duration) < 0 ? Math.addExact(millis, 1) : millis;
        } catch (ArithmeticException tooLong) {
            throw new IllegalArgumentException(what + " is too long: " + duration, tooLong);
        }
    }

    /** Whole seconds, rounded up so that a delay is never shortened; pgmq takes an integer. */
    static int ceilSeconds(Duration duration, String what) {
        checkNotNegative(duration, what);
        long seconds = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        return nonNegativeInt(seconds, what + " in seconds");
    }

    private static int nonNegativeInt(long value, String what) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " is too large for pgmq (at most " + Integer.MAX_VALUE
                    + "): " + value);
        }
        return (int) value;
    }

    static void checkDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        checkNotNegative(delay, "delay");
        // Rejects delays the server could not represent as an integer number of seconds either.
        ceilSeconds(delay, "delay");
    }

    static void checkNotNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, but got " + duration);
        }
    }

    static void checkNotNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must not be negative (0 means visible now), but got " + value);
        }
    }

    static void checkQty(int qty) {
        if (qty < 1) {
            throw new IllegalArgumentException("qty must be at least 1, but got " + qty);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // JDBC plumbing
    // ------------------------------------------------------------------------------------------------------

    private static void validate(String queue) {
        PgmqQueueName.validate(queue);
    }

    private void require(PgmqFeature feature, String what) {
        if (!supports(feature)) {
            throw new UnsupportedOperationException(what + " needs pgmq " + feature.since()
                    + " or newer, but this database has " + installation.describe());
        }
    }

    private List<Long> idsStatement(String operation, String queue, String sql, Collection<Long> msgIds) {
        validate(queue);
        Set<Long> ids = distinctIds(msgIds);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> done = query(operation, queue, sql, statement -> {
            statement.setString(1, queue);
            statement.setArray(2, bigintArray(ids));
        }, PgmqSession::longs);
        done.sort(null);
        return List.copyOf(done);
    }

    private static Set<Long> distinctIds(Collection<Long> msgIds) {
        Objects.requireNonNull(msgIds, "msgIds");
        Set<Long> ids = new LinkedHashSet<>();
        for (Long id : msgIds) {
            ids.add(Objects.requireNonNull(id, "a msg id in msgIds is null"));
        }
        return ids;
    }

    private Array bigintArray(Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray(Long[]::new));
    }

    private List<Long> sendBatchLiteral(String queue, String sql, List<String> jsonMessages, Binder delay) {
        try {
            return query("sendBatch", queue, sql, statement -> {
                statement.setString(1, queue);
                statement.setString(2, jsonbArrayLiteral(jsonMessages));
                delay.bind(statement);
            }, PgmqSession::longs);
        } catch (PgmqException e) {
            if (!"22P02".equals(e.sqlState())) {
                throw e;
            }
            throw new PgmqException("sendBatch", queue, "nothing was sent: one of the " + jsonMessages.size()
                    + " messages is not a single JSON value (such as \"{}, {}\" or a cut-off object); " + e.getMessage());
        }
    }

    /**
     * The messages as a PostgreSQL array literal: each one in double quotes, its {@code "} and backslash escaped
     * with a backslash (inside quotes nothing else is special, braces and commas included); a null entry is SQL
     * NULL.
     */
    private static String jsonbArrayLiteral(List<String> jsons) {
        int length = 2 + jsons.size() * 3;
        for (String json : jsons) {
            // JSON text has about one quote in six characters; NULL takes 4.
            length += json == null ? 4 : json.length() + json.length() / 4;
        }
        StringBuilder array = new StringBuilder(length).append('{');
        for (int i = 0; i < jsons.size(); i++) {
            if (i > 0) {
                array.append(',');
            }
            String json = jsons.get(i);
            if (json == null) {
                array.append("NULL");
                continue;
            }
            array.append('"');
            int from = 0;
            for (int k = 0; k < json.length(); k++) {
                char c = json.charAt(k);
                if (c == '"' || c == '\\') {
                    array.append(json, from, k).append('\\');
                    from = k;
                }
            }
            array.append(json, from, json.length()).append('"');
        }
        return array.append('}').toString();
    }

    /**
     * Runs the work in a transaction when the connection is in autocommit mode; inside the caller's transaction
     * otherwise (which then decides about commit).
     */
    private <T> T inOwnTransaction(String operation, String queue, TransactionBody<T> body) {
        boolean own;
        try {
            own = connection.getAutoCommit();
            if (own) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw new PgmqException(operation, queue, e);
        }
        if (!own) {
            return body.run();
        }
        try {
            T result = body.run();
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new PgmqException(operation, queue, e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(e);
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // The connection is probably broken; the pool will find out. The operation's outcome stands.
            }
        }
    }

    private void rollbackQuietly(Throwable primary) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private void execute(String operation, String queue, String sql, Binder binder) {
        query(operation, queue, sql, binder, rows -> null);
    }

    private List<PgmqMessage> messages(String operation, String queue, String sql, Binder binder) {
        List<PgmqMessage> messages = query(operation, queue, sql, binder, PgmqSession::messageRows);
        messages.sort(BY_MSG_ID);
        return List.copyOf(messages);
    }

    private <T> T query(String operation, String queue, String sql, Binder binder, RowsReader<T> reader) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        } catch (SQLException e) {
            throw new PgmqException(operation, queue, e);
        }
    }

    private static List<Long> longs(ResultSet rows) throws SQLException {
        List<Long> values = new ArrayList<>();
        while (rows.next()) {
            values.add(rows.getLong(1));
        }
        return values;
    }

    private static List<PgmqMessage> messageRows(ResultSet rows) throws SQLException {
        // Checked once per result set: headers appear in 1.5.0, last_read_at in 1.10.0.
        Set<String> columns = columnNames(rows.getMetaData());
        boolean hasHeaders = columns.contains("headers");
        boolean hasLastReadAt = columns.contains("last_read_at");
        List<PgmqMessage> messages = new ArrayList<>();
        while (rows.next()) {
            messages.add(new PgmqMessage(
                    rows.getLong("msg_id"),
                    rows.getInt("read_ct"),
                    instant(rows, "enqueued_at"),
                    hasLastReadAt ? instant(rows, "last_read_at") : null,
                    instant(rows, "vt"),
                    rows.getString("message"),
                    hasHeaders ? rows.getString("headers") : null));
        }
        return messages;
    }

    private static List<QueueMetrics> metricsRows(ResultSet rows) throws SQLException {
        // metrics_result grows: queue_visible_length in 1.5.0, default_partition_length later.
        Set<String> columns = columnNames(rows.getMetaData());
        boolean hasVisible = columns.contains("queue_visible_length");
        boolean hasDefaultPartition = columns.contains("default_partition_length");
        List<QueueMetrics> metrics = new ArrayList<>();
        while (rows.next()) {
            metrics.add(new QueueMetrics(
                    rows.getString("queue_name"),
                    rows.getLong("queue_length"),
                    nullableInt(rows, "newest_msg_age_sec"),
                    nullableInt(rows, "oldest_msg_age_sec"),
                    rows.getLong("total_messages"),
                    instant(rows, "scrape_time"),
                    hasVisible ? nullableLong(rows, "queue_visible_length") : null,
                    hasDefaultPartition ? nullableLong(rows, "default_partition_length") : null));
        }
        return metrics;
    }

    private static Set<String> columnNames(ResultSetMetaData metaData) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            names.add(metaData.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Integer nullableInt(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    private static Long nullableLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static <T> Optional<T> first(List<T> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    private interface TransactionBody<T> {
        T run();
    }
}
