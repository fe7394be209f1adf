package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStoreTest {

    @TempDir
    Path dir;

    private static final ConnectionProfile STAGING = new ConnectionProfile("Staging", "db.abc.supabase.co", 6543,
            "postgres", "postgres.abc", "billing", SslMode.VERIFY_FULL, true, true, ColourTag.ORANGE,
            PasswordPolicy.ENCRYPTED_FILE);

    @Test
    void firstStartOffersLocalAndSupabaseCliWithoutWritingAFile() throws IOException {
        StoredProfiles stored = new ProfileStore(dir).load();
        assertThat(stored.firstStart()).isTrue();
        assertThat(stored.profiles()).extracting(ConnectionProfile::name).containsExactly("Local", "Supabase CLI");
        assertThat(stored.profiles().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(stored.profiles().get(0).port()).isEqualTo(5432);
        assertThat(stored.profiles().get(1).port()).isEqualTo(54322);
        assertThat(stored.profiles().get(1).user()).isEqualTo("postgres");
        assertThat(Files.exists(dir.resolve("profiles.json"))).isFalse();
    }

    @Test
    void roundTripKeepsEveryFieldAndTheLastUsedName() throws IOException {
        ProfileStore store = new ProfileStore(dir.resolve("nested"));
        store.save(List.of(ConnectionProfile.local(), STAGING), Optional.of("Staging"));

        StoredProfiles loaded = new ProfileStore(dir.resolve("nested")).load();
        assertThat(loaded.firstStart()).isFalse();
        assertThat(loaded.profiles()).containsExactly(ConnectionProfile.local(), STAGING);
        assertThat(loaded.lastUsed()).contains("Staging");

        store.rememberLastUsed("Local");
        assertThat(store.load().lastUsed()).contains("Local");
    }

    @Test
    void theFileHoldsNoPasswordFieldAndNoTemporaryFileRemains() throws IOException {
        ProfileStore store = new ProfileStore(dir);
        store.save(List.of(STAGING), Optional.empty());
        String text = Files.readString(store.file());
        assertThat(text.toLowerCase()).doesNotContain("password\"").doesNotContain("secret");
        assertThat(text).contains("\"passwordPolicy\" : \"ENCRYPTED_FILE\"");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("profiles.json");
        }
    }

    @Test
    void duplicateNamesAndInvalidProfilesAreRefused() {
        ProfileStore store = new ProfileStore(dir);
        assertThatThrownBy(() -> store.save(List.of(STAGING, STAGING.withName("STAGING")), Optional.empty()))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> store.save(List.of(STAGING.withName("")), Optional.empty()))
                .hasMessageContaining("name");
        assertThat(Files.exists(store.file())).isFalse();
    }

    @Test
    void aDamagedFileIsReportedWithItsPath() throws IOException {
        Files.writeString(dir.resolve("profiles.json"), "{ not json");
        assertThatThrownBy(() -> new ProfileStore(dir).load()).isInstanceOf(IOException.class)
                .hasMessageContaining("profiles.json").hasMessageContaining("not valid JSON");
        Files.writeString(dir.resolve("profiles.json"), "{\"profiles\":[{\"name\":\"x\",\"host\":\"h\",\"port\":0}]}");
        assertThatThrownBy(() -> new ProfileStore(dir).load()).hasMessageContaining("damaged")
                .hasMessageContaining("port");
    }

    @Test
    void defaultDirectoryFollowsXdgConfigHome() {
        assertThat(ProfileStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/tmp/cfg"), "/home/ann"))
                .isEqualTo(Path.of("/tmp/cfg/supaqueue"));
        assertThat(ProfileStore.defaultDirectory(Map.of(), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.config/supaqueue"));
        assertThat(ProfileStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "relative"), "/home/ann"))
                .isEqualTo(Path.of("/home/ann/.config/supaqueue"));
    }
}
