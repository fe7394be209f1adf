package dev.supaqueue.console.connection;

import java.nio.file.Path;
import java.util.Objects;

/** Picks the {@link PasswordVault} for a profile's {@link PasswordPolicy}. */
public final class PasswordVaults {

    private final Path configDirectory;
    private final PasswordVault keyring;
    private final PasswordVault askEachTime = new AskEachTimeVault();

    /**
     * @param configDirectory where encrypted password files go (the profile store's folder)
     * @param keyring         the OS keyring vault ({@link SecretToolVault} in the application)
     */
    public PasswordVaults(Path configDirectory, PasswordVault keyring) {
        this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory");
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    /** The vault for {@code policy}; the passphrase is used by the encrypted file only (may be empty otherwise). */
    public PasswordVault forPolicy(PasswordPolicy policy, char[] passphrase) {
        return switch (policy) {
            case ASK_EACH_TIME -> askEachTime;
            case ENCRYPTED_FILE -> new EncryptedFileVault(configDirectory, passphrase == null ? new char[0] : passphrase);
            case OS_KEYRING -> keyring;
        };
    }

    /** Whether the OS keyring can be used here, and if not why. */
    public PasswordVault.Availability keyringAvailability() {
        return keyring.availability();
    }
}
