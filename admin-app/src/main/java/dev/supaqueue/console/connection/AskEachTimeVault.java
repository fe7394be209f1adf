package dev.supaqueue.console.connection;

import java.util.Optional;

/** The default: keeps nothing, so the password is typed at each connect. */
public final class AskEachTimeVault implements PasswordVault {

    @Override
    public PasswordPolicy policy() {
        return PasswordPolicy.ASK_EACH_TIME;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    /** Does nothing: this policy's point is that nothing is kept. */
    @Override
    public void store(String profileName, char[] password) {
    }

    @Override
    public Optional<char[]> lookup(String profileName) {
        return Optional.empty();
    }

    @Override
    public void clear(String profileName) {
    }
}
