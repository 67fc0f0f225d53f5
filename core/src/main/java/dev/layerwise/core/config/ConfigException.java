package dev.layerwise.core.config;

/** A quantization cfg is malformed or names something that does not exist; the message names file and line. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
