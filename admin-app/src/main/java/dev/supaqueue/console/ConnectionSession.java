package dev.supaqueue.console;

import dev.supaqueue.admin.AdminOptions;
import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.console.connection.ConnectRequest;
import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.queues.QueuePoller;
import dev.supaqueue.console.queues.QueuesViewModel;
import java.time.ZoneId;
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
    private final BackgroundTasks tasks;

    private ConnectionSession(ConnectRequest request, QueueAdmin admin, QueuesViewModel queues,
                              BackgroundTasks tasks) {
        this.request = request;
        this.admin = admin;
        this.queues = queues;
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
        return new ConnectionSession(request, admin, queues, services.tasks());
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

    /** Stops polling and the countdowns now; closes the pool in the background. */
    void close() {
        queues.poller().stop();
        queues.messages().dispose();
        tasks.run("close the connection to " + request.profile().name(), () -> {
            admin.close();
            return null;
        }, done -> { }, failure -> { });
    }
}
