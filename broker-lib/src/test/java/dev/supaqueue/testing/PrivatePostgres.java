package dev.supaqueue.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throw-away PostgreSQL cluster of the test's own, for what the shared test server cannot show: password
 * authentication (scram-sha-256 for every TCP login). {@link #start} runs {@code initdb} in a temporary directory
 * and starts the server on a free loopback port; {@link #close} stops it and deletes the directory.
 *
 * <p>As root, initdb and pg_ctl run as the {@code postgres} OS user ({@code runuser}), since PostgreSQL refuses to
 * run as root. Tests call {@link #whyUnavailable()} first and skip with that reason when there is no initdb.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PrivatePostgres.class);
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path directory;
    private final Path binaries;
    private final int port;
    private final String superuserPassword;
    private final boolean asPostgresUser;

    private PrivatePostgres(Path directory, Path binaries, int port, String superuserPassword,
                            boolean asPostgresUser) {
        this.directory = directory;
        this.binaries = binaries;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.asPostgresUser = asPostgresUser;
    }

    /** Why no private cluster can be started here (no initdb found), or null when one can. */
    public static String whyUnavailable() {
        return binaries().isPresent() ? null
                : "no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config --bindir or in"
                + " /usr/lib/postgresql/*/bin";
    }

    /**
     * Creates and starts a cluster whose superuser {@code postgres} logs in over TCP with this password only
     * (scram-sha-256); TLS is off.
     */
    public static PrivatePostgres start(String superuserPassword) throws IOException, InterruptedException {
        Path binaries = binaries().orElseThrow(() -> new IllegalStateException(whyUnavailable()));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("supaqueue-private-pg-");
        PrivatePostgres server = new PrivatePostgres(directory, binaries, freePort(), superuserPassword, root);
        try {
            server.initAndStart();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void initAndStart() throws IOException, InterruptedException {
        Path passwordFile = directory.resolve("pwfile");
        Files.writeString(passwordFile, superuserPassword + "\n", StandardCharsets.UTF_8);
        if (asPostgresUser) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            run(List.of("chown", "-R", "postgres:postgres", directory.toString()));
        }
        Path data = directory.resolve("data");
        try {
            runAsServerUser(List.of(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--pwfile=" + passwordFile,
                    "-E", "UTF8", "--locale=C", "--no-sync"));
        } finally {
            // The password lives on only as the cluster's SCRAM verifier.
            Files.deleteIfExists(passwordFile);
        }
        String options = "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c ssl=off"
                + " -c fsync=off -c shared_buffers=16MB -c max_connections=30";
        runAsServerUser(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                "-l", directory.resolve("server.log").toString(), "-w", "-t", "30", "start"));
        log.info("Private PostgreSQL with password authentication on 127.0.0.1:{} in {}", port, directory);
    }

    /** The loopback port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A superuser connection to a database of this cluster; the caller closes it. */
    public Connection connect(String database) throws SQLException {
        Properties credentials = new Properties();
        credentials.setProperty("user", "postgres");
        credentials.setProperty("password", superuserPassword);
        return DriverManager.getConnection(jdbcUrl(database), credentials);
    }

    /** The directory of the cluster (data, socket, server log); deleted by {@link #close}. */
    public Path directory() {
        return directory;
    }

    /** Stops the server at once and deletes its directory. */
    @Override
    public void close() {
        Path data = directory.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                runAsServerUser(List.of(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                        "immediate", "-w", "-t", "30", "stop"));
            } catch (IOException | RuntimeException e) {
                log.warn("Stopping the private PostgreSQL in {} failed: {}", directory, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("Could not delete the private PostgreSQL directory {}: {}", directory, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PrivatePostgres[127.0.0.1:" + port + ", " + directory + "]";
    }

    private void runAsServerUser(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        // Read while waiting, so a chatty command cannot block on a full pipe.
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Timed out after " + COMMAND_TIMEOUT_SECONDS + " s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Command failed with exit code " + process.exitValue() + ": " + command
                    + "\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 && !out.isEmpty()) {
                candidates.add(Path.of(out));
            }
        } catch (IOException e) {
            // No pg_config: look in Debian's place below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(version -> version.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> versionNumber(p.getParent())).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // Nothing usable there.
            }
        }
        return candidates.stream()
                .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
                .findFirst();
    }

    private static int versionNumber(Path versionDirectory) {
        try {
            return Integer.parseInt(versionDirectory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
