package dev.supaqueue.console.connection;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The saved profiles and the name of the one used last.
 *
 * @param profiles  in the order the user sees them
 * @param lastUsed  the name of the last profile connected to, if it still exists
 * @param firstStart true when nothing was saved yet and these are the offered starting profiles
 */
public record StoredProfiles(List<ConnectionProfile> profiles, Optional<String> lastUsed, boolean firstStart) {

    public StoredProfiles {
        profiles = List.copyOf(profiles);
        Objects.requireNonNull(lastUsed, "lastUsed");
    }

    /** The profile with this name (ignoring case). */
    public Optional<ConnectionProfile> find(String name) {
        return profiles.stream().filter(p -> ConnectionProfile.sameName(p.name(), name)).findFirst();
    }
}
