package dev.layerwise.app.common;

import dev.layerwise.core.calibration.CalibrationException;
import dev.layerwise.core.config.ConfigException;
import dev.layerwise.core.onnx.DynamicInputException;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.runtime.InferenceException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Turns an error into the short sentence the error reporter shows: what failed, in the user's
 * language, then the engine's own message, which already names the file, line or layer.
 */
public final class ErrorMessages {

    private final Messages messages;

    public ErrorMessages(Messages messages) {
        this.messages = messages;
    }

    public String describe(Throwable e) {
        return describe(e, false);
    }

    private String describe(Throwable e, boolean opening) {
        String key;
        if (e instanceof ModelLoadException) {
            key = "error.model";
        } else if (e instanceof PreprocessException) {
            key = "error.preprocess";
        } else if (e instanceof CalibrationException) {
            key = "error.calibration";
        } else if (e instanceof ConfigException) {
            key = "error.config";
        } else if (e instanceof InferenceException) {
            key = "error.inference";
        } else if (e instanceof NoSuchFileException) {
            key = "error.noSuchFile";
        } else if (e instanceof IOException) {
            key = "error.io";
        } else if (e instanceof IllegalArgumentException) {
            key = "error.settings";
        } else {
            key = "error.unexpected";
        }
        return messages.get(key, inWindowTerms(e, opening));
    }

    /**
     * The engine names the command line's option for an input's size; in the window that is the
     * sidebar's Input shape field, and a model that failed to open must be opened again once it is
     * filled in. A missing size comes as its parts; other messages (a bad or unknown entry) name the
     * option, which is a constant of the engine's, where the field is meant.
     */
    private String inWindowTerms(Throwable e, boolean opening) {
        if (e instanceof DynamicInputException d) {
            return d.problem() + "; " + messages.get(opening ? "error.inputShapeHint.open" : "error.inputShapeHint.run") + " "
                    + d.example();
        }
        return firstLine(e).replace(InputShapes.OPTION, messages.get("error.inputShapeField"));
    }

    /** A failed open: a headline naming the file, then what went wrong, on the next line. */
    public String describeOpen(java.nio.file.Path file, Throwable e) {
        return messages.get("error.openHeadline", file.getFileName()) + "\n" + describe(e, true);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
