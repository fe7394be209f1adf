package dev.supaqueue.console.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.fx.ConsoleMessages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A missing key fails only at run time (FXMLLoader for %key, getString in code), so every key that Workers.fxml
 * and this package's sources use is checked against the console bundle here.
 */
class WorkersTextsTest {

    private static final Pattern FXML_KEY = Pattern.compile("\"%([\\w.]+)\"");
    private static final Pattern CODE_KEY = Pattern.compile("\"(workers\\.[\\w.]*\\w)\"");

    @Test
    void everyKeyOfTheScreenIsInTheConsoleBundle() throws IOException {
        ResourceBundle bundle = ConsoleMessages.bundle();
        String fxml;
        try (InputStream in = WorkersView.class.getResourceAsStream("Workers.fxml")) {
            assertThat(in).as("Workers.fxml on the class path").isNotNull();
            fxml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(check(bundle, FXML_KEY.matcher(fxml))).isGreaterThan(20);

        int inCode = 0;
        try (Stream<Path> sources = Files.list(Path.of("src/main/java/dev/supaqueue/console/workers"))) {
            for (Path source : sources.toList()) {
                inCode += check(bundle, CODE_KEY.matcher(Files.readString(source)));
            }
        }
        assertThat(inCode).isGreaterThan(15);
        for (Outcome outcome : Outcome.values()) {
            assertThat(bundle.containsKey("workers.outcome." + outcome.name())).as(outcome.name()).isTrue();
        }
    }

    private static int check(ResourceBundle bundle, Matcher keys) {
        int found = 0;
        while (keys.find()) {
            found++;
            assertThat(bundle.containsKey(keys.group(1))).as("message key %s", keys.group(1)).isTrue();
        }
        return found;
    }
}
