package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.BackgroundTasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view model with in-line background tasks, a real store and vaults in a temporary folder. */
class ConnectionsViewModelTest {

    @TempDir
    Path dir;

    private ProfileStore store;
    private ConnectionsViewModel vm;
    private final List<ConnectRequest> requests = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new ProfileStore(dir);
        PasswordVault noKeyring = new SecretToolVault("Linux", dir.resolve("no-bin").toString(),
                (command, input) -> { throw new AssertionError("must not run " + command); });
        // No database here: Connect's check of the connection is covered by ConnectionErrorsIT.
        vm = new ConnectionsViewModel(store, new PasswordVaults(dir, noKeyring), new ConnectionTester(),
                BackgroundTasks.inline(), (profile, password) -> Optional.empty());
        vm.setOnConnect(requests::add);
        vm.load();
    }

    @Test
    void firstStartShowsTheTwoOfferedProfilesAndSelectsLocal() {
        assertThat(vm.profiles()).extracting(ConnectionProfile::name).containsExactly("Local", "Supabase CLI");
        assertThat(vm.selectedProperty().get().name()).isEqualTo("Local");
        assertThat(vm.hostProperty().get()).isEqualTo("127.0.0.1");
        assertThat(vm.portProperty().get()).isEqualTo("5432");
        assertThat(vm.messageProperty().get()).contains("54322");
    }

    @Test
    void fieldErrorsAppearInlineAndBlockSaving() {
        vm.portProperty().set("99999");
        assertThat(vm.portErrorProperty().get()).contains("between 1 and 65535");
        vm.portProperty().set("54x2");
        assertThat(vm.portErrorProperty().get()).contains("whole number");
        vm.hostProperty().set("");
        assertThat(vm.hostErrorProperty().get()).contains("host");
        vm.namespaceProperty().set("Bad-NS");
        assertThat(vm.namespaceErrorProperty().get()).contains("Bad-NS");
        vm.nameProperty().set("supabase cli");
        assertThat(vm.nameErrorProperty().get()).contains("already named");
        assertThat(vm.formValidProperty().get()).isFalse();

        vm.save();
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        assertThat(Files.exists(store.file())).isFalse();

        vm.portProperty().set("5433");
        vm.hostProperty().set("localhost");
        vm.namespaceProperty().set("");
        vm.nameProperty().set("Local");
        assertThat(vm.formValidProperty().get()).isTrue();
        assertThat(vm.portErrorProperty().get()).isEmpty();
    }

    @Test
    void pastingAPoolerUriFillsTheFormAndExplainsTransactionMode() {
        vm.newProfile();
        vm.nameProperty().set("");
        vm.uriTextProperty().set("postgresql://postgres.abcd:pw%21@aws-0-eu-central-1.pooler.supabase.com:6543/postgres");
        vm.pasteUri();
        assertThat(vm.hostProperty().get()).isEqualTo("aws-0-eu-central-1.pooler.supabase.com");
        assertThat(vm.portProperty().get()).isEqualTo("6543");
        assertThat(vm.userProperty().get()).isEqualTo("postgres.abcd");
        assertThat(vm.nameProperty().get()).isEqualTo("Supabase abcd");
        assertThat(vm.sslModeProperty().get()).isEqualTo(SslMode.REQUIRE);
        assertThat(vm.passwordProperty().get()).isEqualTo("pw!");
        assertThat(vm.uriTextProperty().get()).as("the URI held a password").isEmpty();
        assertThat(vm.uriNotesProperty().get()).contains("transaction").contains("LISTEN");

        vm.uriTextProperty().set("nonsense");
        vm.pasteUri();
        assertThat(vm.uriErrorProperty().get()).contains("postgresql://");
        assertThat(vm.hostProperty().get()).isEqualTo("aws-0-eu-central-1.pooler.supabase.com");
    }

    @Test
    void savingAnEncryptedPasswordWritesNoPlainTextAnywhere() throws Exception {
        vm.newProfile();
        vm.nameProperty().set("Staging");
        vm.hostProperty().set("db.abc.supabase.co");
        vm.passwordPolicyProperty().set(PasswordPolicy.ENCRYPTED_FILE);
        assertThat(vm.passphraseNeededProperty().get()).isTrue();
        vm.passwordProperty().set("plain-Secret-42");
        vm.passphraseProperty().set("my passphrase");
        vm.save();

        assertThat(vm.messageIsErrorProperty().get()).as(vm.messageProperty().get()).isFalse();
        assertThat(vm.profiles()).extracting(ConnectionProfile::name).containsExactly("Local", "Supabase CLI", "Staging");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain("plain-Secret-42").doesNotContain("my passphrase");
            }
        }
        assertThat(new EncryptedFileVault(dir, "my passphrase".toCharArray()).lookup("Staging"))
                .hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("plain-Secret-42"));
    }

    @Test
    void theKeyringPolicyIsRefusedWhereNoKeyringExists() {
        vm.passwordPolicyProperty().set(PasswordPolicy.OS_KEYRING);
        assertThat(vm.passwordPolicyNoteProperty().get()).contains("not available on this machine");
        assertThat(vm.formValidProperty().get()).isFalse();
        vm.save();
        assertThat(vm.messageProperty().get()).contains("not available on this machine");
    }

    @Test
    void deleteAsksFirstThenRemovesTheProfile() throws Exception {
        vm.save(); // Local, so that there is a file
        vm.requestDelete();
        assertThat(vm.deleteConfirmationPendingProperty().get()).isTrue();
        assertThat(vm.deleteQuestionProperty().get()).contains("Local");
        vm.cancelDelete();
        assertThat(vm.profiles()).hasSize(2);

        vm.requestDelete();
        vm.confirmDelete();
        assertThat(vm.profiles()).extracting(ConnectionProfile::name).containsExactly("Supabase CLI");
        assertThat(store.load().profiles()).extracting(ConnectionProfile::name).containsExactly("Supabase CLI");
        assertThat(vm.selectedProperty().get().name()).isEqualTo("Supabase CLI");
    }

    @Test
    void productionOpensReadOnlyUntilUnlocked() {
        vm.productionProperty().set(true);
        assertThat(vm.opensReadOnlyProperty().get()).isTrue();
        vm.passwordProperty().set("pw");
        vm.connect();
        assertThat(requests.getLast().readOnly()).isTrue();

        vm.unlockProduction();
        assertThat(vm.productionUnlockedProperty().get()).isTrue();
        assertThat(vm.opensReadOnlyProperty().get()).isFalse();
        vm.connect();
        assertThat(requests.getLast().readOnly()).isFalse();

        vm.select(vm.profiles().get(1));
        vm.select(vm.profiles().get(0));
        assertThat(vm.productionUnlockedProperty().get()).as("locked again after switching").isFalse();

        vm.readOnlyProperty().set(true);
        vm.unlockProduction();
        assertThat(vm.opensReadOnlyProperty().get()).as("read-only profile stays read-only").isTrue();
    }

    @Test
    void connectHandsOverSettingsWithTheTypedPasswordAndForgetsIt() throws Exception {
        vm.save();
        vm.passwordProperty().set("typed-pw");
        vm.connect();
        ConnectRequest request = requests.getLast();
        assertThat(request.profile().name()).isEqualTo("Local");
        assertThat(request.settings().password()).isEqualTo("typed-pw");
        assertThat(request.settings().driverOptions()).containsEntry("sslmode", "prefer");
        assertThat(request.toString()).doesNotContain("typed-pw");
        assertThat(vm.connectRequestProperty().get()).isSameAs(request);
        assertThat(vm.passwordProperty().get()).isEmpty();
        assertThat(store.load().lastUsed()).contains("Local");
    }

    @Test
    void theInstallOfferIsNotMadeWithoutATest() {
        vm.installDevSchema();
        assertThat(vm.messageIsErrorProperty().get()).isTrue();
        assertThat(vm.messageProperty().get()).contains("only offered");
    }

    @Test
    void lastUsedProfileIsSelectedOnTheNextStart() throws Exception {
        store.save(List.of(ConnectionProfile.local(), ConnectionProfile.supabaseCli()), Optional.of("Supabase CLI"));
        vm.load();
        assertThat(vm.selectedProperty().get().name()).isEqualTo("Supabase CLI");
        assertThat(vm.portProperty().get()).isEqualTo("54322");
    }
}
