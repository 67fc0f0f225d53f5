package dev.layerwise.bridge.profile;

/** A runner profile is unknown or malformed; the message names the file and the field. */
public class ProfileException extends Exception {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
