package dev.supaqueue.console.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A real split pane on a headless stage: saved dividers are restored, moved dividers are remembered. */
@ExtendWith(ApplicationExtension.class)
class SplitPositionsIT {

    private Path directory;
    private Stage stage;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        this.directory = Files.createTempDirectory("supaqueue-split-positions-it");
    }

    @Test
    void restoresSavedDividersAndSavesMovedOnes(FxRobot robot) throws IOException {
        ConsoleSettings saved = ConsoleSettings.load(directory);
        saved.setSplitPosition("test.panes.0", 0.2);
        saved.setSplitPosition("test.panes.1", 0.7);
        saved.save();
        ConsoleSettings settings = ConsoleSettings.load(directory);
        SplitPane pane = new SplitPane(new Pane(), new Pane(), new Pane());

        robot.interact(() -> {
            new SplitPositions(settings).bind("test.panes", pane);
            // TestFX reuses one stage, larger than this scene: the pane is laid out, then resized, as in a real start.
            stage.setScene(new Scene(pane, 600, 300));
            stage.show();
        });
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(pane.getDividerPositions()[0]).isCloseTo(0.2, within(0.01));
        assertThat(pane.getDividerPositions()[1]).isCloseTo(0.7, within(0.01));

        robot.interact(() -> pane.setDividerPosition(0, 0.35));
        settings.save();

        assertThat(ConsoleSettings.load(directory).splitPosition("test.panes.0").getAsDouble())
                .isCloseTo(0.35, within(0.01));
        assertThat(ConsoleSettings.load(directory).splitPosition("test.panes.1").getAsDouble())
                .isCloseTo(0.7, within(0.01));
    }
}
