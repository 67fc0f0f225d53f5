package dev.layerwise.app.common;

import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.scene.Node;

/**
 * Redraws a view built from a view model's lists only when it can be seen: a change while it is
 * hidden (its tab not selected, or not yet in the window) marks it stale, and it is redrawn once
 * when it comes into sight. Changes in one go (several lists set by one refresh) make one redraw,
 * after the event that made them. FX thread only.
 *
 * <p>Why: every tick replaced the Compare view's cards (labels, tooltips) twice and laid them out
 * although the Layers tab was in front, on the FX thread the tick's numbers wait for.
 */
public final class RedrawWhenShown {

    private final Node node;
    private final Runnable redraw;
    private boolean stale;
    private boolean scheduled;

    /** @param redraw rebuilds {@code node}'s content from its view model */
    public RedrawWhenShown(Node node, Runnable redraw) {
        this.node = node;
        this.redraw = redraw;
        InvalidationListener check = o -> redrawIfShown();
        node.sceneProperty().addListener(check);
        node.visibleProperty().addListener(check);
        // a tab shows and hides its content through the region around it
        node.parentProperty().addListener((o, was, now) -> {
            if (was != null) {
                was.visibleProperty().removeListener(check);
            }
            if (now != null) {
                now.visibleProperty().addListener(check);
            }
            redrawIfShown();
        });
        if (node.getParent() != null) {
            node.getParent().visibleProperty().addListener(check);
        }
    }

    /** The content no longer matches the view model: redraw after this event if shown, else when shown. */
    public void request() {
        stale = true;
        if (!scheduled && shown()) {
            scheduled = true;
            Platform.runLater(() -> {
                scheduled = false;
                redrawIfShown();
            });
        }
    }

    /** Redraws now if a change is pending and the view can be seen (e.g. before reading its content). */
    public void redrawIfShown() {
        if (stale && shown()) {
            stale = false;
            redraw.run();
        }
    }

    private boolean shown() {
        if (node.getScene() == null) {
            return false;
        }
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }
}
