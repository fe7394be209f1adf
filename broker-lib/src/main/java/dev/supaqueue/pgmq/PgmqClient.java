package dev.supaqueue.pgmq;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin typed client over pgmq's SQL functions. Thread-safe.
 *
 * <p>Each operation borrows a connection from the {@link DataSource}, runs in autocommit mode and returns the
 * connection. {@link #inTransaction} runs several operations on one connection in one transaction (e.g. moving
 * a message to a dead-letter queue: send + delete), and {@link #session(Connection)} binds the operations to the
 * caller's own connection (transactional outbox).
 *
 * <p>The pgmq installation is detected once, on first use, and the statements are chosen for its version:
 * see {@link PgmqFeature} and {@link #supports}. The operations and their version differences are documented
 * on {@link PgmqSession}; this class only adds the borrowing of connections. Works through a transaction-mode
 * pooler when the JDBC URL has {@code prepareThreshold=0}.
 */
public final class PgmqClient {

    private static final Logger log = LoggerFactory.getLogger(PgmqClient.class);

    private final DataSource dataSource;
    private final Object detectionLock = new Object();
    private volatile PgmqInstallation installation;

    /** A client over the data source; nothing is queried until the first operation. */
    public PgmqClient(DataSource dataSource) {
        this(dataSource, null);
    }

    /** For tests: a client that takes the installation as given instead of detecting it. */
    PgmqClient(DataSource dataSource, PgmqInstallation forcedInstallation) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.installation = forcedInstallation;
    }

    // ------------------------------------------------------------------------------------------------------
    // Installation and connections
    // ------------------------------------------------------------------------------------------------------

    /**
     * The pgmq installation in the database, detected on first call and then cached. An absent pgmq is not
     * cached, so installing pgmq later is noticed.
     *
     * @throws PgmqException if the database cannot be reached
     */
    public PgmqInstallation installation() {
        PgmqInstallation known = installation;
        if (known != null) {
            return known;
        }
        try (Borrowed borrowed = borrow()) {
            return installation(borrowed.connection());
        } catch (SQLException e) {
            throw new PgmqException("detect", null, e);
        }
    }

    /** Whether the pgmq in the database has the feature (false when pgmq is absent). */
    public boolean supports(PgmqFeature feature) {
        return feature.supportedBy(installation());
    }

    /**
     * The operations bound to the caller's connection, in the caller's transaction: a message sent before the
     * caller commits becomes visible only at commit, and disappears on rollback. The caller keeps ownership of
     * the connection.
     *
     * @throws PgmqException if pgmq is not installed or cannot be detected
     */
    public PgmqSession session(Connection connection) {
        Objects.requireNonNull(connection, "connection");
        try {
            return newSession(connection, "session", null);
        } catch (SQLException e) {
            throw new PgmqException("session", null, e);
        }
    }

    /**
     * Runs the work on one borrowed connection in one transaction: commits when it returns, rolls back when it
     * throws anything, and restores the connection's autocommit mode either way. Runtime exceptions and errors
     * from the work are rethrown as they are; a {@link SQLException} (also from commit) becomes a
     * {@link PgmqException}. The session must not be used after the work returns.
     */
    public <T> T inTransaction(SqlWork<PgmqSession, T> work) {
        Objects.requireNonNull(work, "work");
        try (Borrowed borrowed = borrow()) {
            Connection connection = borrowed.connection();
            // Detected before the transaction starts, so a probe failure cannot poison it.
            PgmqSession session = newSession(connection, "transaction", null);
            connection.setAutoCommit(false);
            try {
                T result = work.apply(session);
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(connection, e);
                throw new PgmqException("transaction", null, e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        } catch (SQLException e) {
            throw new PgmqException("transaction", null, e);
        }
    }

    /**
     * Runs the work on one borrowed connection in autocommit mode (each operation commits on its own), saving
     * the borrowing of a connection per operation.
     */
    public <T> T withSession(SqlWork<PgmqSession, T> work) {
        Objects.requireNonNull(work, "work");
        return call("session", null, work);
    }

    // ------------------------------------------------------------------------------------------------------
    // Queues
    // ------------------------------------------------------------------------------------------------------

    /** See {@link PgmqSession#createQueue}. */
    public void createQueue(String queue) {
        PgmqQueueName.validateNew(queue);
        onQueue("createQueue", queue, session -> {
            session.createQueue(queue);
            return null;
        });
    }

    /** See {@link PgmqSession#createUnloggedQueue}. */
    public void createUnloggedQueue(String queue) {
        PgmqQueueName.validateNew(queue);
        onQueue("createUnloggedQueue", queue, session -> {
            session.createUnloggedQueue(queue);
            return null;
        });
    }

    /** See {@link PgmqSession#dropQueue}: false when the queue does not exist, on every pgmq version. */
    public boolean dropQueue(String queue) {
        return onQueue("dropQueue", queue, session -> session.dropQueue(queue));
    }

    /** See {@link PgmqSession#listQueues}. */
    public List<QueueInfo> listQueues() {
        return call("listQueues", null, PgmqSession::listQueues);
    }

    /** See {@link PgmqSession#queueExists}. */
    public boolean queueExists(String queue) {
        return onQueue("queueExists", queue, session -> session.queueExists(queue));
    }

    /** See {@link PgmqSession#purgeQueue}. */
    public long purgeQueue(String queue) {
        return onQueue("purgeQueue", queue, session -> session.purgeQueue(queue));
    }

    /** See {@link PgmqSession#metrics}. */
    public QueueMetrics metrics(String queue) {
        return onQueue("metrics", queue, session -> session.metrics(queue));
    }

    /** See {@link PgmqSession#metricsAll}. */
    public List<QueueMetrics> metricsAll() {
        return call("metricsAll", null, PgmqSession::metricsAll);
    }

    /** See {@link PgmqSession#enableNotifyInsert(String)}: pgmq ≥ 1.7.0. */
    public void enableNotifyInsert(String queue) {
        onQueue("enableNotifyInsert", queue, session -> {
            session.enableNotifyInsert(queue);
            return null;
        });
    }

    /** See {@link PgmqSession#enableNotifyInsert(String, Duration)}: pgmq ≥ 1.8.0. */
    public void enableNotifyInsert(String queue, Duration throttle) {
        onQueue("enableNotifyInsert", queue, session -> {
            session.enableNotifyInsert(queue, throttle);
            return null;
        });
    }

    /** See {@link PgmqSession#notifyInsertEnabled}. */
    public boolean notifyInsertEnabled(String queue) {
        return onQueue("notifyInsertEnabled", queue, session -> session.notifyInsertEnabled(queue));
    }

    /** See {@link PgmqSession#disableNotifyInsert}: pgmq ≥ 1.7.0. */
    public void disableNotifyInsert(String queue) {
        onQueue("disableNotifyInsert", queue, session -> {
            session.disableNotifyInsert(queue);
            return null;
        });
    }

    // ------------------------------------------------------------------------------------------------------
    // Messages
    // ------------------------------------------------------------------------------------------------------

    /** See {@link PgmqSession#send(String, String)}. */
    public long send(String queue, String jsonMessage) {
        return onQueue("send", queue, session -> session.send(queue, jsonMessage));
    }

    /** See {@link PgmqSession#send(String, String, Duration)}: milliseconds on pgmq ≥ 1.5.0, else whole seconds. */
    public long send(String queue, String jsonMessage, Duration delay) {
        PgmqSession.checkDelay(delay);
        return onQueue("send", queue, session -> session.send(queue, jsonMessage, delay));
    }

    /** See {@link PgmqSession#send(String, String, String, Duration)}: headers need pgmq ≥ 1.5.0. */
    public long send(String queue, String jsonMessage, String jsonHeaders, Duration delay) {
        PgmqSession.checkDelay(delay);
        return onQueue("send", queue, session -> session.send(queue, jsonMessage, jsonHeaders, delay));
    }

    /** See {@link PgmqSession#sendBatch(String, List)}. */
    public List<Long> sendBatch(String queue, List<String> jsonMessages) {
        return onQueue("sendBatch", queue, session -> session.sendBatch(queue, jsonMessages));
    }

    /** See {@link PgmqSession#sendBatch(String, List, Duration)}. */
    public List<Long> sendBatch(String queue, List<String> jsonMessages, Duration delay) {
        PgmqSession.checkDelay(delay);
        return onQueue("sendBatch", queue, session -> session.sendBatch(queue, jsonMessages, delay));
    }

    /** See {@link PgmqSession#sendBatch(String, List, List, Duration)}: headers need pgmq ≥ 1.5.0. */
    public List<Long> sendBatch(String queue, List<String> jsonMessages, List<String> jsonHeaders, Duration delay) {
        PgmqSession.checkDelay(delay);
        return onQueue("sendBatch", queue, session -> session.sendBatch(queue, jsonMessages, jsonHeaders, delay));
    }

    /** See {@link PgmqSession#read(String, int, int)}: sorted by msg_id. */
    public List<PgmqMessage> read(String queue, int vtSeconds, int qty) {
        PgmqSession.checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        PgmqSession.checkQty(qty);
        return onQueue("read", queue, session -> session.read(queue, vtSeconds, qty));
    }

    /** See {@link PgmqSession#read(String, int, int, String)}: a filter needs pgmq ≥ 1.5.0. */
    public List<PgmqMessage> read(String queue, int vtSeconds, int qty, String conditionalJson) {
        PgmqSession.checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        PgmqSession.checkQty(qty);
        return onQueue("read", queue, session -> session.read(queue, vtSeconds, qty, conditionalJson));
    }

    /** See {@link PgmqSession#pop(String)}. */
    public Optional<PgmqMessage> pop(String queue) {
        return onQueue("pop", queue, session -> session.pop(queue));
    }

    /** See {@link PgmqSession#pop(String, int)}: qty &gt; 1 needs pgmq ≥ 1.7.0. */
    public List<PgmqMessage> pop(String queue, int qty) {
        PgmqSession.checkQty(qty);
        return onQueue("pop", queue, session -> session.pop(queue, qty));
    }

    /** See {@link PgmqSession#delete(String, long)}. */
    public boolean delete(String queue, long msgId) {
        return onQueue("delete", queue, session -> session.delete(queue, msgId));
    }

    /** See {@link PgmqSession#delete(String, Collection)}. */
    public List<Long> delete(String queue, Collection<Long> msgIds) {
        return onQueue("delete", queue, session -> session.delete(queue, msgIds));
    }

    /** See {@link PgmqSession#archive(String, long)}. */
    public boolean archive(String queue, long msgId) {
        return onQueue("archive", queue, session -> session.archive(queue, msgId));
    }

    /** See {@link PgmqSession#archive(String, Collection)}. */
    public List<Long> archive(String queue, Collection<Long> msgIds) {
        return onQueue("archive", queue, session -> session.archive(queue, msgIds));
    }

    /** See {@link PgmqSession#setVt(String, long, int)}. */
    public Optional<PgmqMessage> setVt(String queue, long msgId, int vtSeconds) {
        PgmqSession.checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        return onQueue("setVt", queue, session -> session.setVt(queue, msgId, vtSeconds));
    }

    /** See {@link PgmqSession#setVt(String, long, Duration)}: milliseconds on pgmq ≥ 1.10.0, else whole seconds. */
    public Optional<PgmqMessage> setVt(String queue, long msgId, Duration vt) {
        PgmqSession.checkNotNegative(vt, "visibility timeout");
        return onQueue("setVt", queue, session -> session.setVt(queue, msgId, vt));
    }

    /**
     * See {@link PgmqSession#setVt(String, Collection, int)}: one statement on pgmq ≥ 1.8.0, else one per id in
     * one transaction.
     */
    public List<PgmqMessage> setVt(String queue, Collection<Long> msgIds, int vtSeconds) {
        PgmqSession.checkNotNegative(vtSeconds, "visibility timeout (vtSeconds)");
        return onQueue("setVt", queue, session -> session.setVt(queue, msgIds, vtSeconds));
    }

    /** See {@link PgmqSession#setVt(String, Collection, Duration)}. */
    public List<PgmqMessage> setVt(String queue, Collection<Long> msgIds, Duration vt) {
        PgmqSession.checkNotNegative(vt, "visibility timeout");
        return onQueue("setVt", queue, session -> session.setVt(queue, msgIds, vt));
    }

    // ------------------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------------------

    /**
     * An operation on one queue: the name is checked before anything is borrowed (as are the simple arguments,
     * in the public methods); the session checks everything again, for its own callers.
     */
    private <T> T onQueue(String operation, String queue, SqlWork<PgmqSession, T> work) {
        PgmqQueueName.validate(queue);
        return call(operation, queue, work);
    }

    private <T> T call(String operation, String queue, SqlWork<PgmqSession, T> work) {
        try (Borrowed borrowed = borrow()) {
            return work.apply(newSession(borrowed.connection(), operation, queue));
        } catch (SQLException e) {
            throw new PgmqException(operation, queue, e);
        }
    }

    private PgmqSession newSession(Connection connection, String operation, String queue) throws SQLException {
        PgmqInstallation found = installation(connection);
        if (found.flavour() == PgmqFlavour.ABSENT) {
            throw new PgmqException(operation, queue, "pgmq is not installed in this database (no pgmq extension"
                    + " or schema); create the extension, or install Supaqueue's pgmq-compatible schema for development");
        }
        return new PgmqSession(connection, found);
    }

    private PgmqInstallation installation(Connection connection) throws SQLException {
        PgmqInstallation known = installation;
        if (known != null) {
            return known;
        }
        synchronized (detectionLock) {
            if (installation != null) {
                return installation;
            }
            PgmqInstallation detected = PgmqProbe.detect(connection);
            log.debug("Detected {}", detected.describe());
            if (detected.flavour() != PgmqFlavour.ABSENT) {
                installation = detected;
            }
            return detected;
        }
    }

    /** A connection from the data source, switched to autocommit; closing puts the original mode back. */
    private Borrowed borrow() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            boolean autoCommit = connection.getAutoCommit();
            if (!autoCommit) {
                connection.setAutoCommit(true);
            }
            return new Borrowed(connection, !autoCommit);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable primary) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            primary.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // The connection is probably broken; the work's own outcome (or exception) is what counts.
            log.debug("Could not restore autocommit after a pgmq transaction", e);
        }
    }

    private record Borrowed(Connection connection, boolean restoreManualCommit) implements AutoCloseable {

        @Override
        public void close() throws SQLException {
            try {
                if (restoreManualCommit && !connection.isClosed()) {
                    connection.setAutoCommit(false);
                }
            } finally {
                connection.close();
            }
        }
    }
}
