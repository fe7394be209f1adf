package dev.supaqueue.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one benchmark against a real PostgreSQL with pgmq and prints its table (also written as Markdown and CSV).
 * Benchmarks report figures; they never pass or fail on time.
 *
 * <pre>
 *   ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args="all|throughput|admin [options]"
 * </pre>
 */
public final class Benchmarks {

    static final String USAGE = """
            Usage: Benchmarks all|throughput|admin [options]
              all          throughput, then admin: every table of docs/BENCHMARKS.md in one run
              throughput   Supaqueue against raw pgmq (pgbench) on the same server: sends, batches, workers,
                           enqueue-to-start latency, worker heap while draining
              admin        the admin API: queue list and message pages on a large queue
              --jdbc-url   the database (default: $SUPAQUEUE_BENCH_JDBC_URL, else the local server's database
                           supaqueue_bench, created when missing); pgmq or the development schema is installed if absent
              --send-messages N     messages per send measurement (default 30000)
              --drain-messages N    messages pre-filled for each consume measurement (default 100000)
              --memory-messages N   messages drained while the heap is sampled (default 1000000)
              --latency-samples N   single messages timed from enqueue to start, per mode (default 100)
              --poll-interval-ms N  the broker's max poll interval for the polling latency (default 250)
              --only PARTS          throughput: only these of send,batch,consume,latency,memory (default all)
              --messages   admin: messages in the large queue (default 1000000)
              --queues     admin: small queues for the queue-list figure (default 200)
              --runs       admin: timed repetitions of each operation (default 30)
              --out        where the Markdown and CSV tables go (default target/benchmark-results)
              --keep       keep the benchmark's queues afterwards (a later run with the same sizes reuses them)
            """;

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        String which = rest.remove(0);
        BenchOptions options;
        try {
            options = BenchOptions.parse(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        switch (which) {
            case "all" -> {
                new ThroughputBenchmark(options).run();
                new AdminBenchmark(options).run();
            }
            case "throughput" -> new ThroughputBenchmark(options).run();
            case "admin" -> new AdminBenchmark(options).run();
            default -> {
                System.err.println("Unknown benchmark \"" + which + "\"");
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    /** Command-line options shared by the benchmarks. */
    record BenchOptions(String jdbcUrl, int messages, int queues, int runs, Path out, boolean keep, int sendMessages,
                        int drainMessages, int memoryMessages, int latencySamples, int pollIntervalMillis,
                        java.util.Set<String> only) {

        static final java.util.Set<String> PARTS = java.util.Set.of("send", "batch", "consume", "latency", "memory");

        /** Whether the throughput benchmark runs this part (all of them unless --only names some). */
        boolean runs(String part) {
            return only.isEmpty() || only.contains(part);
        }

        static BenchOptions parse(List<String> args) {
            String jdbcUrl = System.getenv("SUPAQUEUE_BENCH_JDBC_URL");
            int messages = 1_000_000;
            int queues = 200;
            int runs = 30;
            Path out = Path.of("target", "benchmark-results");
            boolean keep = false;
            int sendMessages = 30_000;
            int drainMessages = 100_000;
            int memoryMessages = 1_000_000;
            int latencySamples = 100;
            int pollIntervalMillis = 250;
            java.util.Set<String> only = new java.util.LinkedHashSet<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--jdbc-url" -> jdbcUrl = value(args, ++i, arg);
                    case "--messages" -> messages = positive(value(args, ++i, arg), arg);
                    case "--queues" -> queues = positive(value(args, ++i, arg), arg);
                    case "--runs" -> runs = positive(value(args, ++i, arg), arg);
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--keep" -> keep = true;
                    case "--send-messages" -> sendMessages = atLeast(value(args, ++i, arg), arg, 800);
                    case "--drain-messages" -> drainMessages = atLeast(value(args, ++i, arg), arg, 800);
                    case "--memory-messages" -> memoryMessages = atLeast(value(args, ++i, arg), arg, 1);
                    case "--latency-samples" -> latencySamples = positive(value(args, ++i, arg), arg);
                    case "--poll-interval-ms" -> pollIntervalMillis = atLeast(value(args, ++i, arg), arg, 10);
                    case "--only" -> {
                        for (String part : value(args, ++i, arg).split(",")) {
                            if (!PARTS.contains(part.trim())) {
                                throw new IllegalArgumentException("--only takes parts of " + PARTS + ", got \""
                                        + part + "\"");
                            }
                            only.add(part.trim());
                        }
                    }
                    default -> throw new IllegalArgumentException("Unknown option \"" + arg + "\"");
                }
            }
            return new BenchOptions(jdbcUrl, messages, queues, runs, out, keep, sendMessages, drainMessages,
                    memoryMessages, latencySamples, pollIntervalMillis, java.util.Set.copyOf(only));
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
        }

        /** Batches of 100 on 8 clients need at least 800 messages to give every client one. */
        private static int atLeast(String text, String option, int minimum) {
            int value = positive(text, option);
            if (value < minimum) {
                throw new IllegalArgumentException(option + " needs at least " + minimum + ", got " + value);
            }
            return value;
        }

        private static int positive(String text, String option) {
            try {
                int value = Integer.parseInt(text);
                if (value < 1) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a positive whole number, got \"" + text + "\"");
            }
        }
    }
}
