package dev.supaqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.console.runtime.RuntimeVersions;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.beans.value.WritableValue;
import org.junit.jupiter.api.Test;

class MainWindowViewModelTest {

    private final AtomicInteger exitRequests = new AtomicInteger();

    private MainWindowViewModel viewModel() {
        RuntimeVersions versions = new RuntimeVersions(
                "1.2.3", "1.2.4", "25.0.1+8-LTS", "Eclipse Adoptium", "25.0.4+3");
        return new MainWindowViewModel(versions, exitRequests::incrementAndGet, request -> {
            throw new AssertionError("no connection is opened in these tests");
        });
    }

    @Test
    void showsTheVersionsItWasGiven() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.consoleVersionProperty().get()).isEqualTo("1.2.3");
        assertThat(viewModel.brokerLibVersionProperty().get()).isEqualTo("1.2.4");
        assertThat(viewModel.javaRuntimeProperty().get()).isEqualTo("25.0.1+8-LTS (Eclipse Adoptium)");
        assertThat(viewModel.javafxRuntimeProperty().get()).isEqualTo("25.0.4+3");
    }

    @Test
    void exposesStateReadOnly() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.consoleVersionProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.brokerLibVersionProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.javaRuntimeProperty()).isNotInstanceOf(WritableValue.class);
        assertThat(viewModel.javafxRuntimeProperty()).isNotInstanceOf(WritableValue.class);
    }

    @Test
    void quitAsksTheApplicationToExitOnce() {
        MainWindowViewModel viewModel = viewModel();

        viewModel.quit();

        assertThat(exitRequests).hasValue(1);
    }

    @Test
    void startsWithoutAConnection() {
        MainWindowViewModel viewModel = viewModel();

        assertThat(viewModel.sessionProperty().get()).isNull();
        assertThat(viewModel.connectedProperty().get()).isFalse();
        assertThat(viewModel.readOnlyProperty().get()).isFalse();
        assertThat(viewModel.connectionTitleProperty().get()).isEmpty();
        viewModel.disconnect();
        assertThat(viewModel.connectedProperty().get()).isFalse();
    }
}
