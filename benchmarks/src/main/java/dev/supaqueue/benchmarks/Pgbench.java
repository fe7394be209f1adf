package dev.supaqueue.benchmarks;

import dev.supaqueue.broker.DatabaseUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL's own load generator, {@code pgbench}, with a custom script: the raw-pgmq baseline, measured by a
 * C client that does nothing but send the statements.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)/(\\d+)");

    /** What one pgbench run reported. */
    record Result(int clients, long transactions, double tps, double latencyAverageMillis, long clientCpuNanos) {
    }

    private final Path binary;
    private final DatabaseUri server;
    private final Path scripts;

    private Pgbench(Path binary, DatabaseUri server) throws IOException {
        this.binary = binary;
        this.server = server;
        this.scripts = Files.createTempDirectory("supaqueue-pgbench");
        scripts.toFile().deleteOnExit();
    }

    /** Finds pgbench on the PATH or in Debian's PostgreSQL directories; fails with how to install it. */
    static Pgbench find(String jdbcUrl) throws IOException {
        return new Pgbench(locate(), DatabaseUri.parse(jdbcUrl));
    }

    private static Path locate() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, "pgbench"));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(java.util.Comparator.reverseOrder())
                        .forEach(version -> candidates.add(version.resolve("bin/pgbench")));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("pgbench was not found on the PATH or under /usr/lib/postgresql: install it"
                + " (Debian/Ubuntu: apt-get install postgresql-contrib or postgresql-client; benchmarks/run.sh does"
                + " this when run as root)");
    }

    String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return out;
    }

    /**
     * Runs {@code script} on {@code clients} connections, {@code transactionsPerClient} times each, with prepared
     * statements (as the JDBC driver uses them once a statement repeats).
     */
    Result run(String name, String script, Map<String, String> variables, int clients, long transactionsPerClient)
            throws IOException, InterruptedException {
        Path file = scripts.resolve(name + ".sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        int threads = Math.min(clients, Runtime.getRuntime().availableProcessors());
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--no-vacuum", "--protocol=prepared",
                "--client=" + clients, "--jobs=" + threads, "--transactions=" + transactionsPerClient,
                "--file=" + file, "--host=" + server.host(), "--port=" + server.port(),
                "--username=" + (server.user() == null ? "postgres" : server.user())));
        // Variables reach the statements as bound parameters of the prepared statements, not as SQL text.
        variables.forEach((variable, value) -> command.add("--define=" + variable + "=" + value));
        command.add(server.database());
        // bash's `times` prints the CPU time of its children: pgbench's own cost as a client, for the profile.
        List<String> timed = new ArrayList<>(List.of("bash", "-c", "\"$0\" \"$@\"; status=$?; times; exit $status"));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        if (server.password() != null) {
            // The environment, not the command line: the process list shows arguments to every user.
            environment.put("PGPASSWORD", server.password());
        }
        environment.put("PGAPPNAME", "supaqueue-bench-pgbench");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        Matcher tps = TPS.matcher(output);
        Matcher processed = PROCESSED.matcher(output);
        if (status != 0 || !tps.find() || !processed.find()
                || !processed.group(1).equals(processed.group(2))) {
            throw new IllegalStateException("pgbench " + name + " failed (exit " + status + "):\n" + output);
        }
        Matcher latency = LATENCY.matcher(output);
        return new Result(clients, Long.parseLong(processed.group(1)), Double.parseDouble(tps.group(1)),
                latency.find() ? Double.parseDouble(latency.group(1)) : Double.NaN, childrenCpuNanos(output));
    }

    private static final Pattern TIMES = Pattern.compile("(?m)^(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s$");

    /** The second line of bash's {@code times}: user and system time of the shell's children. */
    private static long childrenCpuNanos(String output) {
        Matcher times = TIMES.matcher(output);
        List<Double> seconds = new ArrayList<>();
        while (times.find()) {
            seconds.add(Integer.parseInt(times.group(1)) * 60 + Double.parseDouble(times.group(2))
                    + Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4)));
        }
        return seconds.size() < 2 ? -1 : Math.round(seconds.get(seconds.size() - 1) * 1e9);
    }
}
