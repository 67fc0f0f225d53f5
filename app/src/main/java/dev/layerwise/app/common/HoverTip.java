package dev.layerwise.app.common;

import javafx.scene.control.Cell;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;

/**
 * A table cell's tooltip, made the first time the pointer enters the cell and kept current after
 * that. A {@link Tooltip} is a popup window with a scene and its own CSS pass: made in every cell
 * as it is filled, the Layers table made some 150 of them while it was first laid out (three
 * text columns and the type column, for every visible row), on the FX thread, in the frame that
 * shows the run. The pointer enters a cell before it rests on it, so the tooltip shows as before.
 * FX thread only.
 */
public final class HoverTip {

    private final Cell<?> cell;
    private Tooltip tip;
    private String text;

    /** Watches {@code cell} for the pointer; call {@link #setText} from the cell's {@code updateItem}. */
    public HoverTip(Cell<?> cell) {
        this.cell = cell;
        cell.addEventHandler(MouseEvent.MOUSE_ENTERED, e -> make());
    }

    /** The text the tooltip shows for the cell's current item; null: no tooltip. */
    public void setText(String text) {
        this.text = text;
        if (tip != null) {
            tip.setText(text);
            cell.setTooltip(text == null ? null : tip);
        }
    }

    private void make() {
        if (tip == null && text != null) {
            tip = new Tooltip(text);
            cell.setTooltip(tip);
        }
    }
}
