package dev.supaqueue.console.connection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The OS keyring on Linux, through libsecret's {@code secret-tool} command (GNOME Keyring, KWallet with the
 * Secret Service API, KeePassXC, ...). Entries carry the attributes {@code service=supaqueue} and
 * {@code profile=<name>}. The password goes to the command on its standard input, never on its command line
 * (where other users could see it in the process list).
 *
 * <p>Elsewhere (macOS, Windows, Linux without {@code secret-tool}) it reports that it is not available.
 */
public final class SecretToolVault implements PasswordVault {

    static final String COMMAND = "secret-tool";
    static final String SERVICE = "supaqueue";
    private static final long TIMEOUT_SECONDS = 30;

    /** Runs a command; replaced in tests. */
    @FunctionalInterface
    interface CommandRunner {
        /** Runs {@code command} with {@code input} on its standard input; returns exit code and standard output. */
        Result run(List<String> command, byte[] input) throws IOException;

        record Result(int exitCode, byte[] output, String error) {
        }
    }

    private final String osName;
    private final String path;
    private final CommandRunner runner;

    /** The keyring of this machine. */
    public SecretToolVault() {
        this(System.getProperty("os.name", ""), System.getenv().getOrDefault("PATH", ""), SecretToolVault::runProcess);
    }

    SecretToolVault(String osName, String path, CommandRunner runner) {
        this.osName = Objects.requireNonNull(osName, "osName");
        this.path = Objects.requireNonNull(path, "path");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public PasswordPolicy policy() {
        return PasswordPolicy.OS_KEYRING;
    }

    @Override
    public Availability availability() {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return Availability.no("The OS keyring is not available on this machine (supported on Linux with"
                    + " secret-tool); use an encrypted file instead.");
        }
        if (findExecutable().isEmpty()) {
            return Availability.no("The OS keyring is not available on this machine: the secret-tool command"
                    + " (package libsecret-tools) is not installed; use an encrypted file instead.");
        }
        return Availability.yes();
    }

    /** {@code secret-tool} in one of the PATH's folders, if it is there and executable. */
    Optional<Path> findExecutable() {
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (folder.isBlank()) {
                continue;
            }
            Path candidate = Path.of(folder, COMMAND);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<String> storeCommand(String profileName) {
        return List.of(COMMAND, "store", "--label=Supaqueue connection " + profileName,
                "service", SERVICE, "profile", profileName);
    }

    static List<String> lookupCommand(String profileName) {
        return List.of(COMMAND, "lookup", "service", SERVICE, "profile", profileName);
    }

    static List<String> clearCommand(String profileName) {
        return List.of(COMMAND, "clear", "service", SERVICE, "profile", profileName);
    }

    @Override
    public void store(String profileName, char[] password) throws VaultException {
        requireAvailable();
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] input = new byte[encoded.remaining()];
        encoded.get(input);
        try {
            CommandRunner.Result result = run(storeCommand(profileName), input);
            if (result.exitCode() != 0) {
                throw new VaultException("The OS keyring did not store the password of '" + profileName + "': "
                        + describe(result));
            }
        } finally {
            Arrays.fill(input, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    @Override
    public Optional<char[]> lookup(String profileName) throws VaultException {
        requireAvailable();
        CommandRunner.Result result = run(lookupCommand(profileName), new byte[0]);
        byte[] output = result.output();
        try {
            if (result.exitCode() != 0 || output.length == 0) {
                // secret-tool exits with 1 and prints nothing when no entry matches.
                if (result.error() == null || result.error().isBlank()) {
                    return Optional.empty();
                }
                throw new VaultException("The OS keyring did not answer for '" + profileName + "': "
                        + describe(result));
            }
            return Optional.of(SecretText.decodeUtf8(output));
        } finally {
            Arrays.fill(output, (byte) 0);
        }
    }

    @Override
    public void clear(String profileName) throws VaultException {
        requireAvailable();
        CommandRunner.Result result = run(clearCommand(profileName), new byte[0]);
        if (result.exitCode() != 0 && result.error() != null && !result.error().isBlank()) {
            throw new VaultException("The OS keyring did not forget the password of '" + profileName + "': "
                    + describe(result));
        }
    }

    private void requireAvailable() throws VaultException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new VaultException(availability.reason());
        }
    }

    private CommandRunner.Result run(List<String> command, byte[] input) throws VaultException {
        try {
            return runner.run(command, input);
        } catch (IOException e) {
            throw new VaultException("Cannot run " + COMMAND + ": " + e.getMessage(), e);
        }
    }

    private static String describe(CommandRunner.Result result) {
        String error = result.error() == null ? "" : result.error().strip();
        return error.isEmpty() ? "secret-tool exited with code " + result.exitCode() : error;
    }

    private static CommandRunner.Result runProcess(List<String> command, byte[] input) throws IOException {
        Process process = new ProcessBuilder(command).start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input);
        }
        byte[] output;
        String error;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            output = readAll(stdout);
            error = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(COMMAND + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + COMMAND, e);
        }
        return new CommandRunner.Result(process.exitValue(), output, error);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }

    @Override
    public String toString() {
        return "SecretToolVault[" + osName + "]";
    }
}
