package dev.layerwise.core.runtime;

/** ONNX Runtime failed to run a model; the message names the model and, where ORT says, the node. */
public class InferenceException extends Exception {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InferenceException(String message) {
        super(message);
    }
}
