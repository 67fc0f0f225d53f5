package dev.layerwise.bridge.device;

import dev.layerwise.core.io.Printable;

/**
 * Device work failed. The message names the device and the step, e.g.
 * {@code device 127.0.0.1:5555, push: connection to device lost}, so it can be shown as is: it is
 * one line, with any control characters from the serial or the device's output escaped.
 */
public class DeviceException extends Exception {

    private final String device;
    private final Step step;
    private final String reason;

    public DeviceException(String device, Step step, String reason) {
        this(device, step, reason, null);
    }

    public DeviceException(String device, Step step, String reason, Throwable cause) {
        super(Printable.of("device " + device + ", " + step.label() + ": " + reason), cause);
        this.device = device;
        this.step = step;
        this.reason = reason;
    }

    /** Serial (or address) of the device. */
    public String device() {
        return device;
    }

    public Step step() {
        return step;
    }

    /** The cause without the device and step prefix, control characters escaped. */
    public String reason() {
        return Printable.of(reason);
    }
}
