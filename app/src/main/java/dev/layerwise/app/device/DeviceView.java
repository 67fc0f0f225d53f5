package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/**
 * The Device view. The adb bridge lands with its own issue; until then this shows a clear
 * "coming" state. The seam: a {@link DeviceViewModel} whose state this view renders and whose
 * results the bridge will turn into Compare view columns.
 */
public final class DeviceView {

    private final VBox root = new VBox(12);

    public DeviceView(DeviceViewModel vm, Messages messages) {
        root.setId("device-view");
        root.getStyleClass().add("device-view");
        root.setPadding(new Insets(40));
        root.setAlignment(Pos.TOP_CENTER);
        Label title = new Label(messages.get("device.title"));
        title.getStyleClass().add("device-title");
        Label coming = new Label(messages.get("device.coming"));
        coming.setWrapText(true);
        coming.getStyleClass().add("device-coming");
        Label detail = new Label(messages.get("device.detail"));
        detail.setWrapText(true);
        detail.getStyleClass().add("hint");
        Label status = new Label();
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("device-status");
        root.getChildren().addAll(title, coming, detail, status);
        root.setMaxWidth(720);
    }

    public Node node() {
        return root;
    }
}
