package dev.supaqueue.console.connection;

import java.util.Optional;

/**
 * Keeps (or deliberately does not keep) the password of a profile. Passwords travel as {@code char[]} so that
 * callers can clear them after use; nothing here ever writes one in plain text.
 */
public interface PasswordVault {

    /** Which policy this vault implements. */
    PasswordPolicy policy();

    /** Whether it can be used on this machine, and if not why. */
    Availability availability();

    /** Keeps {@code password} for {@code profileName}, replacing what was kept. */
    void store(String profileName, char[] password) throws VaultException;

    /** The kept password, or empty when none is kept. */
    Optional<char[]> lookup(String profileName) throws VaultException;

    /** Forgets the password of {@code profileName}; nothing happens when none is kept. */
    void clear(String profileName) throws VaultException;

    /** Whether a vault is usable, with the reason when it is not. */
    record Availability(boolean available, String reason) {

        public static Availability yes() {
            return new Availability(true, "");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }

    /** A vault could not do what was asked; the message says why in plain words and never holds a password. */
    class VaultException extends Exception {
        public VaultException(String message) {
            super(message);
        }

        public VaultException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The passphrase does not open the encrypted password file (or the file was changed). */
    final class WrongPassphraseException extends VaultException {
        public WrongPassphraseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
