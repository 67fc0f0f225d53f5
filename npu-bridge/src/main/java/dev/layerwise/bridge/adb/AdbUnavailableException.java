package dev.layerwise.bridge.adb;

import java.io.IOException;

/** No adb server runs and none can be started (adb missing or failing); the message says how to fix it. */
public final class AdbUnavailableException extends IOException {
    public AdbUnavailableException(String message) {
        super(message);
    }

    public AdbUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
