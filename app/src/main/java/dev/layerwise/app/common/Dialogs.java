package dev.layerwise.app.common;

import java.util.Collection;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar.ButtonData;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

/**
 * Where every dialog of the workbench is made, so that all of them speak the app's language.
 * JavaFX's own {@link ButtonType#OK}, {@link ButtonType#CANCEL} and the "Show Details" link take
 * their text from the JVM's locale once, when first used; the workbench's language is a setting
 * that can differ and can change while the window is open. Cheap to make, holds no state but the
 * {@link Messages}; use on the FX thread.
 */
public final class Dialogs {

    private final Messages messages;

    public Dialogs(Messages messages) {
        this.messages = messages;
    }

    public ButtonType ok() {
        return button("button.ok", ButtonData.OK_DONE);
    }

    public ButtonType cancel() {
        return button("button.cancel", ButtonData.CANCEL_CLOSE);
    }

    public ButtonType close() {
        return button("button.close", ButtonData.CANCEL_CLOSE);
    }

    /** A button with the text of {@code key}; {@code data} places it and says what it means (OK, cancel, …). */
    public ButtonType button(String key, ButtonData data) {
        return new ButtonType(messages.get(key), data);
    }

    /**
     * An alert with {@code buttons}, or without any given: OK, and Cancel too when it asks a question.
     *
     * @param owner the window it belongs to, or null
     */
    public Alert alert(Alert.AlertType type, Window owner, String title, String text, ButtonType... buttons) {
        Alert a = new Alert(type, text == null ? "" : text);
        if (buttons.length > 0) {
            a.getButtonTypes().setAll(buttons);
        } else if (type == Alert.AlertType.CONFIRMATION) {
            a.getButtonTypes().setAll(ok(), cancel());
        } else {
            a.getButtonTypes().setAll(ok());
        }
        a.setTitle(title);
        return prepare(a, owner);
    }

    /** A one-line question with OK and Cancel; {@code showAndWait} gives the text on OK. */
    public TextInputDialog textInput(Window owner, String initial) {
        TextInputDialog d = new TextInputDialog(initial);
        // its result converter asks for the OK_DONE data, not the OK instance: own buttons keep it working
        d.getDialogPane().getButtonTypes().setAll(ok(), cancel());
        return prepare(d, owner);
    }

    /** A choice among {@code choices} with OK and Cancel; {@code showAndWait} gives the choice on OK. */
    public <T> ChoiceDialog<T> choice(Window owner, T initial, Collection<T> choices) {
        ChoiceDialog<T> d = new ChoiceDialog<>(initial, choices);
        d.getDialogPane().getButtonTypes().setAll(ok(), cancel());
        return prepare(d, owner);
    }

    private <D extends Dialog<?>> D prepare(D d, Window owner) {
        if (owner != null) {
            d.initOwner(owner);
        }
        DialogPane pane = d.getDialogPane();
        // the details link exists once the pane has laid out its buttons: name it then, and after each click
        d.showingProperty().addListener((o, was, now) -> {
            if (now) {
                nameDetailsLink(pane);
            }
        });
        pane.expandedProperty().addListener(o -> nameDetailsLink(pane));
        return d;
    }

    private void nameDetailsLink(DialogPane pane) {
        if (pane.lookup(".details-button") instanceof Hyperlink link) {
            link.setText(detailsText(pane));
            if (link.getProperties().putIfAbsent(Dialogs.class, Boolean.TRUE) == null) {
                // JavaFX names the link again on each click, after any listener of ours: take the name back
                link.textProperty().addListener((o, was, now) -> {
                    if (!detailsText(pane).equals(now)) {
                        link.setText(detailsText(pane));
                    }
                });
            }
        }
    }

    private String detailsText(DialogPane pane) {
        return messages.get(pane.isExpanded() ? "dialog.details.hide" : "dialog.details.show");
    }
}
