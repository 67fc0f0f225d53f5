package dev.layerwise.bridge.run;

import dev.layerwise.bridge.device.Step;

/**
 * Hears how a device run goes. Called on the worker thread doing the run; a UI must hand the
 * calls over to its own thread. Implementations must return quickly and not throw.
 */
public interface DeviceProgress {

    /** Listens to nothing. */
    DeviceProgress NONE = (step, message) -> {
    };

    /** A step starts, e.g. PUSH "model.onnx (1.2 MiB)". */
    void step(Step step, String message);

    /** Bytes of one file transferred so far. */
    default void transfer(String file, long done, long total) {
    }

    /** One line printed by the runner on the device. */
    default void output(String line) {
    }

    /** Something worth telling that did not stop the run (e.g. the work folder could not be removed). */
    default void warning(String message) {
    }
}
