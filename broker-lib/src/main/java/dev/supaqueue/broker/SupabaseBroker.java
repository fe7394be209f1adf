package dev.supaqueue.broker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.message.MessageEncoder;
import dev.supaqueue.middleware.DefaultMiddleware;
import dev.supaqueue.middleware.Middleware;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.pgmq.PgmqPublicClient;
import dev.supaqueue.pgmq.PgmqQueueName;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker on Supabase Queues: every Dramatiq queue is a pgmq queue {@code <namespace>_<queue>} with a
 * dead-letter queue {@code <namespace>_<queue>_xq}, over a HikariCP pool.
 *
 * <ul>
 *   <li>Delays use pgmq's own (millisecond precision where pgmq has the timestamp overload, whole seconds
 *       rounded up otherwise); there are no delay queues.</li>
 *   <li>Delivery is <b>at-least-once</b>: a read message is hidden for the visibility timeout, extended by a
 *       heartbeat every third of it while this process holds the message; if the process dies, the message is
 *       delivered again. Make actors idempotent.</li>
 *   <li>Ack deletes the message (or archives it, see {@link SupabaseBrokerSettings.AckMode}); nack moves it to
 *       the dead-letter queue with the reason, in one transaction; dead letters older than the retention are
 *       purged.</li>
 *   <li>Messages are encoded by a {@link MessageEncoder}, by default {@link MessageCodec}. pgmq stores them as
 *       jsonb, so a custom encoder must write one UTF-8 JSON object (checked at every enqueue) and read back
 *       what jsonb returns (keys reordered, whitespace dropped); a body it cannot decode is dead-lettered.</li>
 *   <li>Consumers wake on pgmq's insert notifications where pgmq (≥ 1.7) and the connection allow it, and poll
 *       adaptively otherwise. A transaction-mode pooler (port 6543) gets {@code prepareThreshold=0} and no LISTEN.</li>
 * </ul>
 */
public final class SupabaseBroker extends Broker {

    /** Messages per pgmq.send_batch call: one array parameter, kept well below the protocol's limits. */
    private static final int SEND_BATCH_CHUNK = 1_000;
    private static final int MAX_CACHED_NAMES = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SupabaseBroker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads stored payloads with the codec's limits (deep nesting, long strings), not Jackson's defaults. */
    private static final ObjectMapper PAYLOAD_JSON = new ObjectMapper(MessageCodec.payloadJsonFactory().build());
    /** Checks a custom encoder's output, with MessageCodec's limits rather than Jackson's smaller defaults. */
    private static final JsonFactory CHECK_JSON = MessageCodec.payloadJsonFactory().build();

    /** Where a dead letter records why it died; also readable by Python tools since it sits in options. */
    static final String REASON_OPTION = "dead_letter_reason";
    static final String DEAD_LETTERED_AT_OPTION = "dead_lettered_at";
    static final String REASON_HEADER = "x-supaqueue-dead-letter-reason";

    private final SupabaseBrokerSettings settings;
    private final HikariDataSource dataSource;
    private final PgmqClient client;
    private final PgmqPublicClient publicClient;
    private final MessageEncoder encoder;
    private final List<PgmqConsumer> consumers = new CopyOnWriteArrayList<>();
    private final Map<String, QueueWakeup> wakeups = new ConcurrentHashMap<>();
    /** Dramatiq queue name to pgmq queue name, for names already validated. */
    private final Map<String, String> pgmqNames = new ConcurrentHashMap<>();
    private final ScheduledExecutorService maintenance;
    private volatile NotificationListener listener;

    /**
     * The seed's constructor: host, port, database, user, password, middleware ({@code null} for the defaults, an
     * empty list for none), visibility timeout, namespace, minimum and maximum connections, and extra driver options
     * (e.g. {@code sslmode}).
     */
    public SupabaseBroker(String host, int port, String database, String user, String password,
                          List<? extends Middleware> middleware, Duration visibilityTimeout, String namespace,
                          int minConnections, int maxConnections, Map<String, String> options) {
        this(SupabaseBrokerSettings.builder().host(host).port(port).database(database).user(user).password(password)
                .visibilityTimeout(visibilityTimeout).namespace(namespace).minConnections(minConnections)
                .maxConnections(maxConnections).driverOptions(options == null ? Map.of() : options).build(),
                middleware);
    }

    /** A broker with these settings and the default middleware ({@link DefaultMiddleware#create()}). */
    public SupabaseBroker(SupabaseBrokerSettings settings) {
        this(settings, null);
    }

    /**
     * A broker with these settings and middleware, which replace the defaults: {@code null} for the defaults, an
     * empty list for none.
     */
    public SupabaseBroker(SupabaseBrokerSettings settings, List<? extends Middleware> middleware) {
        this(settings, middleware, new MessageCodec());
    }

    /**
     * As {@link #SupabaseBroker(SupabaseBrokerSettings, List)}, with another encoder than {@link MessageCodec}. pgmq
     * stores messages as jsonb: the encoder must write one UTF-8 JSON object, or enqueue fails with an
     * {@link IllegalArgumentException}; encoders of other formats work with {@link StubBroker} only.
     */
    public SupabaseBroker(SupabaseBrokerSettings settings, List<? extends Middleware> middleware,
                          MessageEncoder encoder) {
        super(middleware);
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.settings = settings;
        this.dataSource = ConnectionPools.open(settings,
                "supaqueue-" + (settings.namespace().isEmpty() ? "default" : settings.namespace()));
        this.client = new PgmqClient(dataSource);
        this.publicClient = new PgmqPublicClient(dataSource);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "supaqueue-heartbeat-" + settings.namespace());
            thread.setDaemon(true);
            return thread;
        });
        long heartbeatMillis = settings.visibilityTimeout().toMillis() / 3;
        maintenance.scheduleWithFixedDelay(this::heartbeat, heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
        maintenance.scheduleWithFixedDelay(this::purgeExpiredDeadLettersQuietly, 1, 60, TimeUnit.MINUTES);
    }

    /**
     * A broker from a connection URI (as the Supabase dashboard shows it) with the other settings at defaults, and
     * the default middleware.
     */
    public static SupabaseBroker fromUri(String uri) {
        return fromUri(uri, null);
    }

    /**
     * A broker from a connection URI (as the Supabase dashboard shows it) with the other settings at defaults, and
     * this middleware ({@code null} for the defaults, an empty list for none).
     */
    public static SupabaseBroker fromUri(String uri, List<? extends Middleware> middleware) {
        return new SupabaseBroker(SupabaseBrokerSettings.builder().uri(uri).build(), middleware);
    }

    public SupabaseBrokerSettings settings() {
        return settings;
    }

    /**
     * The broker's connection pool, for components that keep their own tables in the same database (such as the
     * PostgreSQL result backend). Closed with the broker; callers must return every connection they borrow.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The typed pgmq client this broker uses (also for inspection: metrics, queue lists). */
    public PgmqClient client() {
        return client;
    }

    /** How this broker encodes and decodes messages. */
    public MessageEncoder encoder() {
        return encoder;
    }

    /**
     * The message as the JSON text pgmq stores.
     *
     * @throws IllegalArgumentException if the message cannot be encoded, or a custom encoder's output is not one
     *                                  UTF-8 JSON object that jsonb accepts
     */
    String encode(Message message) {
        if (encoder instanceof MessageCodec codec) {
            // Its output is JSON by construction: no need to check it.
            return codec.encode(message);
        }
        byte[] bytes = encoder.encodeBytes(message);
        String problem = bytes == null ? "null instead of bytes" : null;
        String text = null;
        if (problem == null) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                problem = jsonObjectProblem(text);
            } catch (CharacterCodingException e) {
                problem = "bytes that are not UTF-8 text";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("Cannot enqueue message " + message.messageId() + " of actor '"
                    + message.actorName() + "' on queue '" + message.queueName() + "': the encoder "
                    + encoder.getClass().getName() + " produced " + problem + ". pgmq stores messages as jsonb,"
                    + " so use a JSON-producing encoder with SupabaseBroker; non-JSON encoders work with StubBroker"
                    + " only.");
        }
        return text;
    }

    /** Why jsonb would not store this text as one JSON object, or null if it would. */
    private static String jsonObjectProblem(String text) {
        try (JsonParser parser = CHECK_JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return "text that is not a JSON object";
            }
            // Walk the whole object: jsonb refuses the NUL character, which JSON allows (escaped).
            for (JsonToken token = parser.nextToken(); !(token == JsonToken.END_OBJECT
                    && parser.getParsingContext().inRoot()); token = parser.nextToken()) {
                if ((token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING)
                        && parser.getText().indexOf('\0') >= 0) {
                    return "JSON with a NUL character (\\u0000), which jsonb refuses";
                }
            }
            if (parser.nextToken() != null) {
                return "text with extra data after the JSON object";
            }
            return null;
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return "text that is not valid JSON (" + detail + ")";
        }
    }

    /**
     * The message in a pgmq payload, read by the encoder.
     *
     * @throws MessageDecodeException if the encoder cannot read it (also when a custom encoder fails otherwise)
     */
    Message decode(String payload) {
        if (encoder instanceof MessageCodec codec) {
            return codec.decode(payload);
        }
        try {
            return encoder.decode(payload.getBytes(StandardCharsets.UTF_8));
        } catch (MessageDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            // A custom encoder that breaks its contract must not stop the consumer: the body is dead-lettered.
            throw new MessageDecodeException(encoder.getClass().getName() + " failed: " + e, payload, e);
        }
    }

    /** The pgmq queue that holds a Dramatiq queue's messages. */
    public String pgmqQueue(String queueName) {
        String known = pgmqNames.get(queueName);
        if (known != null) {
            return known;
        }
        String name = QueueNames.pgmqName(settings.namespace(), queueName);
        // Every send asks; a few queue names are the norm, so the cache is only bounded against misuse.
        if (pgmqNames.size() < MAX_CACHED_NAMES) {
            pgmqNames.put(queueName, name);
        }
        return name;
    }

    /** The pgmq queue that holds a Dramatiq queue's dead letters. */
    public String deadLetterQueue(String queueName) {
        return QueueNames.deadLetterName(settings.namespace(), queueName);
    }

    // Queues //

    private boolean producerOnly() {
        return settings.apiSurface() == SupabaseBrokerSettings.ApiSurface.PGMQ_PUBLIC;
    }

    @Override
    protected void createQueue(String queueName) {
        String pgmqQueue = pgmqQueue(queueName);
        if (producerOnly()) {
            // pgmq_public cannot create queues: they are made by a role with rights on pgmq (or in the dashboard).
            return;
        }
        try {
            client.createQueue(pgmqQueue);
            client.createQueue(deadLetterQueue(queueName));
        } catch (PgmqException e) {
            throw translate("declare queue " + pgmqQueue, e);
        }
        if (settings.listenAllowed() && client.supports(PgmqFeature.NOTIFY_INSERT)) {
            try {
                if (!client.notifyInsertEnabled(pgmqQueue)) {
                    client.enableNotifyInsert(pgmqQueue);
                }
            } catch (RuntimeException e) {
                // Polling still works; notifications only make it faster.
                log.warn("Could not enable insert notifications on {} ({}); consumers will poll", pgmqQueue,
                        e.getMessage());
            }
        }
    }

    /** Queues may have been declared by other processes, so enqueueing declares what this broker has not. */
    @Override
    protected void prepareQueueForEnqueue(String queueName) {
        if (!isDeclared(queueName)) {
            declareQueue(queueName);
        }
    }

    @Override
    protected Message store(Message message, Duration delay) {
        String json = encode(message);
        String pgmqQueue = pgmqQueue(message.queueName());
        withEnqueueAttempts("message " + message.messageId() + " on " + pgmqQueue, pgmqQueue, () -> {
            if (producerOnly()) {
                publicClient.send(pgmqQueue, json, delay);
            } else {
                client.send(pgmqQueue, json, delay);
            }
        });
        return message;
    }

    /**
     * One transaction of {@code pgmq.send_batch} calls (one per queue and chunk): all of the batch is stored or none.
     * {@code pgmq_public} has no batch wrapper, so a producer-only broker sends one by one.
     */
    @Override
    protected List<Message> storeAll(List<Message> messages, Duration delay) {
        if (producerOnly()) {
            return super.storeAll(messages, delay);
        }
        Map<String, List<String>> byQueue = new LinkedHashMap<>();
        for (Message message : messages) {
            byQueue.computeIfAbsent(pgmqQueue(message.queueName()), queue -> new ArrayList<>()).add(encode(message));
        }
        String where = String.join(", ", byQueue.keySet());
        if (byQueue.size() == 1 && messages.size() <= SEND_BATCH_CHUNK) {
            // One statement is atomic by itself: no transaction round trips.
            withEnqueueAttempts(messages.size() + " messages on " + where, where,
                    () -> client.sendBatch(where, byQueue.get(where), null, delay));
            return messages;
        }
        withEnqueueAttempts(messages.size() + " messages on " + where, where, () -> client.inTransaction(session -> {
            for (Map.Entry<String, List<String>> queue : byQueue.entrySet()) {
                List<String> payloads = queue.getValue();
                for (int from = 0; from < payloads.size(); from += SEND_BATCH_CHUNK) {
                    List<String> chunk = payloads.subList(from, Math.min(payloads.size(), from + SEND_BATCH_CHUNK));
                    session.sendBatch(queue.getKey(), chunk, null, delay);
                }
            }
            return null;
        }));
        return messages;
    }

    /** Runs an enqueue, tried again (with a growing pause) while the database cannot be reached. */
    private void withEnqueueAttempts(String what, String pgmqQueue, Runnable enqueue) {
        PgmqException last = null;
        for (int attempt = 1; attempt <= settings.enqueueAttempts(); attempt++) {
            try {
                enqueue.run();
                return;
            } catch (PgmqException e) {
                if (!e.isConnectionFailure()) {
                    throw translate("enqueue on " + pgmqQueue, e);
                }
                last = e;
                log.warn("Enqueue on {} failed (attempt {} of {}): {}", pgmqQueue, attempt,
                        settings.enqueueAttempts(), e.getMessage());
                sleepQuietly(100L << Math.min(attempt, 6));
            }
        }
        throw new BrokerConnectionException("Could not enqueue " + what + " after " + settings.enqueueAttempts()
                + " attempts: the database is unreachable (" + last.getMessage() + ")", last);
    }

    // Consuming //

    @Override
    public Consumer consume(String queueName, int prefetch, Duration timeout) {
        if (producerOnly()) {
            throw new UnsupportedOperationException("This broker only produces (api surface pgmq_public): the"
                    + " wrappers cannot extend visibility or dead-letter, so consume with a role that may use the"
                    + " pgmq schema");
        }
        if (!isDeclared(queueName)) {
            throw new QueueNotFoundException(queueName);
        }
        QueueWakeup wakeup = wakeups.computeIfAbsent(queueName, name -> new QueueWakeup());
        PgmqConsumer consumer = new PgmqConsumer(this, queueName, prefetch, timeout, wakeup);
        consumers.add(consumer);
        if (settings.listenAllowed() && client.supports(PgmqFeature.NOTIFY_INSERT)) {
            listener().register(pgmqQueue(queueName), wakeup);
        }
        return consumer;
    }

    private synchronized NotificationListener listener() {
        if (listener == null) {
            listener = new NotificationListener(this::listenConnection, settings.namespace());
        }
        return listener;
    }

    /** LISTEN holds its connection for good, so it gets its own instead of one from the pool. */
    private Connection listenConnection() {
        Properties properties = new Properties();
        ConnectionPools.driverProperties(settings).forEach(properties::setProperty);
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), properties);
        } catch (SQLException e) {
            throw new BrokerConnectionException("Could not open the LISTEN connection: " + e.getMessage(), e);
        }
    }

    void forget(PgmqConsumer consumer) {
        consumers.remove(consumer);
    }

    /** Every vt/3: pushes out the visibility of everything in flight, so live work is never redelivered. */
    private void heartbeat() {
        for (PgmqConsumer consumer : consumers) {
            List<Long> ids = consumer.inFlightIds();
            if (ids.isEmpty()) {
                continue;
            }
            try {
                client.setVt(consumer.pgmqQueue(), ids, settings.visibilityTimeoutSeconds());
            } catch (RuntimeException e) {
                log.warn("Heartbeat for {} messages on {} failed ({}); they reappear after {} s unless the next"
                        + " heartbeat succeeds", ids.size(), consumer.pgmqQueue(), e.getMessage(),
                        settings.visibilityTimeoutSeconds());
            }
        }
    }

    /** Ack: delete or archive, retried while the connection is down and the message is still ours. */
    void settle(String queueName, long msgId) {
        String pgmqQueue = pgmqQueue(queueName);
        retryUntilVisibilityLapses("ack of message " + msgId + " on " + pgmqQueue, () -> {
            if (settings.ackMode() == SupabaseBrokerSettings.AckMode.ARCHIVE) {
                client.archive(pgmqQueue, msgId);
            } else {
                client.delete(pgmqQueue, msgId);
            }
        });
    }

    /** Nack: the message, with its reason, goes to the dead-letter queue and leaves its queue in one transaction. */
    void deadLetter(String queueName, MessageProxy proxy) {
        String pgmqQueue = pgmqQueue(queueName);
        String deadLetters = deadLetterQueue(queueName);
        String reason = reason(proxy);
        Map<String, Object> marks = new LinkedHashMap<>();
        marks.put(REASON_OPTION, reason);
        marks.put(DEAD_LETTERED_AT_OPTION, System.currentTimeMillis());
        String json = encode(proxy.message().withOptions(marks));
        String headers = client.supports(PgmqFeature.HEADERS) ? reasonHeaders(reason) : null;
        retryUntilVisibilityLapses("dead-lettering message " + proxy.deliveryId() + " on " + pgmqQueue,
                () -> client.inTransaction(session -> {
                    session.send(deadLetters, json, headers, Duration.ZERO);
                    session.delete(pgmqQueue, proxy.deliveryId());
                    return null;
                }));
        log.info("Message {} ({}) moved to {}: {}", proxy.messageId(), proxy.actorName(), deadLetters, reason);
    }

    /** A payload that is not a Dramatiq message is kept as it is, with the decode error as the reason. */
    void deadLetterUndecodable(String queueName, PgmqMessage row, String reason) {
        String pgmqQueue = pgmqQueue(queueName);
        String deadLetters = deadLetterQueue(queueName);
        boolean headers = client.supports(PgmqFeature.HEADERS);
        // Before pgmq 1.5 there are no headers: the reason travels in an envelope around the payload.
        // pgmq.send accepts SQL NULL as a body: it is kept as JSON null.
        String payload = row.message() == null ? "null" : row.message();
        String json = headers ? payload : undecodableEnvelope(payload, reason);
        retryUntilVisibilityLapses("dead-lettering undecodable message " + row.msgId() + " on " + pgmqQueue,
                () -> client.inTransaction(session -> {
                    session.send(deadLetters, json, headers ? reasonHeaders(reason) : null, Duration.ZERO);
                    session.delete(pgmqQueue, row.msgId());
                    return null;
                }));
    }

    /** Requeue: visible again at once. */
    void makeVisible(String queueName, Collection<Long> msgIds) {
        if (msgIds.isEmpty()) {
            return;
        }
        try {
            client.setVt(pgmqQueue(queueName), msgIds, 0);
        } catch (RuntimeException e) {
            log.warn("Could not give {} messages back to {} ({}); they reappear after the visibility timeout",
                    msgIds.size(), pgmqQueue(queueName), e.getMessage());
        }
    }

    private static String reason(MessageProxy proxy) {
        Throwable exception = proxy.exception();
        if (exception == null) {
            return "failed";
        }
        String message = exception.getMessage();
        return exception.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static String reasonHeaders(String reason) {
        return jsonObject(Map.of(REASON_HEADER, reason));
    }

    private static String undecodableEnvelope(String payload, String reason) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        try {
            envelope.put("undecodable_message", PAYLOAD_JSON.readTree(payload));
        } catch (JsonProcessingException e) {
            // Beyond even the payload limits (e.g. nested deeper than the codec reads): kept as text, never lost.
            envelope.put("undecodable_message", payload);
        }
        envelope.put(REASON_OPTION, reason);
        return jsonObject(envelope);
    }

    /** jsonb refuses NUL characters, so a reason that carries one (from an exception message) loses it. */
    private static String jsonObject(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields).replace("\\u0000", "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render " + fields.keySet() + " as JSON", e);
        }
    }

    private void retryUntilVisibilityLapses(String what, Runnable action) {
        long deadline = System.nanoTime() + settings.visibilityTimeout().toNanos();
        long backoff = 100;
        while (true) {
            try {
                action.run();
                return;
            } catch (PgmqException e) {
                if (!e.isConnectionFailure() || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    // At-least-once: the message reappears after its visibility timeout and runs again.
                    log.error("Giving up on {} ({}); the message will be delivered again", what, e.getMessage());
                    throw translate(what, e);
                }
                log.warn("{} failed ({}); retrying in {} ms", what, e.getMessage(), backoff);
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    BrokerException translate(String what, PgmqException e) {
        if (e.isConnectionFailure()) {
            return new BrokerConnectionException(what + " failed: the database is unreachable (" + e.getMessage() + ")",
                    e);
        }
        return new BrokerException(what + " failed: " + e.getMessage(), e);
    }

    // Maintenance //

    @Override
    public void flush(String queueName) {
        client.purgeQueue(pgmqQueue(queueName));
    }

    @Override
    public void flushAll() {
        for (String queue : declaredQueues()) {
            client.purgeQueue(pgmqQueue(queue));
            client.purgeQueue(deadLetterQueue(queue));
        }
    }

    /** The number of messages (ready, delayed and in flight) in a queue; counts every row, so it costs a scan. */
    public long queueLength(String queueName) {
        return client.metrics(pgmqQueue(queueName)).queueLength();
    }

    /** The number of dead letters of a queue. */
    public long deadLetterCount(String queueName) {
        return client.metrics(deadLetterQueue(queueName)).queueLength();
    }

    /**
     * Waits until the queue has no message left, counting delayed and in-flight ones; it must be seen empty
     * three times in a row, so that a message between a read and its retry's enqueue is not missed.
     */
    @Override
    public void join(String queueName, Duration timeout) throws InterruptedException {
        if (!isDeclared(queueName)) {
            throw new QueueNotFoundException(queueName);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int emptyInARow = 0;
        while (emptyInARow < 3) {
            emptyInARow = queueLength(queueName) == 0 ? emptyInARow + 1 : 0;
            if (emptyInARow < 3) {
                if (System.nanoTime() > deadline) {
                    throw new QueueJoinTimeoutException(queueName, timeout);
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * Deletes dead letters older than the retention from every declared queue's dead-letter queue; returns how
     * many. Runs hourly on its own.
     */
    public long purgeExpiredDeadLetters() {
        long purged = 0;
        for (String queue : declaredQueues()) {
            purged += purgeOlderThan(deadLetterQueue(queue), settings.deadLetterRetention());
        }
        return purged;
    }

    private void purgeExpiredDeadLettersQuietly() {
        try {
            long purged = purgeExpiredDeadLetters();
            if (purged > 0) {
                log.info("Purged {} dead letters older than {}", purged, settings.deadLetterRetention());
            }
        } catch (RuntimeException e) {
            log.warn("Purging expired dead letters failed: {}", e.getMessage());
        }
    }

    /**
     * pgmq has no delete-by-age function, so the statement names the queue table; the server builds its text
     * with {@code format('%I')} from the validated queue name, and the age is a bound parameter.
     */
    private long purgeOlderThan(String pgmqQueue, Duration age) {
        try (Connection connection = dataSource.getConnection()) {
            String sql;
            // The ? inside the literal is not a parameter here; it becomes the placeholder of the DELETE.
            try (PreparedStatement build = connection.prepareStatement(
                    "SELECT format('DELETE FROM pgmq.%I WHERE enqueued_at < now() - ?::interval', 'q_' || ?::text)")) {
                build.setString(1, PgmqQueueName.validate(pgmqQueue));
                try (ResultSet row = build.executeQuery()) {
                    row.next();
                    sql = row.getString(1);
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setString(1, age.toSeconds() + " seconds");
                return delete.executeUpdate();
            }
        } catch (SQLException e) {
            throw new BrokerException("Purging old dead letters of " + pgmqQueue + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops the heartbeat and the listener, gives buffered messages back and closes the pool. */
    @Override
    public void close() {
        for (PgmqConsumer consumer : List.copyOf(consumers)) {
            try {
                consumer.close();
            } catch (RuntimeException e) {
                log.warn("Closing the consumer of {} failed: {}", consumer.queueName(), e.getMessage());
            }
        }
        maintenance.shutdownNow();
        NotificationListener current = listener;
        if (current != null) {
            current.close();
        }
        dataSource.close();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SupabaseBroker[" + settings + "]";
    }
}
