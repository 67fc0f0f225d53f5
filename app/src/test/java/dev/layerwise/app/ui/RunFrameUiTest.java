package dev.layerwise.app.ui;

import static dev.layerwise.app.ui.FxSupport.fx;
import static dev.layerwise.app.ui.FxSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.layers.LayerRow;
import dev.layerwise.core.analysis.LayerReport;
import java.util.Comparator;
import java.util.List;
import javafx.css.PseudoClass;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What the frame that shows a run holds and what the first tick after it changes, through the real
 * window: the selected (worst) layer's row in view at once, rows of one height, the hybrid's line in
 * a place kept for it so the first hybrid moves nothing, and cell tooltips made when the pointer comes.
 */
class RunFrameUiTest extends WindowUiTest {

    private static final PseudoClass IDLE = PseudoClass.getPseudoClass("idle");

    @Start
    void start(Stage stage) throws Exception {
        open(stage);
    }

    private TableView<LayerRow> table() {
        return window().layersView().table();
    }

    /** The table rows on screen now with their layer, clipped to the table's body (below the header). */
    private List<TableRow<?>> rowsInView() {
        TableView<LayerRow> t = table();
        Node header = t.lookup(".column-header-background");
        double top = header.localToScene(header.getBoundsInLocal()).getMaxY();
        double bottom = t.localToScene(t.getBoundsInLocal()).getMaxY();
        return t.lookupAll(".table-row-cell").stream().<TableRow<?>>map(n -> (TableRow<?>) n)
                .filter(r -> r.isVisible() && r.getItem() != null).filter(r -> {
                    Bounds b = r.localToScene(r.getBoundsInLocal());
                    return b.getMinY() >= top - 0.5 && b.getMaxY() <= bottom + 0.5;
                }).toList();
    }

    private boolean inView(String layer) {
        return rowsInView().stream().anyMatch(r -> ((LayerRow) r.getItem()).name().equals(layer));
    }

    @Test
    void theRunShowsTheWorstLayerSelectedAndInViewInRowsOfOneHeight() throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        WaitForAsyncUtils.waitForFxEvents();
        String worst = wb.project().result().analysis().layers().stream()
                .min(Comparator.comparingDouble(l -> l.individual().cosine())).map(LayerReport::name).orElseThrow();
        assertEquals(worst, fx(() -> table().getSelectionModel().getSelectedItem().name()));
        int index = fx(() -> table().getSelectionModel().getSelectedIndex());
        assertTrue(index > 40, "the sample's worst layer is far down the table: " + index);
        assertTrue(fx(() -> inView(worst)), "the selected layer's row is on screen");

        List<Double> heights = fx(() -> rowsInView().stream().map(r -> r.getHeight()).distinct().toList());
        double font = fx(() -> ((Label) table().getPlaceholder()).getFont().getSize());
        assertEquals(List.of(2 * font), heights, "every row 2em tall");
        assertEquals(2 * font, fx(() -> table().getFixedCellSize()), 1e-9);

        // sorted the other way round, the selected layer is brought into view again
        fx(() -> {
            table().getSortOrder().setAll(List.of(table().getColumns().get(1)));
            table().getColumns().get(1).setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> table().getSelectionModel().getSelectedIndex()) < 149 - 40, "now near the top half");
        assertTrue(fx(() -> inView(worst)), "the selected layer's row is on screen after the sort");

        // run again: the layer stays selected, in the table too, and in view
        var first = wb.project().result();
        fx(() -> {
            wb.project().run();
            return null;
        });
        waitUntil("the second run", () -> wb.project().result() != first && idle());
        assertEquals(worst, fx(() -> wb.layers().selectedLayerProperty().get()));
        assertEquals(worst, fx(() -> table().getSelectionModel().getSelectedItem() == null ? null
                : table().getSelectionModel().getSelectedItem().name()), "the table's selection after the second run");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> inView(worst)), "the selected layer's row is on screen after the second run");

        // the window rebuilt in another language: the new table finds the selected row once it is placed
        fx(() -> {
            window().showIn(java.util.Locale.SIMPLIFIED_CHINESE);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil("the selected layer's row on screen in the rebuilt window", () -> inView(worst));
        fx(() -> {
            window().showIn(java.util.Locale.ENGLISH);
            return null;
        });
    }

    @Test
    void theTypeEditorFitsItsRowAndPicksTheLayersType(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        WaitForAsyncUtils.waitForFxEvents();
        int index = fx(() -> table().getSelectionModel().getSelectedIndex());
        String layer = fx(() -> table().getItems().get(index).name());
        javafx.scene.control.TableColumn<LayerRow, ?> dtype = fx(() -> table().getColumns().stream()
                .filter(c -> "col-dtype".equals(c.getId())).findFirst().orElseThrow());
        fx(() -> {
            table().edit(index, (javafx.scene.control.TableColumn<LayerRow, Object>) dtype);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<dev.layerwise.core.quant.QuantType> editor = fx(() -> table().lookupAll(".combo-box").stream()
                .filter(n -> n.isVisible() && n.getScene() != null).map(n -> (javafx.scene.control.ComboBox<dev.layerwise.core.quant.QuantType>) n)
                .findFirst().orElseThrow());
        TableRow<?> row = fx(() -> rowsInView().stream().filter(r -> r.getIndex() == index).findFirst().orElseThrow());
        Bounds box = fx(() -> editor.localToScene(editor.getBoundsInLocal()));
        Bounds line = fx(() -> row.localToScene(row.getBoundsInLocal()));
        assertTrue(box.getMinY() >= line.getMinY() - 0.5 && box.getMaxY() <= line.getMaxY() + 0.5,
                "the editor " + box + " inside its row " + line + ", its own height " + fx(() -> editor.prefHeight(-1)));
        // picked as a person does: the list opened, "i16" clicked
        robot.clickOn(editor);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell")
                .match((javafx.scene.control.Labeled l) -> "i16".equals(l.getText())).queryAs(javafx.scene.control.Labeled.class));
        waitUntil("the layer in i16", () -> wb.layers().types().get(layer) == dev.layerwise.core.quant.QuantType.DYNAMIC_FIXED_POINT_I16);
    }

    @Test
    void theFirstHybridTakesThePlaceKeptForItAndMovesNothing() throws Exception {
        waitUntil("the first comparison", () -> wb.compare().columns().size() == 3 && idle());
        WaitForAsyncUtils.waitForFxEvents();
        Label hybrid = (Label) fx(() -> table().getScene().lookup("#hybrid-status"));
        Node toolbar = fx(() -> table().getScene().lookup("#layers-toolbar"));
        assertTrue(fx(hybrid::isVisible), "shown from the run on");
        assertEquals("Hybrid: no layer promoted yet \u00b7 tick one to compare", fx(hybrid::getText));
        assertTrue(fx(() -> hybrid.getPseudoClassStates().contains(IDLE)));
        double tableY = fx(() -> table().localToScene(table().getBoundsInLocal()).getMinY());
        double toolbarHeight = fx(() -> toolbar.getLayoutBounds().getHeight());
        double width = fx(hybrid::getWidth);

        String layer = tickRowAndWaitForTheHybrid(0);
        waitUntil("the hybrid's line", () -> !wb.layers().hybridStatusProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(hybrid::getText).startsWith("Hybrid, 1 promoted: final cos "), fx(hybrid::getText));
        assertFalse(fx(() -> hybrid.getPseudoClassStates().contains(IDLE)));
        assertEquals(tableY, fx(() -> table().localToScene(table().getBoundsInLocal()).getMinY()), 0.01, "the table did not move");
        assertEquals(toolbarHeight, fx(() -> toolbar.getLayoutBounds().getHeight()), 0.01, "the toolbar kept its lines");
        assertEquals(width, fx(hybrid::getWidth), 0.01, "the line kept its width");
        javafx.scene.text.Text text = new javafx.scene.text.Text(fx(hybrid::getText));
        text.setFont(fx(hybrid::getFont));
        assertTrue(text.getLayoutBounds().getWidth() <= width - 12, "the whole line fits: " + fx(hybrid::getText));

        // untick: back to the hint, in the same place
        fx(() -> {
            wb.layers().toggle(layer);
            return null;
        });
        waitUntil("no picks", () -> idle() && wb.layers().hybridStatusProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> hybrid.getPseudoClassStates().contains(IDLE)));
        assertEquals(tableY, fx(() -> table().localToScene(table().getBoundsInLocal()).getMinY()), 0.01);
    }

    @Test
    void aLayerCellGetsItsTooltipWhenThePointerComesToIt(FxRobot robot) throws Exception {
        waitUntil("the first analysis", () -> !wb.layers().rows().isEmpty() && idle());
        WaitForAsyncUtils.waitForFxEvents();
        List<TableCell<?, ?>> names = fx(() -> table().lookupAll(".table-cell").stream()
                .filter(n -> n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                        && "col-layer".equals(c.getTableColumn().getId()) && c.getText() != null)
                .<TableCell<?, ?>>map(n -> (TableCell<?, ?>) n).toList());
        assertFalse(names.isEmpty(), "layer name cells on screen");
        // (the pointer may have been left over the table by another test: at most that cell has one)
        assertTrue(fx(() -> names.stream().filter(c -> c.getTooltip() != null).count()) <= 1,
                "no tooltip made while the table was filled");

        TableCell<?, ?> cell = fx(() -> names.stream().filter(c -> inView(c.getText())).findFirst().orElseThrow());
        robot.moveTo(cell);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(fx(cell::getTooltip), "made when the pointer entered");
        assertEquals(fx(cell::getText), fx(() -> cell.getTooltip().getText()));

        // the cell shows another layer after a scroll: its tooltip follows
        fx(() -> {
            table().scrollTo(0);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        if (fx(cell::getText) != null) {
            assertEquals(fx(cell::getText), fx(() -> cell.getTooltip().getText()));
        } else {
            assertNull(fx(cell::getTooltip));
        }
    }
}
