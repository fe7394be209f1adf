package dev.supaqueue.admin;

import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.broker.ConnectionPools;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqQueueName;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Inspects and steers pgmq queues: the API behind Supaqueue's console, and for users' own dashboards, health
 * checks and scripts. Thread-safe; every call borrows a connection and returns it, so calls may run in parallel.
 *
 * <ul>
 *   <li><b>Looking</b> ({@link #queues()}, {@link #browse}, {@link #message}, {@link #health()}) is plain
 *       {@code SELECT}s: it never changes a message, never bumps {@code read_ct} or {@code vt}.</li>
 *   <li><b>Changing</b> ({@link #enqueue}, {@link #delete}, {@link #archive}, {@link #makeVisible},
 *       {@link #postpone}, {@link #replay}, {@link #move}, {@link #purge}, {@link #createQueue},
 *       {@link #dropQueue}) is explicit about its messages ({@link Selection}: an id snapshot or a {@code msg_id}
 *       bound), runs one transaction per batch, honours cancellation between batches
 *       ({@link ActionControl}), and reports exactly what it did ({@link ActionReport}).</li>
 *   <li>In read-only mode ({@link AdminOptions#readOnly()}) every change is refused with a
 *       {@link ReadOnlyModeException} before anything reaches the database.</li>
 * </ul>
 *
 * <p>Database failures surface as {@link dev.supaqueue.pgmq.PgmqException} (a missing queue as
 * {@link UnknownQueueException}), bad arguments as {@link IllegalArgumentException} naming the problem.
 */
public final class QueueAdmin implements AutoCloseable {

    /** The lag above which {@link #health()} reports a queue as degraded. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofMinutes(5);

    private final AdminOptions options;
    private final PgmqClient client;
    private final HikariDataSource ownedPool;
    private final QueueInspector inspector;
    private final HealthInspector healthInspector;
    private final MessageBrowser browser;
    private final MessageActions actions;

    private QueueAdmin(DataSource dataSource, PgmqClient client, AdminOptions options, HikariDataSource ownedPool) {
        this.options = Objects.requireNonNull(options, "options");
        this.client = client;
        this.ownedPool = ownedPool;
        QueueTables tables = new QueueTables(options.queryTimeout());
        this.inspector = new QueueInspector(dataSource, client, tables, options);
        this.healthInspector = new HealthInspector(dataSource, client, tables, options);
        this.browser = new MessageBrowser(dataSource, tables, options);
        this.actions = new MessageActions(dataSource, client, tables, options);
    }

    /** An admin over the caller's data source, with {@link AdminOptions#defaults()}; the caller keeps the pool. */
    public static QueueAdmin create(DataSource dataSource) {
        return create(dataSource, AdminOptions.defaults());
    }

    /** An admin over the caller's data source; {@link #close()} leaves the data source open. */
    public static QueueAdmin create(DataSource dataSource, AdminOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new QueueAdmin(dataSource, new PgmqClient(dataSource), options, null);
    }

    /**
     * An admin over a broker's pool, with the broker's namespace added to the known namespaces; the broker keeps
     * its pool.
     */
    public static QueueAdmin forBroker(SupabaseBroker broker, AdminOptions options) {
        Objects.requireNonNull(broker, "broker");
        return new QueueAdmin(broker.dataSource(), broker.client(),
                withNamespace(options, broker.settings().namespace()), null);
    }

    /** As {@link #forBroker(SupabaseBroker, AdminOptions)} with the default options. */
    public static QueueAdmin forBroker(SupabaseBroker broker) {
        return forBroker(broker, AdminOptions.defaults());
    }

    /**
     * An admin with a small pool of its own (at most the settings' maximum connections), connecting on first use;
     * {@link #close()} closes the pool. The settings' namespace is added to the known namespaces.
     */
    public static QueueAdmin connect(SupabaseBrokerSettings settings, AdminOptions options) {
        Objects.requireNonNull(settings, "settings");
        HikariDataSource pool = ConnectionPools.open(settings, "supaqueue-admin");
        try {
            return new QueueAdmin(pool, new PgmqClient(pool), withNamespace(options, settings.namespace()), pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static AdminOptions withNamespace(AdminOptions options, String namespace) {
        Objects.requireNonNull(options, "options");
        if (namespace == null || namespace.isEmpty() || options.namespaces().contains(namespace)) {
            return options;
        }
        Set<String> namespaces = new HashSet<>(options.namespaces());
        namespaces.add(namespace);
        return options.toBuilder().namespaces(namespaces).build();
    }

    /** The options this admin runs with. */
    public AdminOptions options() {
        return options;
    }

    /** Whether every change is refused. */
    public boolean isReadOnly() {
        return options.readOnly();
    }

    /**
     * The pgmq installation (flavour and version), detected once.
     *
     * @throws dev.supaqueue.pgmq.PgmqException if the database cannot be reached
     */
    public PgmqInstallation installation() {
        return client.installation();
    }

    // ------------------------------------------------------------------------------------------ looking

    /** Every pgmq queue with its counts, grouped by namespace; counts are capped at {@link AdminOptions#countCap()}. */
    public QueueOverview queues() {
        return inspector.overview();
    }

    /**
     * One queue with its counts.
     *
     * @throws UnknownQueueException if there is no such queue
     */
    public QueueSummary queue(String queue) {
        PgmqQueueName.validate(queue);
        return inspector.summary(queue);
    }

    /** One page of messages; never changes them. */
    public MessagePage browse(BrowseRequest request) {
        return browser.browse(Objects.requireNonNull(request, "request"));
    }

    /** One message with its whole payload, or empty when it is gone. */
    public Optional<BrowsedMessage> message(MessageSource source, long msgId) {
        return browser.message(Objects.requireNonNull(source, "source"), msgId);
    }

    /** Health with the {@linkplain #DEFAULT_MAX_LAG default lag limit}; never throws for an unreachable database. */
    public HealthReport health() {
        return health(DEFAULT_MAX_LAG);
    }

    /** Health: pgmq, latency, LISTEN, and queues whose oldest ready message waits longer than {@code maxLag}. */
    public HealthReport health(Duration maxLag) {
        Objects.requireNonNull(maxLag, "maxLag");
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException("maxLag must not be negative, got " + maxLag);
        }
        return healthInspector.check(maxLag);
    }

    // ------------------------------------------------------------------------------------------ changing

    /** Sends raw JSON or a Dramatiq message, {@code count} times. */
    public EnqueueResult enqueue(EnqueueRequest request) {
        Objects.requireNonNull(request, "request");
        refuseIfReadOnly("enqueue messages", request.queue());
        return actions.enqueue(request);
    }

    /** Deletes the selected messages of a queue or its archive. */
    public ActionReport delete(MessageSource source, Selection selection) {
        return delete(source, selection, ActionControl.none());
    }

    /** Deletes the selected messages of a queue or its archive, reporting progress and honouring cancellation. */
    public ActionReport delete(MessageSource source, Selection selection, ActionControl control) {
        checkAction(source, selection, control);
        refuseIfReadOnly("delete messages", source.queue());
        return actions.delete(source, selection, control);
    }

    /** Moves the selected messages of a queue to its archive ({@code pgmq.archive}). */
    public ActionReport archive(String queue, Selection selection) {
        return archive(queue, selection, ActionControl.none());
    }

    /** Moves the selected messages of a queue to its archive, reporting progress and honouring cancellation. */
    public ActionReport archive(String queue, Selection selection, ActionControl control) {
        checkAction(MessageSource.queue(queue), selection, control);
        refuseIfReadOnly("archive messages", queue);
        return actions.archive(queue, selection, control);
    }

    /** Makes the selected messages visible now ({@code set_vt} 0), in flight or delayed alike. */
    public ActionReport makeVisible(String queue, Selection selection) {
        return makeVisible(queue, selection, ActionControl.none());
    }

    /** Makes the selected messages visible now, reporting progress and honouring cancellation. */
    public ActionReport makeVisible(String queue, Selection selection, ActionControl control) {
        checkAction(MessageSource.queue(queue), selection, control);
        refuseIfReadOnly("make messages visible", queue);
        return actions.makeVisible(queue, selection, control);
    }

    /** Hides the selected messages for {@code delay} from now ({@code set_vt}). */
    public ActionReport postpone(String queue, Selection selection, Duration delay) {
        return postpone(queue, selection, delay, ActionControl.none());
    }

    /** Hides the selected messages for {@code delay} from now, reporting progress and honouring cancellation. */
    public ActionReport postpone(String queue, Selection selection, Duration delay, ActionControl control) {
        checkAction(MessageSource.queue(queue), selection, control);
        Objects.requireNonNull(delay, "delay");
        refuseIfReadOnly("postpone messages", queue);
        return actions.postpone(queue, selection, delay, control);
    }

    /**
     * Sends the selected dead letters or archived messages back to their origin queue as new messages with the
     * same Dramatiq {@code message_id} and the retry state reset, removing the originals in the same transaction.
     */
    public ActionReport replay(MessageSource from, Selection selection) {
        return replay(from, selection, null, ActionControl.none());
    }

    /**
     * As {@link #replay(MessageSource, Selection)}, to {@code targetQueue} ({@code null} for the origin queue),
     * reporting progress and honouring cancellation.
     */
    public ActionReport replay(MessageSource from, Selection selection, String targetQueue, ActionControl control) {
        checkAction(from, selection, control);
        String target = targetQueue == null ? from.originQueue() : PgmqQueueName.validate(targetQueue);
        refuseIfReadOnly("replay messages", target);
        return actions.replay(from, selection, target, control);
    }

    /** Moves the selected messages to another queue (same payload, same Dramatiq {@code message_id}). */
    public ActionReport move(MessageSource from, Selection selection, String targetQueue) {
        return move(from, selection, targetQueue, ActionControl.none());
    }

    /** Moves the selected messages to another queue, reporting progress and honouring cancellation. */
    public ActionReport move(MessageSource from, Selection selection, String targetQueue, ActionControl control) {
        checkAction(from, selection, control);
        PgmqQueueName.validate(targetQueue);
        refuseIfReadOnly("move messages", from.queue());
        return actions.move(from, selection, targetQueue, control);
    }

    /** Deletes every message of a queue, of its dead-letter queue, or of its archive; says how many. */
    public ActionReport purge(MessageSource source) {
        Objects.requireNonNull(source, "source");
        refuseIfReadOnly("purge", source.queue());
        return actions.purge(source);
    }

    /** Creates a queue (and its archive); a no-op when it exists. */
    public void createQueue(String queue, QueueType type) {
        PgmqQueueName.validate(queue);
        Objects.requireNonNull(type, "type");
        refuseIfReadOnly("create a queue", queue);
        actions.createQueue(queue, type);
    }

    /** Drops a queue with its archive and messages; false when there was no such queue. */
    public boolean dropQueue(String queue) {
        PgmqQueueName.validate(queue);
        refuseIfReadOnly("drop a queue", queue);
        return actions.dropQueue(queue);
    }

    /** Closes the pool this admin opened ({@link #connect}); an admin over someone else's pool leaves it open. */
    @Override
    public void close() {
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    // Read-only mode is checked here, once, so no action can reach SQL without passing it.
    private void refuseIfReadOnly(String action, String queue) {
        if (options.readOnly()) {
            throw new ReadOnlyModeException(action, queue);
        }
    }

    private static void checkAction(MessageSource source, Selection selection, ActionControl control) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(control, "control");
    }
}
