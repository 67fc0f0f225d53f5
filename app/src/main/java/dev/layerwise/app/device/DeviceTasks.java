package dev.layerwise.app.device;

import dev.layerwise.app.common.BackgroundTask;
import dev.layerwise.app.common.ErrorMessages;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.common.TaskHandle;
import dev.layerwise.app.common.TaskRunner;
import dev.layerwise.bridge.adb.AdbUnavailableException;
import dev.layerwise.bridge.device.CancelToken;
import dev.layerwise.bridge.device.DeviceException;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * What the board list and the board runs share: one device action at a time (busy), the panel's
 * last device failure, the cancel token of the action in progress and the device worker. Device
 * failures go to {@link #error}, never to dialogs. FX thread only.
 */
final class DeviceTasks {

    final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final TaskRunner deviceRunner;
    private final Messages messages;
    private CancelToken token;
    private TaskHandle prepareHandle = TaskHandle.NONE;
    private TaskHandle deviceHandle = TaskHandle.NONE;

    DeviceTasks(TaskRunner deviceRunner, Messages messages) {
        this.deviceRunner = deviceRunner;
        this.messages = messages;
    }

    TaskRunner runner() {
        return deviceRunner;
    }

    /** Starts a device action: clears the last error, makes a fresh cancel token. */
    CancelToken begin() {
        error.set("");
        busy.set(true);
        token = new CancelToken();
        return token;
    }

    /** The host-side preparation of a run in progress (on the engine's worker), cancelled with the rest. */
    void preparing(TaskHandle h) {
        prepareHandle = h;
    }

    /** Device work: a device failure goes to the panel; cancellation and the rest end the busy state. */
    <T> void submit(BackgroundTask<T> task) {
        deviceHandle = deviceRunner.submit(task
                .onError(DeviceException.class, e -> error.set(e.getMessage()))
                .onError(AdbUnavailableException.class, e -> error.set(e.getMessage()))
                .onCancelled(() -> busy.set(false))
                .onAnyError(e -> error.set(new ErrorMessages(messages).describe(e)))
                .onFinally(() -> busy.set(false)));
    }

    /** Device work that handles its own errors and end (a board run). */
    <T> void submitRaw(BackgroundTask<T> task) {
        deviceHandle = deviceRunner.submit(task);
    }

    /** Stops the device work in progress: the bridge closes its streams, the worker gives up. */
    void cancel() {
        if (token != null) {
            token.cancel();
        }
        prepareHandle.cancel();
        deviceHandle.cancel();
    }
}
