package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.core.RealWorldModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * A model with dynamic height and width (an OCR detector's 1x3xHxW) in the real window: the
 * failed open says where to give its size, and once typed into the sidebar's Input shape field
 * the same model opens and is analysed at that size.
 */
class DynamicModelUiTest extends WindowUiTest {


    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void aDynamicModelOpensOnceItsSizeIsTypedIntoTheInputShapeField(FxRobot robot, @TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("ocr_det.onnx"), RealWorldModels.dynamicSizeDetector().toBytes());
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(56, 40, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 56; x++) {
                    img.setRGB(x, y, ((x * 4 + i * 30) & 0xff) << 16 | ((y * 6) & 0xff) << 8 | ((x + y) * 2 & 0xff));
                }
            }
            ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            list.append(i).append(".png\n");
        }
        Files.writeString(dir.resolve("dataset.txt"), list);
        waitUntil("the sample's first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        Path sample = wb.project().modelProperty().get();

        fx(() -> {
            wb.workspace().openModel(model);
            return null;
        });
        waitUntil("the error", () -> idle() && robot.lookup("#error-message").tryQuery().isPresent());
        String body = robot.lookup("#error-body").queryAs(Label.class).getText();
        assertTrue(body.contains("input 'x' has a dynamic dimension 'h'") && body.contains("Input shape field")
                && body.contains("x=1,3,640,640") && !body.contains("--input-shape"), body);
        assertEquals(sample, wb.project().modelProperty().get(), "the failed open changed nothing");
        robot.clickOn("OK");

        robot.clickOn("#input-shape").write("x=1,3,40,56");
        fx(() -> {
            wb.workspace().openModel(model);
            return null;
        });
        waitUntil("the dynamic model analysed", () -> idle() && model.equals(wb.project().modelProperty().get())
                && !wb.layers().rows().isEmpty() && wb.layers().rows().get(0).name().startsWith("backbone/"));
        assertEquals("x=1,3,40,56", fx(() -> wb.project().inputShapeProperty().get()));
        List<String> shapes = fx(() -> wb.layers().rows().stream().map(LayerRow::shape).toList());
        assertEquals("1x8x20x28", shapes.get(0), "the first conv at the typed size, stride 2: " + shapes);
        assertEquals("1x1x40x56", shapes.get(shapes.size() - 1), "the probability map at the typed size: " + shapes);
        assertTrue(robot.lookup("#error-message").tryQuery().isEmpty(), "no error this time");

        // the next model opened gets no shape meant for this one
        fx(() -> {
            wb.workspace().openModel(sample);
            return null;
        });
        waitUntil("the sample again", () -> idle() && sample.equals(wb.project().modelProperty().get()));
        assertEquals("", fx(() -> wb.project().inputShapeProperty().get()));
    }
}
