package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.BackgroundTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection profile editor, one bad value per row: each shows a message naming the problem on its own field,
 * makes the form invalid (the view disables Test, Save and Connect on that), and Test, Save and Connect then run
 * nothing: no background task, no file, no connect request.
 */
@Timeout(20)
class ConnectionFormValidationTest {

    private static final String HOSTILE_SQL = "'; DROP TABLE x; --";
    private static final String HOSTILE_MARKUP = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    private ProfileStore store;
    private ConnectionsViewModel vm;
    private final List<String> tasksRun = new ArrayList<>();
    private final List<ConnectRequest> requests = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        store = new ProfileStore(dir);
        PasswordVault noKeyring = new SecretToolVault("Linux", dir.resolve("no-bin").toString(),
                (command, input) -> { throw new AssertionError("must not run " + command); });
        BackgroundTasks inline = BackgroundTasks.inline();
        BackgroundTasks counting = new BackgroundTasks() {
            @Override
            public <T> void run(String description, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Throwable> onFailure) {
                tasksRun.add(description);
                inline.run(description, work, onSuccess, onFailure);
            }
        };
        vm = new ConnectionsViewModel(store, new PasswordVaults(dir, noKeyring), new ConnectionTester(), counting,
                (profile, password) -> { throw new AssertionError("Connect must not check " + profile); });
        vm.setOnConnect(requests::add);
        vm.load();
        tasksRun.clear();
    }

    /** A field of the form, its error, and the words its error must contain for a bad value. */
    static Stream<Arguments> badValues() {
        Function<ConnectionsViewModel, StringProperty> name = ConnectionsViewModel::nameProperty;
        Function<ConnectionsViewModel, StringProperty> host = ConnectionsViewModel::hostProperty;
        Function<ConnectionsViewModel, StringProperty> port = ConnectionsViewModel::portProperty;
        Function<ConnectionsViewModel, StringProperty> database = ConnectionsViewModel::databaseProperty;
        Function<ConnectionsViewModel, StringProperty> user = ConnectionsViewModel::userProperty;
        Function<ConnectionsViewModel, StringProperty> namespace = ConnectionsViewModel::namespaceProperty;
        Function<ConnectionsViewModel, ObservableStringValue> nameError = ConnectionsViewModel::nameErrorProperty;
        Function<ConnectionsViewModel, ObservableStringValue> hostError = ConnectionsViewModel::hostErrorProperty;
        Function<ConnectionsViewModel, ObservableStringValue> portError = ConnectionsViewModel::portErrorProperty;
        Function<ConnectionsViewModel, ObservableStringValue> databaseError = ConnectionsViewModel::databaseErrorProperty;
        Function<ConnectionsViewModel, ObservableStringValue> userError = ConnectionsViewModel::userErrorProperty;
        Function<ConnectionsViewModel, ObservableStringValue> namespaceError =
                ConnectionsViewModel::namespaceErrorProperty;
        return Stream.of(
                Arguments.of("name", name, nameError, "", "Give the profile a name"),
                Arguments.of("name", name, nameError, "   ", "Give the profile a name"),
                Arguments.of("name", name, nameError, "n".repeat(81), "too long"),
                Arguments.of("name", name, nameError, "two\nlines", "control characters"),
                Arguments.of("name", name, nameError, "supabase CLI", "already named"),
                Arguments.of("host", host, hostError, "", "Enter the database host"),
                Arguments.of("host", host, hostError, HOSTILE_SQL, "cannot contain spaces"),
                Arguments.of("host", host, hostError, HOSTILE_MARKUP, "'<'"),
                Arguments.of("host", host, hostError, "db.example.com/other?sslmode=disable", "'/'"),
                Arguments.of("host", host, hostError, "user@db.example.com", "'@'"),
                Arguments.of("host", host, hostError, "h".repeat(254), "too long"),
                Arguments.of("port", port, portError, "", "Enter the port"),
                Arguments.of("port", port, portError, "abc", "whole number"),
                Arguments.of("port", port, portError, "54x2", "whole number"),
                Arguments.of("port", port, portError, "-1", "whole number"),
                Arguments.of("port", port, portError, "0", "between 1 and 65535"),
                Arguments.of("port", port, portError, "65536", "between 1 and 65535"),
                Arguments.of("port", port, portError, "99999999999", "whole number"),
                Arguments.of("port", port, portError, HOSTILE_SQL, "whole number"),
                Arguments.of("database", database, databaseError, "", "Enter the database name"),
                Arguments.of("database", database, databaseError, HOSTILE_SQL, "'''"),
                Arguments.of("database", database, databaseError, HOSTILE_MARKUP, "'<'"),
                Arguments.of("database", database, databaseError, "d".repeat(64), "at most 63"),
                Arguments.of("database", database, databaseError, "db?sslmode=disable", "'?'"),
                Arguments.of("user", user, userError, "", "Enter the user"),
                Arguments.of("user", user, userError, HOSTILE_SQL, "'''"),
                Arguments.of("user", user, userError, HOSTILE_MARKUP, "'<'"),
                Arguments.of("user", user, userError, "u".repeat(64), "at most 63"),
                Arguments.of("namespace", namespace, namespaceError, "Bad-NS", "Bad-NS"),
                Arguments.of("namespace", namespace, namespaceError, HOSTILE_SQL, "namespace"),
                Arguments.of("namespace", namespace, namespaceError, HOSTILE_MARKUP, "namespace"),
                Arguments.of("namespace", namespace, namespaceError, "n".repeat(60), "namespace"));
    }

    @ParameterizedTest(name = "{0} = {3}")
    @MethodSource("badValues")
    void aBadValueIsNamedOnItsFieldAndNothingRuns(String field, Function<ConnectionsViewModel, StringProperty> input,
                                                 Function<ConnectionsViewModel, ObservableStringValue> error,
                                                 String value, String expected) throws Exception {
        input.apply(vm).set(value);

        assertThat(error.apply(vm).get()).as(field + " error").containsIgnoringCase(expected);
        assertThat(vm.formValidProperty().get()).isFalse();
        assertThat(vm.canSaveProperty().get()).isFalse();
        nothingRunsForTestSaveOrConnect();
    }

    @Test
    void aShortPassphraseIsNamedAndBlocksEverything() throws Exception {
        vm.passwordPolicyProperty().set(PasswordPolicy.ENCRYPTED_FILE);
        vm.passphraseProperty().set("short");

        assertThat(vm.passphraseErrorProperty().get()).contains("at least 8 characters").contains("it has 5");
        assertThat(vm.formValidProperty().get()).isFalse();
        nothingRunsForTestSaveOrConnect();
        assertThat(Files.exists(dir.resolve("passwords"))).as("vault folder").isFalse();
    }

    @Test
    void aPasswordForTheEncryptedFileWithoutPassphraseCannotBeSaved() throws Exception {
        vm.passwordPolicyProperty().set(PasswordPolicy.ENCRYPTED_FILE);
        vm.passwordProperty().set("secret-for-the-file");

        assertThat(vm.passphraseErrorProperty().get()).contains("Type a passphrase");
        assertThat(vm.canSaveProperty().get()).isFalse();
        vm.save();
        assertThat(tasksRun).isEmpty();
        assertThat(Files.exists(store.file())).isFalse();

        vm.passphraseProperty().set("long enough passphrase");
        assertThat(vm.passphraseErrorProperty().get()).isEmpty();
        assertThat(vm.canSaveProperty().get()).isTrue();
    }

    static Stream<Arguments> badUris() {
        return Stream.of(
                Arguments.of("", "Paste a connection URI"),
                Arguments.of("mysql://root@db:3306/app", "postgresql://"),
                Arguments.of("postgresql://u:p@db.example.com:99999/postgres", "port"),
                Arguments.of("postgresql://u:p@db.example.com:54x2/postgres", "port"),
                Arguments.of("postgresql://u:p@db.example.com/postgres?sslmode=bogus", "bogus"),
                Arguments.of(HOSTILE_SQL, "postgresql://"),
                Arguments.of(HOSTILE_MARKUP, "postgresql://"));
    }

    @ParameterizedTest(name = "URI {0}")
    @MethodSource("badUris")
    void aBadUriIsNamedBesideTheUriFieldAndTheFormKeepsItsValues(String uri, String expected) {
        String hostBefore = vm.hostProperty().get();
        vm.uriTextProperty().set(uri);
        vm.pasteUri();

        assertThat(vm.uriErrorProperty().get()).startsWith("Cannot use this URI").containsIgnoringCase(expected);
        assertThat(vm.uriErrorProperty().get()).as("never the password").doesNotContain(":p@");
        assertThat(vm.hostProperty().get()).isEqualTo(hostBefore);
        vm.uriTextProperty().set("postgresql://");
        assertThat(vm.uriErrorProperty().get()).as("editing clears it").isEmpty();
    }

    @Test
    void theOfferedProfileIsValidSoTheTableRowsAreAboutTheirOwnValue() {
        assertThat(vm.formValidProperty().get()).isTrue();
        assertThat(vm.canSaveProperty().get()).isTrue();
        vm.hostProperty().set("::1");
        vm.databaseProperty().set("postgres");
        vm.userProperty().set("postgres.abcdefghijkl");
        assertThat(vm.formValidProperty().get()).isTrue();
    }

    private void nothingRunsForTestSaveOrConnect() throws Exception {
        vm.testConnection();
        vm.save();
        vm.connect();
        assertThat(tasksRun).as("background work started").isEmpty();
        assertThat(requests).isEmpty();
        assertThat(vm.testResultProperty().get()).isEmpty();
        assertThat(Files.exists(store.file())).as("profiles file written").isFalse();
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
    }
}
