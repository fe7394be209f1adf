package dev.supaqueue.console.fx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.console.MainWindowView;
import org.junit.jupiter.api.Test;

class ViewLoaderTest {

    @Test
    void findsTheFxmlNamedAfterTheView() {
        assertThat(ViewLoader.fxmlName(MainWindowView.class)).isEqualTo("MainWindow.fxml");
        assertThat(ViewLoader.requireResource(MainWindowView.class, "MainWindow.fxml").getPath())
                .endsWith("/dev/supaqueue/console/MainWindow.fxml");
    }

    @Test
    void rejectsAClassThatIsNotAView() {
        assertThatThrownBy(() -> ViewLoader.fxmlName(String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not named XxxView");
    }

    @Test
    void saysWhereAMissingResourceWasExpected() {
        assertThatThrownBy(() -> ViewLoader.requireResource(MainWindowView.class, "Nowhere.fxml"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Missing resource src-fx-resources/dev/supaqueue/console/Nowhere.fxml");
    }
}
