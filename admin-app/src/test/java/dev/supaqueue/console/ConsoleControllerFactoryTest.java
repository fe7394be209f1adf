package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.console.fx.BackgroundTasks;
import dev.supaqueue.console.fx.ConsoleMessages;
import dev.supaqueue.console.runtime.RuntimeVersions;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleControllerFactoryTest {

    @TempDir
    Path configDirectory;

    private ConsoleControllerFactory factory;

    @BeforeEach
    void createFactory() {
        factory = new ConsoleControllerFactory(TestConsoleServices.create(
                new RuntimeVersions("1.2.3", "1.2.4", "25", "vendor", "25"), () -> { }, BackgroundTasks.inline(),
                configDirectory, text -> { }), ConsoleMessages.bundle());
    }

    @Test
    void createsAFreshMainWindowViewEachTime() {
        Object first = factory.call(MainWindowView.class);
        Object second = factory.call(MainWindowView.class);

        assertThat(first).isInstanceOf(MainWindowView.class).isNotSameAs(second);
    }

    @Test
    void namesTheFixForAnUnregisteredView() {
        assertThatThrownBy(() -> factory.call(String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("register it in ConsoleControllerFactory");
    }
}
