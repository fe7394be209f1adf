package dev.supaqueue.console.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleMessagesTest {

    /** %key in an FXML attribute value; FXMLLoader fails at run time on a missing key. */
    private static final Pattern MESSAGE_KEY = Pattern.compile("\"%([\\w.]+)\"");

    @ParameterizedTest
    @ValueSource(strings = {"MainWindow.fxml", "connection/Connections.fxml", "queues/Queues.fxml",
        "enqueue/Enqueue.fxml"})
    void everyKeyInTheScreensFxmlIsInTheBundle(String screen) throws IOException {
        ResourceBundle bundle = ConsoleMessages.bundle();
        String fxml;
        try (InputStream in = ConsoleMessages.class.getResourceAsStream("/dev/supaqueue/console/" + screen)) {
            assertThat(in).as(screen + " on the class path").isNotNull();
            fxml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        Matcher keys = MESSAGE_KEY.matcher(fxml);
        int found = 0;
        while (keys.find()) {
            found++;
            assertThat(bundle.containsKey(keys.group(1))).as("message key %s of %s", keys.group(1), screen).isTrue();
        }
        assertThat(found).as("%key references in " + screen).isPositive();
    }

    @Test
    void theWindowTitleIsTheProductName() {
        assertThat(ConsoleMessages.bundle().getString("app.title")).isEqualTo("Supaqueue console");
    }
}
