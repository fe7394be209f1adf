package dev.supaqueue.benchmarks;

import dev.supaqueue.benchmarks.Benchmarks.BenchOptions;
import dev.supaqueue.pgmq.PgmqFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Supaqueue against raw pgmq on the same server, the same queue layout and the same message shape: pgbench's
 * figures for pgmq's functions called directly, the library's figures for the same work through actors, batches
 * and workers, and their ratio. Run one after the other, pair by pair, so that both sides of a ratio see the
 * same machine state.
 */
final class ThroughputBenchmark {

    private static final int[] CLIENTS = {1, 4, 8};

    private final BenchOptions options;

    ThroughputBenchmark(BenchOptions options) {
        this.options = options;
    }

    void run() throws Exception {
        try (BenchDatabase database = BenchDatabase.open(options.jdbcUrl(), 4)) {
            Pgbench pgbench = Pgbench.find(database.jdbcUrl());
            BenchQueues queues = new BenchQueues(database.dataSource());
            RawPgmqLoad raw = new RawPgmqLoad(pgbench, queues);
            LibraryLoad library = new LibraryLoad(database.jdbcUrl(), queues);
            String machine = String.format(Locale.ROOT, "%s; pgmq: %s; %s; %s; %d cores; Java %s",
                    Instant.now(), database.pgmq().describe(), database.serverVersion(), pgbench.version(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.printf("Database: %s%n%s%n", database.describe(), machine);
            boolean notifications = database.pgmq().supports(PgmqFeature.NOTIFY_INSERT);
            raw.prepare(notifications);
            library.prepare();

            ResultTable throughput = new ResultTable("work", "clients / threads", "raw pgmq msg/s",
                    "Supaqueue msg/s", "ratio", "target", "raw client CPU µs/msg", "Supaqueue client CPU µs/msg");
            int sends = options.sendMessages();
            if (options.runs("send")) {
                for (int clients : CLIENTS) {
                    Rate rawRate = progress("pgbench pgmq.send, " + clients + " clients", raw.send(clients, sends));
                    Rate ours = progress("Actor.send, " + clients + " threads", library.send(clients, sends));
                    add(throughput, "send one message (pgmq.send vs Actor.send)", clients, rawRate, ours,
                            clients == 8 ? "≥ 0.80" : "");
                }
            }
            if (options.runs("send")) {
                Rate jdbc = progress("pgjdbc + HikariCP pgmq.send, 8 threads", library.jdbcSend(8, sends));
                throughput.add("(profile) pgmq.send through pgjdbc + HikariCP, no Supaqueue", 8, "",
                        jdbc.perSecond(), "", "", "", jdbc.clientCpuMicros());
            }
            if (options.runs("batch")) {
                for (int clients : new int[] {1, 4}) {
                    // Batches go 20 times faster: 5 times the messages, so that the run lasts long enough.
                    Rate rawBatch = progress("pgbench pgmq.send_batch(100), " + clients + " clients",
                            raw.sendBatch100(clients, sends * 5));
                    Rate ourBatch = progress("Broker.enqueueAll(100), " + clients + " threads",
                            library.batch100(clients, sends * 5));
                    add(throughput, "send a batch of 100 (send_batch vs enqueueAll)", clients, rawBatch, ourBatch,
                            "≥ 0.80");
                }
            }
            if (notifications && (options.runs("send") || options.runs("batch"))) {
                // For reference: what the insert-notification trigger costs raw pgmq.
                raw.notifications(false);
                if (options.runs("send")) {
                    Rate plain = progress("pgbench pgmq.send, 8 clients, no notifications", raw.send(8, sends));
                    throughput.add("(reference) raw send, queue without insert notifications", 8, plain.perSecond(),
                            "", "", "", plain.clientCpuMicros(), "");
                }
                if (options.runs("batch")) {
                    Rate plain = progress("pgbench pgmq.send_batch(100), 1 client, no notifications",
                            raw.sendBatch100(1, sends * 5));
                    throughput.add("(reference) raw send_batch, queue without insert notifications", 1,
                            plain.perSecond(), "", "", "", plain.clientCpuMicros(), "");
                }
                raw.notifications(true);
            }
            int drain = options.drainMessages();
            if (options.runs("consume")) {
                for (int clients : CLIENTS) {
                    Rate rawRate = progress("pgbench read 1 + delete, " + clients + " clients",
                            raw.readDelete(clients, drain));
                    Rate ours = progress("Worker drain, " + clients + " threads",
                            library.drain(clients, drain, false).rate());
                    add(throughput, "consume (read 1 + delete vs Worker, no-op actor, " + drain + " queued)",
                            clients, rawRate, ours, clients == 8 ? "≥ 1.5 (never < 1.0)" : "");
                }
                Rate rawRead100 = progress("pgbench read 100 + delete ids, 1 client", raw.read100Delete(1, drain));
                throughput.add("consume in batches of 100 (raw read 100 + delete ids) — for reference", 1,
                        rawRead100.perSecond(), "", "", "", rawRead100.clientCpuMicros(), "");
            }

            ResultTable latency = new ResultTable("enqueue to start, idle worker", "samples", "p50 ms", "p90 ms",
                    "p99 ms", "max ms", "target");
            if (options.runs("latency")) {
                Duration poll = Duration.ofMillis(options.pollIntervalMillis());
                LibraryLoad.Latency listen = library.latency(true, poll, options.latencySamples());
                addLatency(latency, listen.listening() ? "LISTEN/NOTIFY"
                        : "LISTEN asked for, but this pgmq has no insert notifications: polled", listen.timings(),
                        "p50 ≤ 50");
                LibraryLoad.Latency polling = library.latency(false, poll, options.latencySamples());
                addLatency(latency, "polling, max poll interval " + poll.toMillis() + " ms", polling.timings(),
                        "p50 ≤ " + (poll.toMillis() + 20));
            }

            ResultTable memory = options.runs("memory") ? memory(library)
                    : new ResultTable("drain", "(not run: --only)");

            String preamble = "# Throughput: Supaqueue against raw pgmq\n\n" + machine + "\n\n"
                    + "Messages per second (more is better); ratio = Supaqueue / raw pgmq. Both queues "
                    + (notifications ? "have" : "lack") + " pgmq's insert notifications, as Supaqueue declares them"
                    + " by default where pgmq offers them.\n";
            String text = throughput.markdown() + "\n" + latency.markdown() + "\n" + memory.markdown();
            System.out.println();
            System.out.print(preamble);
            System.out.println();
            System.out.print(text);
            throughput.write(options.out(), "throughput", preamble);
            latency.write(options.out(), "latency", "# Enqueue-to-start latency\n\n" + machine + "\n");
            memory.write(options.out(), "memory", "# Worker heap while draining\n\n" + machine + "\n");
            System.out.println("\nWritten to " + options.out().toAbsolutePath() + ": throughput, latency, memory"
                    + " (.md and .csv)");
            if (!options.keep()) {
                queues.drop(RawPgmqLoad.QUEUE);
                library.cleanUp();
            }
        }
    }

    /** Drains a large queue while sampling the heap: the live set must not grow with the messages processed. */
    private ResultTable memory(LibraryLoad library) throws Exception {
        int messages = options.memoryMessages();
        LibraryLoad.Drain drain = library.drain(8, messages, true);
        List<HeapSampler.Sample> heap = drain.heap();
        // Compare the live set (heap after the latest GC) early in the drain with late in it.
        int tenth = Math.max(1, heap.size() / 10);
        double early = meanAfterGc(heap.subList(Math.min(tenth, heap.size() - 1), Math.min(2 * tenth, heap.size())));
        double late = meanAfterGc(heap.subList(Math.max(0, heap.size() - tenth), heap.size()));
        long maxUsed = heap.stream().mapToLong(HeapSampler.Sample::used).max().orElse(0);
        ResultTable table = new ResultTable("drain", "messages", "msg/s", "samples", "live heap early MiB",
                "live heap late MiB", "growth", "max heap in use MiB");
        table.add("Worker, 8 threads, default prefetch", messages, drain.rate().perSecond(), heap.size(),
                early / 1048576.0, late / 1048576.0, String.format(Locale.ROOT, "%+.1f%%", (late - early) / early * 100),
                maxUsed / 1048576.0);
        progress("Worker drain of " + messages + " with heap samples", drain.rate());
        return table;
    }

    private static double meanAfterGc(List<HeapSampler.Sample> samples) {
        return samples.stream().mapToLong(HeapSampler.Sample::afterGc).average().orElse(Double.NaN);
    }

    private static void addLatency(ResultTable table, String mode, Timings timings, String target) {
        table.add(mode, timings.count(), timings.percentileMillis(50), timings.percentileMillis(90),
                timings.percentileMillis(99), timings.maxMillis(), target);
        System.out.printf(Locale.ROOT, "%-55s p50 %.1f ms, p99 %.1f ms%n", "enqueue to start, " + mode,
                timings.percentileMillis(50), timings.percentileMillis(99));
    }

    private static String ratio(double ours, double raw) {
        return String.format(Locale.ROOT, "%.2f", ours / raw);
    }

    private static Rate progress(String what, Rate rate) {
        System.out.printf(Locale.ROOT, "%-55s %10.0f msg/s  client CPU %6.1f µs/msg%n", what, rate.perSecond(),
                rate.clientCpuMicros());
        return rate;
    }

    private static void add(ResultTable table, String work, int clients, Rate raw, Rate ours, String target) {
        table.add(work, clients, raw.perSecond(), ours.perSecond(), ratio(ours.perSecond(), raw.perSecond()), target,
                raw.clientCpuMicros(), ours.clientCpuMicros());
    }
}
