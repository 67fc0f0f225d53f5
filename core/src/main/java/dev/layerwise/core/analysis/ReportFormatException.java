package dev.layerwise.core.analysis;

/** A report file (e.g. a vendor's {@code error_analysis.txt}) is not in the expected layout; the message names file and line. */
public class ReportFormatException extends Exception {
    public ReportFormatException(String message) {
        super(message);
    }

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
