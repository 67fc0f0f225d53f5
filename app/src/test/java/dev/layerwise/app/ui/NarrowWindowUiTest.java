package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.layers.LayerRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A 1024 x 700 window in English and in Chinese: the Layers table's short columns show their
 * headers and values whole, the way JavaFX draws them (a cut label draws "…" in place of its text).
 */
class NarrowWindowUiTest extends WindowUiTest {

    /** Every column whose values a user reads or compares; the Layer column may cut a long name (its tooltip has it). */
    private static final Set<String> WHOLE = Set.of("col-promote", "col-index", "col-op", "col-shape", "col-dtype",
            "col-individual", "col-entire", "col-hybrid-entire", "col-euclidean");


    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    @Test
    void at1024x700TheLayerTablesShortColumnsAreNeverCutInEnglishOrChinese(FxRobot robot) throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        // a promoted layer and a rebuilt hybrid: the widest type name and the extra Hybrid column
        fx(() -> {
            wb.layers().toggle("Conv_117");
            wb.rebuild();
            return null;
        });
        waitUntil("the hybrid's entire cosines", () -> idle() && !wb.layers().hybridEntireProperty().get().isEmpty());
        fx(() -> {
            session.stage.setMaximized(false);
            session.stage.setWidth(1024);
            session.stage.setHeight(700);
            return null;
        });
        waitUntil("the window at 1024 x 700", () -> session.stage.getScene().getWidth() <= 1024 && session.stage.getScene().getHeight() <= 700);

        for (Locale language : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            fx(() -> {
                window().showIn(language);
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            WaitForAsyncUtils.sleep(400, java.util.concurrent.TimeUnit.MILLISECONDS);
            TableView<LayerRow> table = window().layersView().table();
            // the promoted row in view too, so that "i16" is among the cells checked
            fx(() -> {
                table.scrollTo(table.getItems().stream().filter(r -> r.name().equals("Conv_117")).findFirst().orElseThrow());
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();

            List<String> cut = fx(() -> cutTexts(table));
            assertEquals(List.of(), cut, language + ": cut headers or cells");
            int cells = fx(() -> checkedCells(table));
            assertTrue(cells > 60, language + ": only " + cells + " cells checked");
            Set<String> headers = fx(() -> Set.copyOf(headers(table).stream().map(h -> h.getTableColumn().getId()).toList()));
            assertTrue(headers.containsAll(WHOLE), language + ": headers shown " + headers);
            // and no sideways scrolling: every header ends inside the table
            double right = fx(() -> table.localToScene(table.getBoundsInLocal()).getMaxX());
            for (TableColumnHeader h : fx(() -> headers(table))) {
                Bounds b = fx(() -> h.localToScene(h.getBoundsInLocal()));
                assertTrue(b.getMaxX() <= right + 0.5, language + ": " + h.getTableColumn().getId() + " ends at " + b.getMaxX()
                        + ", the table at " + right);
            }
            assertTrue(fx(() -> table.lookupAll(".table-cell").stream().anyMatch(n -> n instanceof TableCell<?, ?> c
                    && c.getTableColumn() != null && "col-dtype".equals(c.getTableColumn().getId()) && "i16".equals(c.getText()))),
                    language + ": the promoted row's type among the cells");
        }
        fx(() -> {
            window().showIn(Locale.ENGLISH);
            return null;
        });
    }

    private static List<TableColumnHeader> headers(TableView<LayerRow> table) {
        List<TableColumnHeader> out = new ArrayList<>();
        for (Node n : table.lookupAll(".column-header")) {
            if (n instanceof TableColumnHeader h && h.getTableColumn() != null && WHOLE.contains(h.getTableColumn().getId())
                    && h.getTableColumn().isVisible()) {
                out.add(h);
            }
        }
        return out;
    }

    private static List<TableCell<?, ?>> cells(TableView<LayerRow> table) {
        List<TableCell<?, ?>> out = new ArrayList<>();
        for (Node n : table.lookupAll(".table-cell")) {
            if (n instanceof TableCell<?, ?> c && c.isVisible() && c.getTableColumn() != null && c.getText() != null
                    && !c.getText().isEmpty() && WHOLE.contains(c.getTableColumn().getId())) {
                out.add(c);
            }
        }
        return out;
    }

    private static int checkedCells(TableView<LayerRow> table) {
        return cells(table).size();
    }

    /** Each label whose drawn text differs from its own: JavaFX draws a label too narrow for its text with "…". */
    private static List<String> cutTexts(TableView<LayerRow> table) {
        List<String> cut = new ArrayList<>();
        for (TableColumnHeader h : headers(table)) {
            for (Node n : h.lookupAll(".label")) {
                if (n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty() && !drawn(l).equals(l.getText())) {
                    cut.add(h.getTableColumn().getId() + " header '" + l.getText() + "' drawn as '" + drawn(l) + "'");
                }
            }
        }
        for (TableCell<?, ?> c : cells(table)) {
            if (!drawn(c).equals(c.getText())) {
                cut.add(c.getTableColumn().getId() + " cell '" + c.getText() + "' drawn as '" + drawn(c) + "'");
            }
        }
        return cut;
    }

    private static String drawn(Labeled l) {
        for (Node n : l.getChildrenUnmodifiable()) {
            if (n instanceof Text t) {
                return t.getText();
            }
        }
        return "";
    }
}
