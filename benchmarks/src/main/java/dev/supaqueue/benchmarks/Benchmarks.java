package dev.supaqueue.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one benchmark against a real PostgreSQL with pgmq and prints its table (also written as Markdown and CSV).
 * Benchmarks report figures; they never pass or fail on time.
 *
 * <pre>
 *   ./mvnw -q -pl benchmarks -am -DskipTests package exec:exec -Dbench.args="admin [options]"
 * </pre>
 */
public final class Benchmarks {

    static final String USAGE = """
            Usage: Benchmarks admin [--jdbc-url URL] [--messages N] [--queues N] [--runs N] [--out DIR] [--keep]
              admin        the admin API: queue list and message pages on a large queue
              --jdbc-url   the database (default: $SUPAQUEUE_BENCH_JDBC_URL, else the local server's database
                           supaqueue_bench, created when missing); pgmq or the development schema is installed if absent
              --messages   messages in the large queue (default 1000000)
              --queues     small queues for the queue-list figure (default 200)
              --runs       timed repetitions of each operation (default 30)
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
            case "admin" -> new AdminBenchmark(options).run();
            default -> {
                System.err.println("Unknown benchmark \"" + which + "\"");
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    /** Command-line options shared by the benchmarks. */
    record BenchOptions(String jdbcUrl, int messages, int queues, int runs, Path out, boolean keep) {

        static BenchOptions parse(List<String> args) {
            String jdbcUrl = System.getenv("SUPAQUEUE_BENCH_JDBC_URL");
            int messages = 1_000_000;
            int queues = 200;
            int runs = 30;
            Path out = Path.of("target", "benchmark-results");
            boolean keep = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--jdbc-url" -> jdbcUrl = value(args, ++i, arg);
                    case "--messages" -> messages = positive(value(args, ++i, arg), arg);
                    case "--queues" -> queues = positive(value(args, ++i, arg), arg);
                    case "--runs" -> runs = positive(value(args, ++i, arg), arg);
                    case "--out" -> out = Path.of(value(args, ++i, arg));
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("Unknown option \"" + arg + "\"");
                }
            }
            return new BenchOptions(jdbcUrl, messages, queues, runs, out, keep);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
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
