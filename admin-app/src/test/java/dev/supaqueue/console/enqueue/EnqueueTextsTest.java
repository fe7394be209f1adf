package dev.supaqueue.console.enqueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.ConsoleMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** FXMLLoader fails only at run time on a missing %key, so every key of Enqueue.fxml is checked here. */
class EnqueueTextsTest {

    private static final Pattern MESSAGE_KEY = Pattern.compile("\"%([\\w.]+)\"");

    @Test
    void everyKeyOfTheFormIsInTheConsoleBundle() throws IOException {
        ResourceBundle bundle = ConsoleMessages.bundle();
        String fxml;
        try (InputStream in = EnqueueView.class.getResourceAsStream("Enqueue.fxml")) {
            assertThat(in).as("Enqueue.fxml on the class path").isNotNull();
            fxml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher keys = MESSAGE_KEY.matcher(fxml);
        int found = 0;
        while (keys.find()) {
            found++;
            assertThat(bundle.containsKey(keys.group(1))).as("message key %s", keys.group(1)).isTrue();
        }
        assertThat(found).isGreaterThan(10);
    }
}
