package dev.supaqueue.benchmarks;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * The raw-pgmq baseline: pgbench calling pgmq's functions directly, one statement per message (or per batch), on
 * a queue of its own with the same message shape as the library's.
 */
final class RawPgmqLoad {

    static final String QUEUE = "bench_raw";

    private static final String SEND = "\\set n random(1, 1000000000)\n"
            + "SELECT pgmq.send(:queue, " + DramatiqShape.PGBENCH_MESSAGE + ");\n";

    private static final String SEND_BATCH_100 = "\\set n random(1, 1000000000)\n"
            + "SELECT count(*) FROM pgmq.send_batch(:queue, ARRAY(SELECT "
            + DramatiqShape.PGBENCH_MESSAGE.replace(":n", "g")
            + " FROM generate_series(:n::integer, :n::integer + 99) AS g));\n";

    private static final String READ_DELETE = """
            SELECT msg_id FROM pgmq.read(:queue, 30, 1) \\gset
            SELECT pgmq.delete(:queue, :msg_id::bigint);
            """;

    private static final String READ_100_DELETE = """
            SELECT array_agg(msg_id) AS ids FROM pgmq.read(:queue, 30, 100) \\gset
            SELECT pgmq.delete(:queue, :ids::bigint[]);
            """;

    private final Pgbench pgbench;
    private final BenchQueues queues;

    RawPgmqLoad(Pgbench pgbench, BenchQueues queues) {
        this.pgbench = pgbench;
        this.queues = queues;
    }

    /**
     * Creates the queue as Supaqueue declares its own: with pgmq's insert notifications where pgmq has them (the
     * trigger costs every insert some work, so a fair baseline pays it too).
     */
    void prepare(boolean insertNotifications) throws SQLException {
        queues.drop(QUEUE);
        queues.create(QUEUE);
        notifications(insertNotifications);
    }

    /** Switches the queue's insert notifications on or off. */
    void notifications(boolean on) throws SQLException {
        queues.notifyInsert(QUEUE, on);
    }

    /** {@code pgmq.send} of one message per transaction: messages per second. */
    Rate send(int clients, int messages) throws IOException, InterruptedException, SQLException {
        queues.reset(QUEUE);
        return Rate.of(run("send", SEND, clients, messages / clients), 1);
    }

    /** {@code pgmq.send_batch} of 100 per transaction: messages per second. */
    Rate sendBatch100(int clients, int messages) throws IOException, InterruptedException, SQLException {
        queues.reset(QUEUE);
        return Rate.of(run("send_batch_100", SEND_BATCH_100, clients, messages / 100 / clients), 100);
    }

    /** {@code pgmq.read} of one message, then {@code pgmq.delete} of it: messages per second. */
    Rate readDelete(int clients, int messages) throws IOException, InterruptedException, SQLException {
        prefill(messages);
        return Rate.of(run("read_delete", READ_DELETE, clients, messages / clients), 1);
    }

    /** {@code pgmq.read} of 100, then {@code pgmq.delete} of the id array: messages per second. */
    Rate read100Delete(int clients, int messages) throws IOException, InterruptedException, SQLException {
        prefill(messages);
        return Rate.of(run("read_100_delete", READ_100_DELETE, clients, messages / 100 / clients), 100);
    }

    private void prefill(int messages) throws SQLException {
        queues.reset(QUEUE);
        // A margin, so that no client finds only rows the others hold locked on the last reads.
        queues.fill(QUEUE, messages + 1_000);
    }

    private Pgbench.Result run(String name, String script, int clients, long perClient)
            throws IOException, InterruptedException {
        return pgbench.run(name, script, Map.of("queue", QUEUE), clients, Math.max(1, perClient));
    }
}
