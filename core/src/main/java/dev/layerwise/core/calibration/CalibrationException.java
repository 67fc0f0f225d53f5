package dev.layerwise.core.calibration;

/** Calibration could not finish; the message names the sample (file and line) or tensor. */
public class CalibrationException extends Exception {
    public CalibrationException(String message, Throwable cause) {
        super(message, cause);
    }

    public CalibrationException(String message) {
        super(message);
    }
}
