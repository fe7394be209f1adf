package dev.supaqueue.console.connection;

/** Where a profile's password is kept. Never in plain text. */
public enum PasswordPolicy {
    /** Nothing is kept: the password is typed at each connect. */
    ASK_EACH_TIME("Ask each time"),
    /** A file per profile, encrypted with a passphrase the user chooses. */
    ENCRYPTED_FILE("Encrypted file (passphrase)"),
    /** The operating system's keyring (on Linux: libsecret through secret-tool). */
    OS_KEYRING("OS keyring");

    private final String label;

    PasswordPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
