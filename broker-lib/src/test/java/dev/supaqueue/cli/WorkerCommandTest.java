package dev.supaqueue.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.worker.WorkerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The worker command's arguments, validation and exit codes, in-process and without a database. */
class WorkerCommandTest {

    private static final ActorProvider NO_ACTORS = broker -> { };

    private record Outcome(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Outcome run(Map<String, String> environment, List<ActorProvider> providers, String... args) {
        WorkerCommand worker = new WorkerCommand(environment, () -> providers, (stop, timeout) -> { });
        CommandLine commandLine = Supaqueue.commandLine(worker);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    private static Outcome run(String... args) {
        return run(Map.of(), List.of(NO_ACTORS), args);
    }

    /** Parses only; the command's settings and options are then read as call() would. */
    private static WorkerCommand parse(Map<String, String> environment, String... args) {
        WorkerCommand worker = new WorkerCommand(environment, List::of, (stop, timeout) -> { });
        List<String> all = new ArrayList<>(List.of("worker"));
        all.addAll(List.of(args));
        Supaqueue.commandLine(worker).parseArgs(all.toArray(String[]::new));
        return worker;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    // Exit codes and messages //

    @Test
    void helpListsTheOptionsAndTheExitCodes() {
        Outcome outcome = run("worker", "--help");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.out()).contains("--uri", "--host", "--password", "--namespace", "--visibility-timeout",
                "--threads", "--prefetch", "--queues", "--min-conn", "--max-conn", "--driver-option",
                "--shutdown-timeout", "SUPAQUEUE_DATABASE_URL", "SUPAQUEUE_DB_PASSWORD", "Exit codes");
    }

    @Test
    void withoutACommandItShowsTheUsageAndExits2() {
        Outcome outcome = run();

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("Missing a command", "worker");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Outcome outcome = run("worker", "--no-such-flag");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void aNumberThatIsNotOneIsAUsageError() {
        Outcome outcome = run("worker", "--threads", "many");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("--threads", "'many'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --threads 0                    | --threads must be at least 1
            --prefetch 0                   | --prefetch must be between 1 and 65535
            --prefetch 70000               | --prefetch must be between 1 and 65535
            --visibility-timeout 0         | --visibility-timeout must be at least 1 second
            --shutdown-timeout 0           | --shutdown-timeout must be at least 1 second
            --min-conn -1                  | --min-conn must not be negative
            --max-conn 0                   | --max-conn must be at least 1
            --min-conn 5 --max-conn 2      | --max-conn must be at least 1 and at least --min-conn (5)
            --port 70000                   | --port must be between 1 and 65535
            --namespace Bad-Name           | namespace
            --queues a,,b                  | --queues must not name an empty queue
            --driver-option password=x     | Give the password as its own setting
            --driver-option sslmode        | KEY=VALUE
            """)
    void aBadValueIsAUsageErrorNamingTheFlag(String arguments, String message) {
        List<String> args = new ArrayList<>(List.of("worker"));
        args.addAll(List.of(arguments.split(" ")));

        Outcome outcome = run(args.toArray(String[]::new));

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains(message);
    }

    @Test
    void aUriAndHostFlagsTogetherAreAUsageError() {
        Outcome outcome = run("worker", "--uri", "postgresql://db.example/postgres", "--host", "other.example");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("Give either --uri or --host/--port/--database/--user, not both");
    }

    @Test
    void aUriOfAnotherDatabaseIsAUsageError() {
        Outcome outcome = run("worker", "--uri", "mysql://root:topsecret@db.example/app");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("must start with postgresql://").doesNotContain("topsecret");
    }

    @Test
    void aBadUriInTheEnvironmentSaysWhereItCameFrom() {
        Outcome outcome = run(Map.of("SUPAQUEUE_DATABASE_URL", "http://db.example"), List.of(NO_ACTORS), "worker");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("postgresql://", "$SUPAQUEUE_DATABASE_URL");
    }

    @Test
    void aPasswordValueAfterThePasswordFlagIsRefusedAndNeverEchoed() {
        for (List<String> args : List.of(List.of("worker", "--password", "hunter2-secret"),
                List.of("worker", "--password=hunter2-secret"),
                List.of("worker", "--password", "hunter2-secret", "--threads", "0"))) {
            Outcome outcome = run(args.toArray(String[]::new));

            assertThat(outcome.exitCode()).as("%s", args).isEqualTo(2);
            assertThat(outcome.err()).as("%s", args).contains("--password takes no value", "SUPAQUEUE_DB_PASSWORD");
            assertThat(outcome.all()).as("%s", args).doesNotContain("hunter2");
        }
    }

    @Test
    void withoutAnActorProviderItExits2AndSaysHowToRegisterOne() {
        Outcome outcome = run(Map.of(), List.of(), "worker");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.err()).contains("No ActorProvider found",
                "META-INF/services/dev.supaqueue.actor.ActorProvider", "public no-argument constructor");
    }

    @Test
    void anUnreachableDatabaseExits1NamingHostAndPortButNotThePassword() throws IOException {
        int port = freePort();

        Outcome outcome = run(Map.of(), List.of(NO_ACTORS), "worker",
                "--uri", "postgresql://worker:pa55-word-x@127.0.0.1:" + port + "/jobs");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).contains("Cannot connect to PostgreSQL at 127.0.0.1:" + port,
                "database jobs", "user worker");
        assertThat(outcome.all()).doesNotContain("pa55-word-x");
    }

    @Test
    void anUnreachableDatabaseWithAnEnvironmentPasswordDoesNotPrintIt() throws IOException {
        int port = freePort();

        Outcome outcome = run(Map.of("SUPAQUEUE_DB_PASSWORD", "env-pa55-x"), List.of(NO_ACTORS), "worker",
                "--host", "127.0.0.1", "--port", String.valueOf(port));

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.err()).contains("127.0.0.1:" + port);
        assertThat(outcome.all()).doesNotContain("env-pa55-x");
    }

    // Parsing //

    @Test
    void aUriGivesTheConnectionAndTheFlagsTheRest() {
        WorkerCommand command = parse(Map.of(), "--uri",
                "postgresql://postgres.ref:s%40cret@aws-0-eu-west-1.pooler.supabase.com:5432/app?sslmode=require",
                "--namespace", "billing", "--visibility-timeout", "45", "--min-conn", "2", "--max-conn", "12",
                "--driver-option", "connectTimeout=5", "--driver-option", "tcpKeepAlive=true");

        SupabaseBrokerSettings settings = command.brokerSettings();

        assertThat(settings.host()).isEqualTo("aws-0-eu-west-1.pooler.supabase.com");
        assertThat(settings.port()).isEqualTo(5432);
        assertThat(settings.database()).isEqualTo("app");
        assertThat(settings.user()).isEqualTo("postgres.ref");
        assertThat(settings.password()).isEqualTo("s@cret");
        assertThat(settings.namespace()).isEqualTo("billing");
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.minConnections()).isEqualTo(2);
        assertThat(settings.maxConnections()).isEqualTo(12);
        assertThat(settings.driverOptions()).containsExactly(Map.entry("sslmode", "require"),
                Map.entry("connectTimeout", "5"), Map.entry("tcpKeepAlive", "true"));
        assertThat(settings.toString()).doesNotContain("s@cret");
    }

    @Test
    void withoutConnectionFlagsTheUriComesFromTheEnvironment() {
        WorkerCommand command = parse(Map.of("SUPAQUEUE_DATABASE_URL", "postgresql://app@db.example:6543/main"));

        SupabaseBrokerSettings settings = command.brokerSettings();

        assertThat(settings.host()).isEqualTo("db.example");
        assertThat(settings.port()).isEqualTo(6543);
        assertThat(settings.user()).isEqualTo("app");
        assertThat(settings.transactionPooler()).isTrue();
        assertThat(settings.password()).isNull();
    }

    @Test
    void hostFlagsWinOverTheEnvironmentUri() {
        WorkerCommand command = parse(Map.of("SUPAQUEUE_DATABASE_URL", "postgresql://app@db.example/main"),
                "--host", "10.0.0.5", "--port", "5433", "--database", "jobs", "--user", "worker");

        SupabaseBrokerSettings settings = command.brokerSettings();

        assertThat(settings.host()).isEqualTo("10.0.0.5");
        assertThat(settings.port()).isEqualTo(5433);
        assertThat(settings.database()).isEqualTo("jobs");
        assertThat(settings.user()).isEqualTo("worker");
    }

    @Test
    void withNothingGivenItConnectsToLocalhostWithoutAPassword() {
        SupabaseBrokerSettings settings = parse(Map.of()).brokerSettings();

        assertThat(settings.host()).isEqualTo("localhost");
        assertThat(settings.port()).isEqualTo(5432);
        assertThat(settings.database()).isEqualTo("postgres");
        assertThat(settings.user()).isEqualTo("postgres");
        // Not the seed's "postgres": a server that wants one finds it in the environment or ~/.pgpass.
        assertThat(settings.password()).isNull();
        assertThat(settings.namespace()).isEqualTo("dramatiq");
        assertThat(settings.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void thePasswordComesFromSupaqueueDbPasswordThenPgpassword() {
        assertThat(parse(Map.of("SUPAQUEUE_DB_PASSWORD", "one", "PGPASSWORD", "two"), "--host", "h")
                .brokerSettings().password()).isEqualTo("one");
        assertThat(parse(Map.of("PGPASSWORD", "two"), "--host", "h").brokerSettings().password()).isEqualTo("two");
        assertThat(parse(Map.of("PGPASSWORD", "two"), "--uri", "postgresql://u@h/d").brokerSettings().password())
                .isEqualTo("two");
        assertThat(parse(Map.of("PGPASSWORD", "two"), "--uri", "postgresql://u:three@h/d").brokerSettings()
                .password()).isEqualTo("three");
    }

    @Test
    void workerOptionsFollowTheFlags() {
        WorkerOptions options = parse(Map.of(), "--threads", "4", "-Q", "emails,reports", "--queues", "default",
                "--shutdown-timeout", "5").workerOptions();

        assertThat(options.workerThreads()).isEqualTo(4);
        assertThat(options.prefetch()).isEqualTo(8);
        assertThat(options.queues()).containsExactlyInAnyOrder("emails", "reports", "default");
        assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));

        WorkerOptions explicit = parse(Map.of(), "-t", "2", "--prefetch", "3").workerOptions();
        assertThat(explicit.prefetch()).isEqualTo(3);
        assertThat(explicit.queues()).isEmpty();
    }
}
