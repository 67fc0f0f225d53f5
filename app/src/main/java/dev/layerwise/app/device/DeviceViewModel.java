package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import dev.layerwise.app.compare.CompareViewModel;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * State of the Device view. Today it only says that the bridge is coming; the bridge issue
 * adds device discovery and runs here (off the FX thread, every adb call with a timeout) and
 * hands its top-5 results to {@link CompareViewModel#setDeviceColumns}.
 */
public final class DeviceViewModel {

    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper();
    private final CompareViewModel compare;

    public DeviceViewModel(CompareViewModel compare, Messages messages) {
        this.compare = compare;
        status.set(messages.get("device.status"));
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Where device results go; kept so the bridge needs no new wiring in the composition root. */
    public CompareViewModel compare() {
        return compare;
    }
}
