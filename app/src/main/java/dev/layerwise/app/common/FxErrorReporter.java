package dev.layerwise.app.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Shows errors in a dialog: the short message up front, the stack trace behind "Details".
 * Non-modal so that a failing background task never blocks the window; a newer error replaces
 * the one on screen. Logs each error once, here, where it is handled.
 */
public final class FxErrorReporter implements ErrorReporter {

    private static final System.Logger LOG = System.getLogger(FxErrorReporter.class.getName());

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
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.OK);
        alert.setTitle(messages.get("error.title"));
        alert.setHeaderText(messages.get("error.header"));
        Label text = new Label(message);
        text.setWrapText(true);
        text.setId("error-message");
        text.setMaxWidth(520);
        alert.getDialogPane().setContent(text);
        if (details != null) {
            TextArea trace = new TextArea(stackTrace(details));
            trace.setEditable(false);
            trace.setWrapText(false);
            trace.setPrefRowCount(14);
            VBox.setVgrow(trace, Priority.ALWAYS);
            VBox box = new VBox(4, new Label(messages.get("error.details")), trace);
            alert.getDialogPane().setExpandableContent(box);
        }
        Window w = owner.get();
        if (w != null) {
            alert.initOwner(w);
        }
        alert.setOnHidden(e -> {
            if (showing == alert) {
                showing = null;
            }
        });
        showing = alert;
        alert.show();
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
