package dev.supaqueue.console.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.supaqueue.console.connection.ProfileStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's own preferences, kept in {@code console-settings.json} next to the connection profiles: the main
 * window's bounds, named split-pane divider positions and the theme. (The last used profile stays in
 * {@link ProfileStore}.)
 *
 * <p>Values live in memory and are written by {@link #save()}, atomically (temporary file, then a move), so a crash
 * never leaves half a file. A file that cannot be read is never fatal: the console starts with the defaults,
 * {@link #loadProblem()} says what was wrong, and the next save replaces the file. Used on the FX thread.
 */
public final class ConsoleSettings {

    static final String FILE_NAME = "console-settings.json";
    private static final int FORMAT_VERSION = 1;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final Map<String, Double> splitPositions = new LinkedHashMap<>();
    private Theme theme = Theme.LIGHT;
    private WindowBounds window;
    private String loadProblem;

    private ConsoleSettings(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Reads the settings in {@code directory}; defaults when there is no file yet, or when it is damaged (then
     * {@link #loadProblem()} names the problem). Never throws for the file's content.
     */
    public static ConsoleSettings load(Path directory) {
        ConsoleSettings settings = new ConsoleSettings(directory);
        Path file = settings.file();
        try {
            settings.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            // First start: the defaults.
        } catch (IOException | RuntimeException e) {
            settings.resetToDefaults();
            settings.loadProblem = "The console settings in " + file + " could not be read (" + describe(e)
                    + "); the default window size and light theme are used, and the file is rewritten on exit.";
            LOG.warn(settings.loadProblem);
        }
        return settings;
    }

    /** The settings in the same folder as the connection profiles ({@link ProfileStore#defaultDirectory()}). */
    public static ConsoleSettings inUserConfig() {
        return load(ProfileStore.defaultDirectory());
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** Why the file was ignored at start, if it was. */
    public Optional<String> loadProblem() {
        return Optional.ofNullable(loadProblem);
    }

    public Theme theme() {
        return theme;
    }

    public void setTheme(Theme theme) {
        this.theme = Objects.requireNonNull(theme, "theme");
    }

    /** The saved window bounds, whatever screens there are now. */
    public Optional<WindowBounds> window() {
        return Optional.ofNullable(window);
    }

    /** The saved window bounds if the window would be reachable on one of {@code screens}. */
    public Optional<WindowBounds> windowOn(ScreenArea screens) {
        return window().filter(bounds -> bounds.isReachableOn(screens.visualBounds()));
    }

    public void setWindow(WindowBounds window) {
        this.window = Objects.requireNonNull(window, "window");
    }

    /** A divider position (0 to 1) saved under {@code name}. */
    public OptionalDouble splitPosition(String name) {
        Double position = splitPositions.get(name);
        return position == null ? OptionalDouble.empty() : OptionalDouble.of(position);
    }

    public void setSplitPosition(String name, double position) {
        requireName(name);
        if (!(position >= 0 && position <= 1)) {
            throw new IllegalArgumentException("A divider position is between 0 and 1, got " + position + " for " + name);
        }
        splitPositions.put(name, position);
    }

    /** All saved divider positions by name. */
    public Map<String, Double> splitPositions() {
        return Map.copyOf(splitPositions);
    }

    /** Writes the settings to {@link #file()}, replacing it atomically. */
    public void save() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", FORMAT_VERSION);
        root.put("theme", theme.name().toLowerCase(Locale.ROOT));
        if (window != null) {
            ObjectNode node = root.putObject("window");
            node.put("x", window.x());
            node.put("y", window.y());
            node.put("width", window.width());
            node.put("height", window.height());
            node.put("maximized", window.maximized());
        }
        ObjectNode splits = root.putObject("splitPositions");
        splitPositions.forEach(splits::put);
        writeAtomically(JSON.writeValueAsString(root));
        loadProblem = null;
    }

    private void read(String text) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("expected a JSON object");
        }
        JsonNode themeNode = root.path("theme");
        if (!themeNode.isMissingNode()) {
            try {
                theme = Theme.valueOf(themeNode.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException("unknown theme \"" + themeNode.asText() + "\"; expected light or dark", e);
            }
        }
        JsonNode windowNode = root.path("window");
        if (!windowNode.isMissingNode()) {
            window = new WindowBounds(number(windowNode, "x"), number(windowNode, "y"),
                    number(windowNode, "width"), number(windowNode, "height"),
                    windowNode.path("maximized").asBoolean(false));
        }
        JsonNode splits = root.path("splitPositions");
        if (!splits.isMissingNode()) {
            if (!splits.isObject()) {
                throw new IOException("\"splitPositions\" must be an object of names and numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = splits.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isNumber()) {
                    throw new IOException("split position \"" + entry.getKey() + "\" is not a number");
                }
                setSplitPosition(entry.getKey(), entry.getValue().asDouble());
            }
        }
    }

    private static double number(JsonNode parent, String field) throws IOException {
        JsonNode node = parent.path(field);
        if (!node.isNumber()) {
            throw new IOException("window." + field + " must be a number");
        }
        return node.asDouble();
    }

    private void resetToDefaults() {
        theme = Theme.LIGHT;
        window = null;
        splitPositions.clear();
    }

    private void writeAtomically(String text) throws IOException {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".console-settings-", ".tmp");
        try {
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

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A split position needs a name");
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
