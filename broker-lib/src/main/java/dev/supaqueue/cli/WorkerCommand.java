package dev.supaqueue.cli;

import dev.supaqueue.SupaqueueVersion;
import dev.supaqueue.actor.Actor;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.DatabaseUri;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqFlavour;
import dev.supaqueue.pgmq.PgmqInstallation;
import dev.supaqueue.pgmq.PgmqProbe;
import dev.supaqueue.worker.Worker;
import dev.supaqueue.worker.WorkerOptions;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code supaqueue worker}: runs a {@link Worker} on a {@link SupabaseBroker} with the actors that the class path's
 * {@link ActorProvider}s declare, until SIGTERM or SIGINT stops it gracefully.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = Supaqueue.Version.class,
        sortOptions = false, showDefaultValues = true, usageHelpAutoWidth = true,
        header = "Runs the actors of the class path's ActorProviders until SIGTERM or SIGINT.",
        description = {
            "Runs the actors declared by every dev.supaqueue.actor.ActorProvider on the class path (listed in"
                    + " META-INF/services/dev.supaqueue.actor.ActorProvider), consuming their queues on Supabase"
                    + " Queues (pgmq) until SIGTERM or SIGINT stops it gracefully.",
            "",
            "The connection comes from --uri, else from --host/--port/--database/--user, else from"
                    + " $" + WorkerCommand.DATABASE_URL_ENV + ", else localhost:5432. The password comes from the"
                    + " URI, else from --password (a prompt), else from $" + WorkerCommand.PASSWORD_ENV + " or"
                    + " $" + WorkerCommand.PG_PASSWORD_ENV + "; it is never logged.",
            "",
            "Delivery is at least once: make actors idempotent. Dramatiq's default middleware applies: failed"
                    + " messages are retried with backoff (max_retries 20), tasks have a 10-minute time limit, and"
                    + " callbacks and pipelines run.",
            ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (SIGTERM or SIGINT)",
            "1:could not start (database unreachable, no pgmq, an actor provider failed), or a second signal",
            "2:bad arguments, or no ActorProvider on the class path"})
public final class WorkerCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String DATABASE_URL_ENV = "SUPAQUEUE_DATABASE_URL";
    static final String PASSWORD_ENV = "SUPAQUEUE_DB_PASSWORD";
    static final String PG_PASSWORD_ENV = "PGPASSWORD";

    static final String NO_PROVIDER = """
            No ActorProvider found on the class path, so this worker would have no actor to run.
            Implement dev.supaqueue.actor.ActorProvider in a public class with a public no-argument constructor,
            name that class in META-INF/services/dev.supaqueue.actor.ActorProvider inside your jar, and put the jar
            on this command's class path: java -cp 'your-app.jar:lib/*' dev.supaqueue.cli.Supaqueue worker ...""";

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--uri", paramLabel = "URI",
            description = "postgresql://user[:password]@host:port/database[?sslmode=require&...], as Supabase's"
                    + " dashboard shows it (default: $" + DATABASE_URL_ENV + "). Prefer the environment variable"
                    + " when the URI holds a password: a flag shows in the process list.")
    String uri;

    @Option(names = "--host", paramLabel = "HOST", description = "Database host (default: localhost).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Database port (default: 5432; 6543 is Supabase's"
            + " transaction pooler, which works without LISTEN).")
    Integer port;

    @Option(names = "--database", paramLabel = "NAME", description = "Database name (default: postgres).")
    String database;

    @Option(names = "--user", paramLabel = "ROLE", description = "Role to log in as (default: postgres).")
    String user;

    // arity 0..1 so that a value typed after it is caught and refused without being echoed (see call()).
    @Option(names = "--password", arity = "0..1", interactive = true, prompt = "Database password: ",
            description = "Prompt for the password. It is never taken as a value of this flag; set $" + PASSWORD_ENV
                    + " or $" + PG_PASSWORD_ENV + " instead for unattended runs.")
    char[] password;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "dramatiq",
            description = "Prefix of the pgmq queues (<namespace>_<queue>); every worker of an application uses the"
                    + " same one.")
    String namespace;

    @Option(names = "--visibility-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long a read message stays hidden; a heartbeat extends it while the task runs, and a"
                    + " dead worker's messages reappear after it.")
    int visibilityTimeoutSeconds;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "" + WorkerOptions.DEFAULT_WORKER_THREADS,
            description = "Worker threads: how many tasks run at once.")
    int threads;

    @Option(names = "--prefetch", paramLabel = "N",
            description = "Most messages per queue held by this process, running or waiting (default: 2 x threads).")
    Integer prefetch;

    @Option(names = {"-Q", "--queues"}, paramLabel = "QUEUE", split = ",", showDefaultValue = Visibility.NEVER,
            description = "Consume only these queues (repeatable or comma-separated; default: every queue of the"
                    + " declared actors).")
    List<String> queues = new ArrayList<>();

    @Option(names = "--min-conn", paramLabel = "N", defaultValue = "1", description = "Idle connections kept open.")
    int minConnections;

    @Option(names = "--max-conn", paramLabel = "N", defaultValue = "10",
            description = "Connection pool size (one more is opened for LISTEN).")
    int maxConnections;

    @Option(names = "--driver-option", paramLabel = "KEY=VALUE", showDefaultValue = Visibility.NEVER,
            description = "Extra pgjdbc connection property, e.g. sslmode=require (repeatable).")
    Map<String, String> driverOptions = new LinkedHashMap<>();

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM/SIGINT, how long running tasks may finish; a task still running then is"
                    + " redelivered later.")
    int shutdownTimeoutSeconds;

    private final Map<String, String> environment;
    private final Supplier<List<ActorProvider>> providers;
    private final ShutdownSignals signals;

    /** Where the connection and the password came from, for the log (never the values themselves). */
    private String connectionSource;
    private String passwordSource;

    /** The command as {@code supaqueue worker} runs it: the process's environment, providers and signals. */
    public WorkerCommand() {
        this(System.getenv(), WorkerCommand::loadProviders, new JvmShutdownSignals());
    }

    WorkerCommand(Map<String, String> environment, Supplier<List<ActorProvider>> providers, ShutdownSignals signals) {
        this.environment = Map.copyOf(environment);
        this.providers = Objects.requireNonNull(providers, "providers");
        this.signals = Objects.requireNonNull(signals, "signals");
    }

    private static List<ActorProvider> loadProviders() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<ActorProvider> found = new ArrayList<>();
        ServiceLoader.load(ActorProvider.class, loader == null ? WorkerCommand.class.getClassLoader() : loader)
                .forEach(found::add);
        return found;
    }

    @Override
    public Integer call() {
        rejectPasswordValueOnCommandLine();
        SupabaseBrokerSettings settings = brokerSettings();
        WorkerOptions options = workerOptions();
        PrintWriter err = spec.commandLine().getErr();

        List<ActorProvider> found;
        try {
            found = providers.get();
        } catch (ServiceConfigurationError e) {
            err.println("Cannot load an ActorProvider: " + e.getMessage()
                    + "\nCheck the class names in META-INF/services/dev.supaqueue.actor.ActorProvider: each must be"
                    + " a public class with a public no-argument constructor, on the class path.");
            return USAGE;
        }
        if (found.isEmpty()) {
            err.println(NO_PROVIDER);
            return USAGE;
        }
        warnIfLogsAreDiscarded(err);

        // Handlers first: a SIGTERM while the worker is still starting then also ends it with status 0.
        AtomicReference<SupabaseBroker> started = new AtomicReference<>();
        AtomicReference<Worker> running = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        signals.onStop(() -> {
            try {
                Worker current = running.get();
                if (current != null) {
                    current.stop(options.shutdownTimeout());
                }
            } finally {
                SupabaseBroker current = started.getAndSet(null);
                if (current != null) {
                    current.close();
                }
                stopped.countDown();
            }
        }, options.shutdownTimeout());

        PgmqInstallation pgmq;
        try {
            pgmq = checkDatabase(settings);
        } catch (StartFailure e) {
            err.println(e.getMessage());
            return FAILED;
        }

        SupabaseBroker broker = createBroker(settings);
        started.set(broker);
        Worker worker;
        try {
            declareActors(broker, found);
            worker = new Worker(broker, options);
        } catch (StartFailure e) {
            started.set(null);
            broker.close();
            err.println(e.getMessage());
            return FAILED;
        }
        running.set(worker);
        log.info("Supaqueue {} worker: {} ({}, password {}); {}; {}", SupaqueueVersion.current(), settings,
                connectionSource, passwordSource, pgmq.describe(), describe(options));
        log.info("Actors: {} from {}", new TreeSet<>(broker.actors().keySet()),
                found.stream().map(p -> p.getClass().getName()).toList());
        try {
            worker.start();
        } catch (RuntimeException e) {
            err.println("The worker could not start: " + scrub(String.valueOf(e.getMessage()), settings));
            worker.stop(Duration.ofSeconds(1));
            broker.close();
            return FAILED;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // Nobody interrupts main in a process; if a caller does, treat it as a stop request.
            worker.stop(options.shutdownTimeout());
            broker.close();
        }
        return OK;
    }

    /** The worker's broker: Dramatiq's default middleware (retries, time limit, callbacks, pipelines, ...). */
    static SupabaseBroker createBroker(SupabaseBrokerSettings settings) {
        return new SupabaseBroker(settings);
    }

    // Arguments //

    /** Broker settings from the options and the environment; a bad value is a usage error naming the flag. */
    SupabaseBrokerSettings brokerSettings() {
        boolean hostFlags = host != null || port != null || database != null || user != null;
        if (uri != null && hostFlags) {
            throw usage("Give either --uri or --host/--port/--database/--user, not both");
        }
        String environmentUri = blankToNull(environment.get(DATABASE_URL_ENV));
        String effectiveUri = uri != null ? uri : hostFlags ? null : environmentUri;
        connectionSource = uri != null ? "from --uri" : hostFlags ? "from --host/--port/--database/--user"
                : environmentUri != null ? "from $" + DATABASE_URL_ENV : "default localhost:5432";

        require(visibilityTimeoutSeconds >= 1, "--visibility-timeout must be at least 1 second, got "
                + visibilityTimeoutSeconds);
        require(minConnections >= 0, "--min-conn must not be negative, got " + minConnections);
        require(maxConnections >= 1 && maxConnections >= minConnections,
                "--max-conn must be at least 1 and at least --min-conn (" + minConnections + "), got "
                        + maxConnections);
        require(port == null || (port >= 1 && port <= 65535), "--port must be between 1 and 65535, got " + port);

        SupabaseBrokerSettings.Builder builder = SupabaseBrokerSettings.builder();
        String uriPassword = null;
        try {
            if (effectiveUri != null) {
                uriPassword = DatabaseUri.parse(effectiveUri).password();
                builder.uri(effectiveUri);
            } else {
                builder.host(host == null ? "localhost" : host).port(port == null ? 5432 : port)
                        .database(database == null ? "postgres" : database).user(user == null ? "postgres" : user);
            }
            if (password != null) {
                builder.password(new String(password));
                passwordSource = "from the prompt";
            } else if (uriPassword != null) {
                passwordSource = "from the URI";
            } else {
                builder.password(environmentPassword());
            }
            return builder.namespace(namespace).visibilityTimeout(Duration.ofSeconds(visibilityTimeoutSeconds))
                    .minConnections(minConnections).maxConnections(maxConnections).driverOptions(driverOptions)
                    .build();
        } catch (IllegalArgumentException e) {
            String where = effectiveUri != null && uri == null ? " (in $" + DATABASE_URL_ENV + ")" : "";
            throw usage(scrub(e.getMessage(), password == null ? uriPassword : new String(password)) + where);
        }
    }

    private String environmentPassword() {
        for (String name : List.of(PASSWORD_ENV, PG_PASSWORD_ENV)) {
            String value = environment.get(name);
            if (value != null && !value.isEmpty()) {
                passwordSource = "from $" + name;
                return value;
            }
        }
        passwordSource = "none";
        // None: the server may not ask for one, or pgjdbc finds it in ~/.pgpass.
        return null;
    }

    /** Worker options from the flags; a bad value is a usage error naming the flag. */
    WorkerOptions workerOptions() {
        require(threads >= 1, "--threads must be at least 1, got " + threads);
        require(prefetch == null || (prefetch >= 1 && prefetch <= WorkerOptions.MAX_PREFETCH),
                "--prefetch must be between 1 and " + WorkerOptions.MAX_PREFETCH + ", got " + prefetch);
        require(shutdownTimeoutSeconds >= 1, "--shutdown-timeout must be at least 1 second, got "
                + shutdownTimeoutSeconds);
        Set<String> whitelist = new LinkedHashSet<>();
        for (String queue : queues) {
            require(!queue.isBlank(), "--queues must not name an empty queue: " + queues);
            whitelist.add(queue.strip());
        }
        WorkerOptions.Builder builder = WorkerOptions.builder().queues(whitelist).workerThreads(threads)
                .shutdownTimeout(Duration.ofSeconds(shutdownTimeoutSeconds));
        if (prefetch != null) {
            builder.prefetch(prefetch);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * With arity 0..1 picocli takes a value after --password instead of prompting. Refusing it here, by position,
     * keeps the value out of every message (picocli's own errors would quote it).
     */
    private void rejectPasswordValueOnCommandLine() {
        if (password == null) {
            return;
        }
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String given = new String(password);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            boolean attached = arg.startsWith("--password=");
            boolean separate = arg.equals("--password") && i + 1 < args.size() && args.get(i + 1).equals(given);
            if (attached || separate) {
                Arrays.fill(password, '\0');
                throw usage("--password takes no value: one on the command line shows in the process list and the"
                        + " shell history. Set $" + PASSWORD_ENV + " (or $" + PG_PASSWORD_ENV + "), or give"
                        + " --password alone to be prompted");
            }
        }
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw usage(message);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    // Starting //

    /** A reason not to start, already worded for the user. */
    private static final class StartFailure extends Exception {
        StartFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * One plain connection before the pool: fails at once with the server's reason (the pool would retry for its
     * connection timeout), and refuses a database without pgmq instead of failing on the first read.
     */
    private static PgmqInstallation checkDatabase(SupabaseBrokerSettings settings) throws StartFailure {
        String where = settings.host() + ":" + settings.port() + " (database " + settings.database() + ", user "
                + settings.user() + ")";
        Properties properties = new Properties();
        properties.putAll(settings.driverOptions());
        properties.setProperty("ApplicationName", "supaqueue-worker");
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        if (settings.transactionPooler()) {
            properties.setProperty("prepareThreshold", "0");
        }
        PgmqInstallation pgmq;
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
            pgmq = PgmqProbe.detect(connection);
        } catch (SQLException e) {
            throw new StartFailure("Cannot connect to PostgreSQL at " + where + ": "
                    + scrub(String.valueOf(e.getMessage()), settings)
                    + "\nCheck the host, port, user, password and network (Supabase's direct host is IPv6-only;"
                    + " its session pooler on port 5432 has IPv4).");
        }
        if (pgmq.flavour() == PgmqFlavour.ABSENT) {
            throw new StartFailure("The database at " + where + " has no pgmq. On Supabase, enable Queues"
                    + " (Integrations > Queues); on a local development database, install Supaqueue's"
                    + " pgmq-compatible schema with: java -cp ... dev.supaqueue.pgmq.PgmqDevSchemaTool install"
                    + " jdbc:postgresql://HOST:PORT/DATABASE");
        }
        return pgmq;
    }

    private void declareActors(SupabaseBroker broker, List<ActorProvider> found) throws StartFailure {
        for (ActorProvider provider : found) {
            try {
                provider.declareActors(broker);
            } catch (RuntimeException e) {
                log.debug("Actor provider {} failed", provider.getClass().getName(), e);
                throw new StartFailure("Actor provider " + provider.getClass().getName() + " failed: "
                        + scrub(String.valueOf(e), broker.settings()));
            }
        }
        Map<String, Actor<?>> actors = broker.actors();
        if (actors.isEmpty()) {
            log.warn("The actor providers declared no actor; this worker has nothing to consume");
        }
        Set<String> actorQueues = new TreeSet<>();
        actors.values().forEach(actor -> actorQueues.add(actor.queueName()));
        for (String queue : queues) {
            if (!broker.isDeclared(queue.strip())) {
                log.warn("--queues names '{}', but no declared actor uses it (actors' queues: {}); it is not"
                        + " consumed", queue.strip(), actorQueues);
            }
        }
    }

    private static String describe(WorkerOptions options) {
        return options.workerThreads() + " threads, prefetch " + options.prefetch() + " per queue, queues "
                + (options.queues().isEmpty() ? "all declared" : new TreeSet<>(options.queues()))
                + ", shutdown timeout " + options.shutdownTimeout().toSeconds() + " s";
    }

    private static void warnIfLogsAreDiscarded(PrintWriter err) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof NOPLoggerFactory) {
            err.println("Warning: no SLF4J provider on the class path, so the worker's log (failures included) is"
                    + " discarded; add one, e.g. org.slf4j:slf4j-simple or logback-classic.");
            err.flush();
        }
    }

    private static String scrub(String text, SupabaseBrokerSettings settings) {
        return scrub(text, settings.password());
    }

    /** Server and driver messages do not quote passwords, but a password must never be printed even if one did. */
    private static String scrub(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "***");
    }
}
