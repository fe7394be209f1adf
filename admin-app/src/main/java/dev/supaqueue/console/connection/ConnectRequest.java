package dev.supaqueue.console.connection;

import dev.supaqueue.broker.SupabaseBrokerSettings;
import java.util.Objects;

/**
 * What the Connections screen hands to the main window when the user connects.
 *
 * @param profile  the chosen profile (no password in it)
 * @param settings broker-lib settings including the password for this connect
 * @param readOnly open read-only: the profile says so, or it is a production profile that was not unlocked
 */
public record ConnectRequest(ConnectionProfile profile, SupabaseBrokerSettings settings, boolean readOnly) {

    public ConnectRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(settings, "settings");
    }

    /** {@link SupabaseBrokerSettings#toString()} masks the password already. */
    @Override
    public String toString() {
        return "ConnectRequest[" + profile.name() + ", " + settings + (readOnly ? ", read-only" : "") + "]";
    }
}
