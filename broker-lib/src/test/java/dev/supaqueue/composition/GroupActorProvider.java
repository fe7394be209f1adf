package dev.supaqueue.composition;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.ActorOptions;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.middleware.GroupCallbacks;
import dev.supaqueue.results.PostgresResultBackend;
import dev.supaqueue.results.Results;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The actors that {@link GroupOnSupabaseIT} runs in worker processes, found through this test tree's
 * {@code META-INF/services}: {@code group_child(n)} returns n² and {@code group_done(note)} is the completion
 * callback; both record (value, pid) in tables of the schema named by a system property of the worker process.
 * Without that property (other tests' worker processes) it declares nothing.
 *
 * <p>The worker command gives the broker only the default middleware, so this provider adds GroupCallbacks and
 * Results itself, with their barriers and results in the same schema: GroupCallbacks first, so that after hooks
 * store the last child's result before its group's callbacks are enqueued.
 */
public final class GroupActorProvider implements ActorProvider {

    static final String SCHEMA_PROPERTY = "supaqueue.it.groupSchema";
    static final String SLEEP_PROPERTY = "supaqueue.it.groupSleepMillis";
    static final String QUEUE = "group_jobs";
    static final String CHILD = "group_child";
    static final String CALLBACK = "group_done";

    @Override
    public void declareActors(Broker broker) {
        String schema = System.getProperty(SCHEMA_PROPERTY);
        if (schema == null) {
            return;
        }
        if (!schema.matches("[a-z0-9_]+")) {
            throw new IllegalStateException("Invalid -D" + SCHEMA_PROPERTY + ": " + schema);
        }
        SupabaseBroker supabase = (SupabaseBroker) broker;
        broker.addMiddleware(GroupCallbacks.onPostgres(supabase, schema));
        broker.addMiddleware(new Results(new PostgresResultBackend(supabase, schema)));
        long sleepMillis = Long.getLong(SLEEP_PROPERTY, 0);
        long pid = ProcessHandle.current().pid();
        DataSource dataSource = supabase.dataSource();
        ActorDefinition.named(CHILD).queue(QUEUE).option(ActorOptions.STORE_RESULTS, true).parameterNames("n")
                .on(broker).function(Integer.class, n -> {
                    if (sleepMillis > 0) {
                        Thread.sleep(sleepMillis);
                    }
                    record(dataSource, schema + ".runs", String.valueOf(n), pid);
                    return n * n;
                });
        ActorDefinition.named(CALLBACK).queue(QUEUE).parameterNames("note").on(broker)
                .consumer(String.class, note -> record(dataSource, schema + ".callbacks", note, pid));
    }

    private static void record(DataSource dataSource, String table, String value, long pid) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO " + table + " (value, pid) VALUES (?, ?)")) {
            insert.setString(1, value);
            insert.setLong(2, pid);
            insert.executeUpdate();
        }
    }
}
