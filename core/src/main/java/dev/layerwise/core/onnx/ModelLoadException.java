package dev.layerwise.core.onnx;

/** A model file could not be read, parsed or run; the message names the file and what was wrong. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
