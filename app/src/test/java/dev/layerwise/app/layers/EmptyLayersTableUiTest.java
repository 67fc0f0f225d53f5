package dev.layerwise.app.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.WindowlessWorkbench;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.engine.CoreEngine;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** What the Layers table says while it has no rows: a window without a model must not say "Press Run". */
@ExtendWith(ApplicationExtension.class)
class EmptyLayersTableUiTest {

    private final Messages messages = new Messages(Locale.ENGLISH);
    private final SimpleBooleanProperty running = new SimpleBooleanProperty(false);
    private Workbench wb;

    @Start
    void start(Stage stage) {
        wb = WindowlessWorkbench.create(new CoreEngine(), new CurrentThreadTaskRunner(), (text, e) -> { }, messages);
        LayersView view = new LayersView(wb.layers(), wb.vendor(), messages, () -> { }, running,
                wb.project().modelProperty());
        stage.setScene(new Scene((Parent) view.node(), 900, 600));
        stage.show();
    }

    @Test
    void withoutAModelTheEmptyTableSaysHowToOpenOneThenToPressRun(FxRobot robot) throws Exception {
        Label text = robot.lookup("#layers-placeholder").queryAs(Label.class);
        assertEquals(null, wb.project().modelProperty().get());
        assertEquals(messages.get("layers.noModel"), text.getText());
        assertTrue(text.getText().startsWith("Open a model to begin"), text.getText());

        Path sample = SampleModel.locate();
        assertNotNull(sample, "sample model not found");
        onFx(() -> {
            wb.project().useSample(sample);
            return null;
        });
        assertEquals(messages.get("layers.empty"), text.getText());
        assertNotEquals(messages.get("layers.noModel"), text.getText());

        onFx(() -> {
            running.set(true);
            return null;
        });
        assertEquals(messages.get("layers.running"), text.getText());
    }

    private static void onFx(Callable<Void> work) throws Exception {
        WaitForAsyncUtils.asyncFx(work).get();
        WaitForAsyncUtils.waitForFxEvents();
    }
}
