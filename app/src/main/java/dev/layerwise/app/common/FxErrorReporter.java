package dev.layerwise.app.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Shows errors in a dialog: the message's first line as the headline, the rest under it, the
 * stack trace behind "Details" (collapsed). The dialog has a bounded width and wraps its text, and
 * is kept on the owner's screen however long the message.
 * Non-modal so that a failing background task never blocks the window; a newer error replaces
 * the one on screen. Logs each error once, here, where it is handled.
 */
public final class FxErrorReporter implements ErrorReporter {

    private static final System.Logger LOG = System.getLogger(FxErrorReporter.class.getName());

    /** Wide enough for two short sentences a line; longer text wraps. */
    static final double MAX_TEXT_WIDTH = 480;

    private final Supplier<Window> owner;
    private final Messages messages;
    private Alert showing;

    public FxErrorReporter(Supplier<Window> owner, Messages messages) {
        this.owner = owner;
        this.messages = messages;
    }

    @Override
    public void report(String message, Throwable details) {
        LOG.log(System.Logger.Level.WARNING, message, details);
        if (showing != null) {
            showing.close();
        }
        Alert alert = new Dialogs(messages).alert(Alert.AlertType.ERROR, owner.get(), messages.get("error.title"), "");
        int nl = message.indexOf('\n');
        String headline = nl < 0 ? message : message.substring(0, nl);
        String body = nl < 0 ? "" : message.substring(nl + 1).strip();
        alert.setHeaderText(null);
        Label head = new Label(headline);
        head.setWrapText(true);
        head.setId("error-message");
        head.getStyleClass().add("error-headline");
        head.setMaxWidth(MAX_TEXT_WIDTH);
        head.setMinHeight(Region.USE_PREF_SIZE);
        VBox content = new VBox(8, head);
        if (!body.isEmpty()) {
            Label text = new Label(body);
            text.setWrapText(true);
            text.setId("error-body");
            text.setMaxWidth(MAX_TEXT_WIDTH);
            text.setMinHeight(Region.USE_PREF_SIZE);
            content.getChildren().add(text);
        }
        alert.getDialogPane().setContent(content);
        alert.getDialogPane().setMaxWidth(MAX_TEXT_WIDTH + 120);
        alert.getDialogPane().setPrefWidth(MAX_TEXT_WIDTH + 80);
        alert.setResizable(true);
        if (details != null) {
            TextArea trace = new TextArea(stackTrace(details));
            trace.setEditable(false);
            trace.setWrapText(false);
            trace.setPrefRowCount(14);
            trace.setPrefColumnCount(60);
            trace.setMaxWidth(MAX_TEXT_WIDTH + 40);
            VBox.setVgrow(trace, Priority.ALWAYS);
            VBox box = new VBox(4, new Label(messages.get("error.details")), trace);
            alert.getDialogPane().setExpandableContent(box);
        }
        Window w = owner.get();
        alert.setOnHidden(e -> {
            if (showing == alert) {
                showing = null;
            }
        });
        showing = alert;
        alert.setOnShown(e -> keepOnScreen(alert, w));
        alert.show();
    }

    /** Moves the dialog inside the owner's screen: a dialog whose OK button is off-screen cannot be closed. */
    private static void keepOnScreen(Alert alert, Window owner) {
        Window d = alert.getDialogPane().getScene() == null ? null : alert.getDialogPane().getScene().getWindow();
        if (d == null) {
            return;
        }
        javafx.geometry.Rectangle2D screen = (owner == null ? javafx.stage.Screen.getPrimary()
                : javafx.stage.Screen.getScreensForRectangle(owner.getX(), owner.getY(), Math.max(1, owner.getWidth()),
                        Math.max(1, owner.getHeight())).stream().findFirst().orElse(javafx.stage.Screen.getPrimary()))
                .getVisualBounds();
        double width = Math.min(d.getWidth(), screen.getWidth());
        double height = Math.min(d.getHeight(), screen.getHeight());
        d.setWidth(width);
        d.setHeight(height);
        d.setX(Math.max(screen.getMinX(), Math.min(d.getX(), screen.getMaxX() - width)));
        d.setY(Math.max(screen.getMinY(), Math.min(d.getY(), screen.getMaxY() - height)));
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
