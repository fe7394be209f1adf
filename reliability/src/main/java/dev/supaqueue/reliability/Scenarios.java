package dev.supaqueue.reliability;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Runs the process-level fault scenarios from the command line and writes a Markdown and CSV report per scenario
 * under {@code target/reliability-results/} (or {@code --out}). Exits 0 when every invariant held, 1 otherwise, 2 on
 * bad arguments. See {@link #USAGE}.
 */
public final class Scenarios {

    static final String USAGE = """
            Usage: Scenarios SCENARIO... [OPTIONS]
              SCENARIO: killed-workers | graceful-stop | terminated-connections | all
            Where:
              --jdbc-url URL          server to make a throw-away database on (default
                                      jdbc:postgresql://127.0.0.1:5432/postgres; user $PGUSER or postgres, password
                                      $PGPASSWORD); the database is dropped afterwards unless --keep-database
              --database-url URL      run in this existing database instead (pgmq is installed if missing). Careful:
                                      terminated-connections cuts every other connection to it
              --keep-database         keep the throw-away database
              --out DIR               report directory (default target/reliability-results)
            Sizes (defaults in brackets):
              --messages N            killed-workers: backlog [10000]
              --stop-messages N       graceful-stop: backlog of 1.5 s tasks [60]
              --workers N             worker processes [killed-workers 3, terminated-connections 2]
              --seed N                seed of the kill / cut schedule [current time, printed]
              --kill-every MIN-MAX    killed-workers: ms between kills [1000-3000]
              --overrun-ms N          graceful-stop: add one task of N ms that outlives the shutdown timeout [0]
              --visibility-timeout S  graceful-stop visibility timeout [60]
              --duration S            terminated-connections: seconds of chaos [60]
              --producers N           terminated-connections: producer threads [2]
              --cut-every MIN-MAX     terminated-connections: ms between cuts [1000-3000; 8000-15000 with a restart]
              --enqueue-attempts N    terminated-connections: the producers' enqueue attempts [3]; 1 shows every cut
              --restart-command CMD   terminated-connections: restart the server with this shell command instead of
                                      pg_terminate_backend, e.g. "pg_ctlcluster 15 main restart"
            """;

    private Scenarios() {
    }

    public static void main(String[] args) throws Exception {
        // Hikari logs every connection cut with a stack trace; the scenarios count cuts themselves.
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "error");
        int status;
        try {
            status = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n\n" + USAGE);
            status = 2;
        }
        System.exit(status);
    }

    static int run(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Set<String> flags = Set.of("--keep-database", "--help");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                if (flags.contains(arg)) {
                    options.put(arg, "true");
                } else if (i + 1 < args.length) {
                    options.put(arg, args[++i]);
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
            } else {
                scenarios.add(arg);
            }
        }
        if (options.containsKey("--help") || scenarios.isEmpty()) {
            System.out.println(USAGE);
            return options.containsKey("--help") ? 0 : 2;
        }
        if (scenarios.contains("all")) {
            scenarios = List.of("killed-workers", "graceful-stop", "terminated-connections");
        }
        for (String scenario : scenarios) {
            if (!List.of("killed-workers", "graceful-stop", "terminated-connections").contains(scenario)) {
                throw new IllegalArgumentException("Unknown scenario '" + scenario + "'");
            }
        }
        Set<String> known = Set.of("--jdbc-url", "--database-url", "--keep-database", "--out", "--messages",
                "--stop-messages",
                "--workers", "--seed", "--kill-every", "--overrun-ms", "--visibility-timeout", "--duration",
                "--producers", "--cut-every", "--restart-command", "--enqueue-attempts");
        for (String option : options.keySet()) {
            if (!known.contains(option)) {
                throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        Path out = Path.of(options.getOrDefault("--out", "target/reliability-results"));
        Path logs = out.resolve("logs");
        long seed = longOption(options, "--seed", System.currentTimeMillis());

        Properties credentials = new Properties();
        credentials.setProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            credentials.setProperty("password", password);
        }
        List<ScenarioReport> reports = new ArrayList<>();
        try (ScenarioDatabase database = options.containsKey("--database-url")
                ? existingWithPgmq(options.get("--database-url"), credentials)
                : ScenarioDatabase.createOn(options.getOrDefault("--jdbc-url",
                        "jdbc:postgresql://127.0.0.1:5432/postgres"), credentials,
                        options.containsKey("--keep-database"))) {
            for (String scenario : scenarios) {
                ScenarioReport report = switch (scenario) {
                    case "killed-workers" -> {
                        KilledWorkersScenario.Options o = KilledWorkersScenario.Options.defaults(logs).withSeed(seed);
                        o = o.withMessages(intOption(options, "--messages", o.messages()))
                                .withWorkers(intOption(options, "--workers", o.workers()));
                        if (options.containsKey("--kill-every")) {
                            Duration[] range = range(options.get("--kill-every"));
                            o = o.withKillEvery(range[0], range[1]);
                        }
                        yield new KilledWorkersScenario(database, o).run();
                    }
                    case "graceful-stop" -> {
                        GracefulStopScenario.Options o = GracefulStopScenario.Options.defaults(logs);
                        o = o.withMessages(intOption(options, "--stop-messages", o.messages()))
                                .withVisibilityTimeout(Duration.ofSeconds(intOption(options, "--visibility-timeout",
                                        (int) o.visibilityTimeout().toSeconds())));
                        long overrun = longOption(options, "--overrun-ms", 0);
                        if (overrun > 0) {
                            o = o.withOverrun(overrun, o.visibilityTimeout(), o.shutdownTimeout());
                        }
                        yield new GracefulStopScenario(database, o).run();
                    }
                    default -> {
                        TerminatedConnectionsScenario.Options o = TerminatedConnectionsScenario.Options.defaults(logs)
                                .withSeed(seed);
                        o = o.withDuration(Duration.ofSeconds(intOption(options, "--duration",
                                        (int) o.duration().toSeconds())))
                                .withProducersAndWorkers(intOption(options, "--producers", o.producers()),
                                        intOption(options, "--workers", o.workers()))
                                .withEnqueueAttempts(intOption(options, "--enqueue-attempts", o.enqueueAttempts()));
                        String restart = options.get("--restart-command");
                        Duration[] every = options.containsKey("--cut-every") ? range(options.get("--cut-every"))
                                : restart != null ? new Duration[] {Duration.ofSeconds(8), Duration.ofSeconds(15)}
                                : new Duration[] {o.chaosEveryMin(), o.chaosEveryMax()};
                        o = o.withRestartCommand(restart, every[0], every[1]);
                        yield new TerminatedConnectionsScenario(database, o).run();
                    }
                };
                reports.add(report);
                for (Path written : report.writeTo(out)) {
                    System.out.println("Wrote " + written);
                }
                System.out.println(report.toMarkdown());
            }
        }
        StringBuilder summary = new StringBuilder("# Reliability scenarios, latest run\n\n");
        reports.forEach(r -> summary.append(r.toMarkdown()).append('\n'));
        Files.writeString(out.resolve("latest.md"), summary.toString(), StandardCharsets.UTF_8);
        boolean passed = reports.stream().allMatch(ScenarioReport::passed);
        System.out.println(passed ? "All scenarios passed." : "FAILED: " + reports.stream()
                .filter(r -> !r.passed()).map(ScenarioReport::name).toList());
        return passed ? 0 : 1;
    }

    private static ScenarioDatabase existingWithPgmq(String url, Properties credentials) throws Exception {
        ScenarioDatabase database = ScenarioDatabase.existing(url, credentials);
        try (var connection = database.connect()) {
            dev.supaqueue.pgmq.PgmqInstaller.ensureInstalled(connection);
        }
        return database;
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        return (int) longOption(options, name, fallback);
    }

    private static long longOption(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }

    /** "MIN-MAX" in milliseconds. */
    private static Duration[] range(String text) {
        String[] parts = text.split("-");
        try {
            if (parts.length == 2) {
                long min = Long.parseLong(parts[0].strip());
                long max = Long.parseLong(parts[1].strip());
                if (min >= 0 && max >= min) {
                    return new Duration[] {Duration.ofMillis(min), Duration.ofMillis(max)};
                }
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw new IllegalArgumentException("Expected MIN-MAX in milliseconds (e.g. 1000-3000), got '" + text + "'");
    }
}
