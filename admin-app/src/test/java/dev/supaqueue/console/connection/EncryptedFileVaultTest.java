package dev.supaqueue.console.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedFileVaultTest {

    /** Few PBKDF2 rounds keep the test fast; the count is read back from the file. */
    private static final int ROUNDS = 1_000;
    private static final String PASSWORD = "Sup3r-secret pässword";

    @TempDir
    Path dir;

    private EncryptedFileVault vault(String passphrase) {
        return new EncryptedFileVault(dir, passphrase.toCharArray(), ROUNDS);
    }

    @Test
    void roundTripWithTheRightPassphrase() throws Exception {
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        assertThat(vault("correct horse").lookup("Staging")).hasValueSatisfying(
                chars -> assertThat(new String(chars)).isEqualTo(PASSWORD));
        assertThat(vault("correct horse").lookup("staging")).as("names ignore case").isPresent();
        assertThat(vault("correct horse").lookup("Other")).isEmpty();
    }

    @Test
    void theFileHoldsNeitherPasswordNorPassphrase() throws Exception {
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        Path file = vault("correct horse").fileFor("Staging");
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith(EncryptedFileVault.MAGIC).doesNotContain("Sup3r").doesNotContain("correct horse");
        assertThat(file.getFileName().toString()).doesNotContain("Staging");
    }

    @Test
    void wrongPassphraseIsAClearError() throws Exception {
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        assertThatThrownBy(() -> vault("wrong horse").lookup("Staging"))
                .isInstanceOf(PasswordVault.WrongPassphraseException.class)
                .hasMessageContaining("passphrase").hasMessageContaining("Staging")
                .message().doesNotContain(PASSWORD);
    }

    @Test
    void aTamperedFileNeverYieldsAPassword() throws Exception {
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        Path file = vault("correct horse").fileFor("Staging");
        String text = Files.readString(file);
        String data = text.lines().filter(l -> l.startsWith("data=")).findFirst().orElseThrow().substring(5);
        byte[] sealed = Base64.getDecoder().decode(data);
        sealed[0] ^= 1;
        Files.writeString(file, text.replace(data, Base64.getEncoder().encodeToString(sealed)));
        assertThatThrownBy(() -> vault("correct horse").lookup("Staging"))
                .isInstanceOf(PasswordVault.WrongPassphraseException.class).hasMessageContaining("changed");

        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> vault("correct horse").lookup("Staging"))
                .isInstanceOf(PasswordVault.VaultException.class).hasMessageContaining("not a Supaqueue password file");

        Files.writeString(file, EncryptedFileVault.MAGIC + "\niterations=1000\nsalt=!!\niv=AA\ndata=AA\n");
        assertThatThrownBy(() -> vault("correct horse").lookup("Staging"))
                .isInstanceOf(PasswordVault.VaultException.class).hasMessageContaining("damaged");
    }

    @Test
    void aFileCopiedOntoAnotherProfileDoesNotOpen() throws Exception {
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        EncryptedFileVault v = vault("correct horse");
        Files.createDirectories(v.fileFor("Production").getParent());
        Files.copy(v.fileFor("Staging"), v.fileFor("Production"));
        assertThatThrownBy(() -> v.lookup("Production")).isInstanceOf(PasswordVault.WrongPassphraseException.class);
    }

    @Test
    void shortPassphrasesAreRefusedAndClearForgets() throws Exception {
        assertThatThrownBy(() -> vault("short").store("Staging", PASSWORD.toCharArray()))
                .hasMessageContaining("at least 8");
        vault("correct horse").store("Staging", PASSWORD.toCharArray());
        vault("").clear("Staging");
        assertThat(vault("correct horse").lookup("Staging")).isEmpty();
    }
}
