package dev.supaqueue.console.connection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps connection profiles in {@code profiles.json} in the user's configuration folder. The file never holds a
 * password: {@link ConnectionProfile} has none, and only its fields are written. Writes go to a temporary file
 * that then replaces the old one, so a crash never leaves half a file.
 */
public final class ProfileStore {

    static final String FILE_NAME = "profiles.json";
    private static final int FORMAT_VERSION = 1;

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A store in {@code directory} (created on the first save). */
    public ProfileStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** A store in {@link #defaultDirectory()}. */
    public static ProfileStore inUserConfig() {
        return new ProfileStore(defaultDirectory());
    }

    /** {@code $XDG_CONFIG_HOME/supaqueue}, or {@code ~/.config/supaqueue} when that is not set. */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDirectory(Map<String, String> environment, String userHome) {
        String xdg = environment.get("XDG_CONFIG_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(userHome, ".config");
        return base.resolve("supaqueue");
    }

    /** The folder holding {@code profiles.json} (and the encrypted password files). */
    public Path directory() {
        return directory;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * The saved profiles; on first start (no file yet) the offered "Local" and "Supabase CLI" profiles, which
     * are written only once the user saves.
     *
     * @throws IOException if the file cannot be read or is not a profiles file (the message names the file)
     */
    public StoredProfiles load() throws IOException {
        Path file = file();
        if (!Files.exists(file)) {
            return new StoredProfiles(List.of(ConnectionProfile.local(), ConnectionProfile.supabaseCli()),
                    Optional.empty(), true);
        }
        JsonNode root;
        try {
            root = json.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException("Cannot read the connection profiles in " + file + ": it is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("profiles").isArray()) {
            throw new IOException("Cannot read the connection profiles in " + file
                    + ": expected an object with a \"profiles\" list");
        }
        List<ConnectionProfile> profiles = new ArrayList<>();
        for (JsonNode node : root.path("profiles")) {
            try {
                profiles.add(fromJson(node));
            } catch (IllegalArgumentException e) {
                throw new IOException("A profile in " + file + " is damaged: " + e.getMessage(), e);
            }
        }
        String lastUsed = root.path("lastUsed").asText("");
        StoredProfiles stored = new StoredProfiles(profiles, Optional.empty(), false);
        return new StoredProfiles(profiles, stored.find(lastUsed).map(ConnectionProfile::name), false);
    }

    /**
     * Replaces the saved profiles.
     *
     * @throws IllegalArgumentException if a profile has problems or two share a name (ignoring case)
     */
    public void save(List<ConnectionProfile> profiles, Optional<String> lastUsed) throws IOException {
        Set<String> seen = new HashSet<>();
        for (ConnectionProfile profile : profiles) {
            profile.requireValid();
            if (!seen.add(profile.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Two profiles are named '" + profile.name()
                        + "'; profile names must be unique.");
            }
        }
        ObjectNode root = json.createObjectNode();
        root.put("version", FORMAT_VERSION);
        lastUsed.ifPresent(name -> root.put("lastUsed", name));
        ArrayNode list = root.putArray("profiles");
        profiles.forEach(profile -> list.add(toJson(profile)));
        writeAtomically(json.writeValueAsString(root));
    }

    /** Saves the profiles as they are with {@code name} as the last used one. */
    public void rememberLastUsed(String name) throws IOException {
        StoredProfiles stored = load();
        save(stored.profiles(), Optional.of(name));
    }

    private void writeAtomically(String text) throws IOException {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".profiles-", ".tmp");
        try {
            restrictToOwner(temp);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Profiles tell where the databases are; other users of the machine need not read them. */
    static void restrictToOwner(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private ObjectNode toJson(ConnectionProfile profile) {
        ObjectNode node = json.createObjectNode();
        node.put("name", profile.name());
        node.put("host", profile.host());
        node.put("port", profile.port());
        node.put("database", profile.database());
        node.put("user", profile.user());
        node.put("namespace", profile.namespace());
        node.put("sslMode", profile.sslMode().value());
        node.put("readOnly", profile.readOnly());
        node.put("production", profile.production());
        node.put("colour", profile.colour().name());
        node.put("passwordPolicy", profile.passwordPolicy().name());
        return node;
    }

    private static ConnectionProfile fromJson(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected an object, found " + node.getNodeType());
        }
        ConnectionProfile profile = new ConnectionProfile(
                node.path("name").asText(""),
                node.path("host").asText(""),
                node.path("port").asInt(0),
                node.path("database").asText(""),
                node.path("user").asText(""),
                node.path("namespace").asText(""),
                SslMode.fromValue(node.path("sslMode").asText("prefer")),
                node.path("readOnly").asBoolean(false),
                node.path("production").asBoolean(false),
                ColourTag.valueOf(node.path("colour").asText(ColourTag.GREY.name())),
                PasswordPolicy.valueOf(node.path("passwordPolicy").asText(PasswordPolicy.ASK_EACH_TIME.name())));
        return profile.requireValid();
    }
}
