package dev.supaqueue.console;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueOverview;
import dev.supaqueue.admin.QueueSummary;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.console.connection.ConnectRequest;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.queues.QueuePoller;
import dev.supaqueue.console.queues.QueuesViewModel;
import dev.supaqueue.console.workers.WorkersViewModel;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Function;

/**
 * One open connection: its {@link QueueAdmin}, the one queue poller every screen of this connection shares, and
 * the screens' view models. Closing it stops the polling and closes the admin's pool off the FX thread.
 */
public final class ConnectionSession {

    private final ConnectRequest request;
    private final QueueAdmin admin;
    private final QueuesViewModel queues;
    private final WorkersViewModel workers;
    private final BackgroundTasks tasks;

    private ConnectionSession(ConnectRequest request, QueueAdmin admin, QueuesViewModel queues,
                              WorkersViewModel workers, BackgroundTasks tasks) {
        this.request = request;
        this.admin = admin;
        this.queues = queues;
        this.workers = workers;
        this.tasks = tasks;
    }

    /**
     * Opens a session. Making the admin does not touch the database (its pool connects on first use), so this is
     * safe on the FX thread; the first query runs when the queues screen starts polling.
     */
    static ConnectionSession open(ConnectRequest request, ConsoleServices services, ResourceBundle texts) {
        Objects.requireNonNull(request, "request");
        QueueAdmin admin = services.admins().apply(request);
        QueuePoller poller = QueuePoller.forAdmin(() -> admin, services.tasks(), services.ticker());
        QueuesViewModel queues = new QueuesViewModel(poller, () -> admin, services.tasks(), services.ticker(),
                services.clipboard(), texts, Locale.getDefault(), ZoneId.systemDefault());
        String namespace = request.profile().namespace();
        queues.showOnlyNamespace(namespace);
        WorkersViewModel workers = new WorkersViewModel(request.settings(), request.readOnly(), services.tasks(),
                services.ticker(), texts);
        // The enqueue form offers the loaded actors; the worker screen offers the queues the poller sees.
        queues.useKnownActors(workers.knownActors());
        poller.overviewProperty().addListener((property, old, overview) -> {
            if (overview != null) {
                workers.setAvailableQueues(dramatiqQueues(overview, namespace));
            }
        });
        return new ConnectionSession(request, admin, queues, workers, services.tasks());
    }

    /** How the console makes an admin for a request: its own small pool, read-only when the request says so. */
    static Function<ConnectRequest, QueueAdmin> pooledAdmins() {
        return request -> {
            AdminOptions.Builder options = AdminOptions.builder().readOnly(request.readOnly());
            String namespace = request.profile().namespace();
            if (!namespace.isEmpty()) {
                options.namespaces(namespace);
            }
            return QueueAdmin.connect(request.settings(), options.build());
        };
    }

    public ConnectRequest request() {
        return request;
    }

    public QueueAdmin admin() {
        return admin;
    }

    public QueuesViewModel queues() {
        return queues;
    }

    public WorkersViewModel workers() {
        return workers;
    }

    /**
     * The Dramatiq queue names a worker of this connection can consume: within the profile's namespace, the names
     * without the prefix; without a namespace, the pgmq names themselves. Dead-letter queues are never consumed.
     */
    static List<String> dramatiqQueues(QueueOverview overview, String namespace) {
        String prefix = namespace.isEmpty() ? "" : namespace + "_";
        return overview.queues().stream()
                .map(QueueSummary::name)
                .filter(name -> name.startsWith(prefix) && name.length() > prefix.length())
                .filter(name -> !QueueNames.isDeadLetter(name))
                .map(name -> name.substring(prefix.length()))
                .sorted()
                .toList();
    }

    /** Stops polling, the countdowns and any embedded worker (gracefully); closes the pool in the background. */
    void close() {
        workers.close();
        queues.poller().stop();
        queues.messages().dispose();
        tasks.run("close the connection to " + request.profile().name(), () -> {
            admin.close();
            return null;
        }, done -> { }, failure -> { });
    }
}
