package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.console.runtime.RuntimeVersions;
import org.junit.jupiter.api.Test;

class ConsoleControllerFactoryTest {

    private final ConsoleControllerFactory factory = new ConsoleControllerFactory(new ConsoleServices(
            new RuntimeVersions("1.2.3", "1.2.4", "25", "vendor", "25"), () -> { }));

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
