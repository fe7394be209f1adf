package dev.supaqueue.broker;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link SupabaseBroker} connects and behaves. Defaults follow the Python seed: localhost:5432, database,
 * user and password {@code postgres}, visibility timeout 30 s, namespace {@code dramatiq}, 1 to 10 connections.
 *
 * <p>{@link #toString()} never shows the password.
 *
 * @param host                 database host
 * @param port                 database port; 6543 means a transaction-mode pooler (see {@link #transactionPooler()})
 * @param database             database name
 * @param user                 role to log in as
 * @param password             its password (may be null when the server needs none)
 * @param visibilityTimeout    how long a read message stays hidden from other workers before it is redelivered;
 *                             whole seconds, at least 1; extended by a heartbeat while the message is in flight
 * @param namespace            prefix of every pgmq queue this broker uses ({@code <namespace>_<queue>}); may be empty
 * @param minConnections       idle connections kept in the pool
 * @param maxConnections       the pool's size
 * @param driverOptions        extra pgjdbc connection properties, e.g. {@code sslmode=require}
 * @param ackMode              what an ack does with a message: delete it, or archive it to keep history
 * @param deadLetterRetention  dead letters older than this are purged
 * @param enqueueAttempts      how often an enqueue is tried when the database cannot be reached
 * @param listen               use LISTEN/NOTIFY to wake consumers where pgmq and the connection allow it
 * @param maxPollInterval      the longest a consumer waits between two reads of an idle queue
 * @param connectionTimeout    how long a caller waits for a pooled connection before the attempt fails
 * @param apiSurface           the {@code pgmq} schema (everything), or Supabase's {@code pgmq_public} wrappers
 *                             (producer only, for restricted roles)
 */
public record SupabaseBrokerSettings(String host, int port, String database, String user, String password,
                                     Duration visibilityTimeout, String namespace, int minConnections,
                                     int maxConnections, Map<String, String> driverOptions, AckMode ackMode,
                                     Duration deadLetterRetention, int enqueueAttempts, boolean listen,
                                     Duration maxPollInterval, Duration connectionTimeout,
                                     ApiSurface apiSurface) {

    /** What acknowledging a processed message does. */
    public enum AckMode {
        /** {@code pgmq.delete}: the message is gone. */
        DELETE,
        /** {@code pgmq.archive}: the message moves to the queue's archive table, as history. */
        ARCHIVE
    }

    /** Which SQL functions the broker calls. */
    public enum ApiSurface {
        /** pgmq's own functions: send, consume, heartbeat, dead letters, queue management. */
        PGMQ,
        /**
         * Supabase's {@code pgmq_public} wrappers only: enough to send (whole-second delays, no headers) for a
         * role without rights on the {@code pgmq} schema; the queues must exist already and nothing is consumed.
         * On pgmq 1.8 and later, a queue with insert notifications also needs SELECT and UPDATE on
         * {@code pgmq.notify_insert_throttle} for the sending role (pgmq updates it on every send).
         */
        PGMQ_PUBLIC
    }

    public SupabaseBrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(ackMode, "ackMode");
        Objects.requireNonNull(deadLetterRetention, "deadLetterRetention");
        Objects.requireNonNull(maxPollInterval, "maxPollInterval");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(apiSurface, "apiSurface");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        // The host goes into the JDBC URL: a '/', '?' or '@' would change which database or options it names.
        if (!host.matches("[A-Za-z0-9._:%\\[\\]-]+")) {
            throw new IllegalArgumentException("host \"" + host.replaceAll("\\p{Cntrl}", "?") + "\" is not a host"
                    + " name or IP address (only letters, digits, '.', '-', '_' and, for IPv6, ':' are allowed)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
        if (visibilityTimeout.compareTo(Duration.ofSeconds(1)) < 0 || visibilityTimeout.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("visibility_timeout must be a whole number of seconds, at least 1"
                    + " (pgmq counts it in seconds); got " + visibilityTimeout.toMillis() + " ms");
        }
        namespace = QueueNames.validateNamespace(namespace == null ? "" : namespace);
        if (minConnections < 0) {
            throw new IllegalArgumentException("min_conn must not be negative, got " + minConnections);
        }
        if (maxConnections < 1 || maxConnections < minConnections) {
            throw new IllegalArgumentException("max_conn must be at least 1 and at least min_conn (" + minConnections
                    + "), got " + maxConnections);
        }
        if (deadLetterRetention.isNegative() || deadLetterRetention.isZero()) {
            throw new IllegalArgumentException("dead-letter retention must be positive, got " + deadLetterRetention);
        }
        if (enqueueAttempts < 1) {
            throw new IllegalArgumentException("enqueue attempts must be at least 1, got " + enqueueAttempts);
        }
        if (maxPollInterval.toMillis() < 10) {
            throw new IllegalArgumentException("max poll interval must be at least 10 ms, got " + maxPollInterval);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection timeout must be at least 250 ms, got " + connectionTimeout);
        }
        driverOptions = Collections.unmodifiableMap(new LinkedHashMap<>(driverOptions == null ? Map.of() : driverOptions));
        for (String key : driverOptions.keySet()) {
            if (key.equalsIgnoreCase("password") || key.equalsIgnoreCase("user")) {
                throw new IllegalArgumentException("Give the " + key.toLowerCase(java.util.Locale.ROOT)
                        + " as its own setting, not as a driver option");
            }
        }
    }

    /** Settings with the seed's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The visibility timeout in pgmq's unit. */
    public int visibilityTimeoutSeconds() {
        return Math.toIntExact(visibilityTimeout.toSeconds());
    }

    /**
     * Whether the port is Supabase's transaction-mode pooler (6543), or {@code prepareThreshold=0} was asked for:
     * then no server-side prepared statements are used and no LISTEN is attempted.
     */
    public boolean transactionPooler() {
        return port == DatabaseUri.TRANSACTION_POOLER_PORT || "0".equals(driverOptions.get("prepareThreshold"));
    }

    /** Whether consumers may be woken by NOTIFY (they poll otherwise). */
    public boolean listenAllowed() {
        return listen && !transactionPooler();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SupabaseBrokerSettings[" + user + "@" + host + ":" + port + "/" + database
                + (password == null ? "" : " password=***") + ", namespace=" + namespace
                + ", visibilityTimeout=" + visibilityTimeout.toSeconds() + "s, connections=" + minConnections + ".."
                + maxConnections + ", driverOptions=" + driverOptions.keySet() + ", ack=" + ackMode
                + (transactionPooler() ? ", transaction pooler" : "")
                + (apiSurface == ApiSurface.PGMQ_PUBLIC ? ", producer only via pgmq_public" : "") + "]";
    }

    /** Builds settings; every setter validates on {@link #build()}. */
    public static final class Builder {
        private String host = "localhost";
        private int port = 5432;
        private String database = "postgres";
        private String user = "postgres";
        private String password = "postgres";
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private String namespace = "dramatiq";
        private int minConnections = 1;
        private int maxConnections = 10;
        private final Map<String, String> driverOptions = new LinkedHashMap<>();
        private AckMode ackMode = AckMode.DELETE;
        private Duration deadLetterRetention = Duration.ofDays(7);
        private int enqueueAttempts = 3;
        private boolean listen = true;
        private Duration maxPollInterval = Duration.ofSeconds(1);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private ApiSurface apiSurface = ApiSurface.PGMQ;

        private Builder() {
        }

        /**
         * Takes host, port, database, user, password and parameters from a connection URI such as the one the
         * Supabase dashboard shows; parameters become driver options.
         */
        public Builder uri(String uri) {
            DatabaseUri parsed = DatabaseUri.parse(uri);
            host = parsed.host();
            port = parsed.port();
            database = parsed.database();
            if (parsed.user() != null) {
                user = parsed.user();
            }
            password = parsed.password();
            driverOptions.putAll(parsed.parameters());
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder minConnections(int minConnections) {
            this.minConnections = minConnections;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** An extra pgjdbc connection property, e.g. {@code driverOption("sslmode", "require")}. */
        public Builder driverOption(String name, String value) {
            driverOptions.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder driverOptions(Map<String, String> options) {
            options.forEach(this::driverOption);
            return this;
        }

        public Builder ackMode(AckMode ackMode) {
            this.ackMode = ackMode;
            return this;
        }

        public Builder deadLetterRetention(Duration deadLetterRetention) {
            this.deadLetterRetention = deadLetterRetention;
            return this;
        }

        public Builder enqueueAttempts(int enqueueAttempts) {
            this.enqueueAttempts = enqueueAttempts;
            return this;
        }

        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        public Builder maxPollInterval(Duration maxPollInterval) {
            this.maxPollInterval = maxPollInterval;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public Builder apiSurface(ApiSurface apiSurface) {
            this.apiSurface = apiSurface;
            return this;
        }

        public SupabaseBrokerSettings build() {
            return new SupabaseBrokerSettings(host, port, database, user, password, visibilityTimeout, namespace,
                    minConnections, maxConnections, driverOptions, ackMode, deadLetterRetention, enqueueAttempts,
                    listen, maxPollInterval, connectionTimeout, apiSurface);
        }
    }
}
