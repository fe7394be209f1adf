package dev.supaqueue.console.connection;

import dev.supaqueue.console.fx.ConsoleMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;

/**
 * The console bundle plus i18n/connection.properties, as the bundle will be once the lead merges the keys into
 * messages.properties; a key missing from both fails loading the FXML.
 */
final class ConnectionMessages extends ResourceBundle {

    private final Map<String, Object> texts = new HashMap<>();

    ConnectionMessages() {
        ResourceBundle console = ConsoleMessages.bundle();
        console.keySet().forEach(key -> texts.put(key, console.getObject(key)));
        try (InputStream in = ConnectionMessages.class.getResourceAsStream("/dev/supaqueue/console/i18n/connection.properties")) {
            if (in == null) {
                throw new IllegalStateException("src-fx-resources/dev/supaqueue/console/i18n/connection.properties is missing");
            }
            PropertyResourceBundle own = new PropertyResourceBundle(new InputStreamReader(in, StandardCharsets.UTF_8));
            own.keySet().forEach(key -> texts.put(key, own.getObject(key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Object handleGetObject(String key) {
        return texts.get(key);
    }

    @Override
    public Enumeration<String> getKeys() {
        return Collections.enumeration(texts.keySet());
    }
}
