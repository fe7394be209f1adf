package dev.supaqueue.reliability;

import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every scenario makes and removes: a namespace of its own, the executions table, the queue (declared through a
 * producer broker in this JVM), the observer connection, and the worker processes it started.
 */
final class ScenarioSetup implements AutoCloseable {

    final ScenarioDatabase database;
    final String namespace;
    final ExecutionsTable table;
    final QueueProbe queue;
    final SupabaseBroker producer;
    final Observer observer;
    final Path logDirectory;
    final List<WorkerProcess> processes = new ArrayList<>();
    private final MessageCodec codec = new MessageCodec();

    ScenarioSetup(ScenarioDatabase database, String prefix, Duration visibilityTimeout, Path logDirectory)
            throws SQLException {
        this.database = database;
        this.namespace = prefix + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 35), 36);
        this.table = ExecutionsTable.create(database, namespace + "_executions");
        this.queue = new QueueProbe(namespace);
        this.producer = new SupabaseBroker(database.brokerSettings(namespace, visibilityTimeout).build(), List.of());
        producer.declareQueue(RecordingActors.QUEUE);
        this.observer = new Observer(database, Duration.ofSeconds(90));
        this.logDirectory = logDirectory;
    }

    static Message message(String key, long sleepMillis) {
        return Message.create(RecordingActors.QUEUE, RecordingActors.ACTOR, List.of(key, sleepMillis), Map.of(),
                Map.of());
    }

    /** Sends many messages quickly: pgmq.send_batch in chunks of 500. */
    void sendBatch(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 500) {
            List<String> json = messages.subList(from, Math.min(messages.size(), from + 500)).stream()
                    .map(codec::encode).toList();
            producer.client().sendBatch(queue.queue(), json);
        }
    }

    WorkerProcess.Spec workerSpec(Duration visibilityTimeout, int threads, Integer prefetch,
                                  Duration shutdownTimeout) {
        return new WorkerProcess.Spec(database, namespace, table.name(), visibilityTimeout, threads, prefetch,
                shutdownTimeout, logDirectory);
    }

    WorkerProcess startWorker(WorkerProcess.Spec spec, String label) throws java.io.IOException {
        WorkerProcess process = WorkerProcess.start(spec, label);
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    long queueLength() throws SQLException, InterruptedException {
        return observer.query(queue::length);
    }

    long deadLetters() throws SQLException, InterruptedException {
        return observer.query(queue::deadLetters);
    }

    long distinctExecuted() throws SQLException, InterruptedException {
        return observer.query(table::distinctKeys);
    }

    /** Kills what is still running, drops the queues and the table. */
    @Override
    public void close() {
        synchronized (processes) {
            for (WorkerProcess process : processes) {
                try {
                    process.stop(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            producer.client().dropQueue(queue.queue());
            producer.client().dropQueue(producer.deadLetterQueue(RecordingActors.QUEUE));
        } catch (RuntimeException e) {
            System.err.println("Could not drop the queues of " + namespace + ": " + e.getMessage());
        }
        producer.close();
        observer.close();
        try {
            table.drop();
        } catch (SQLException e) {
            System.err.println("Could not drop " + table.name() + ": " + e.getMessage());
        }
    }
}
