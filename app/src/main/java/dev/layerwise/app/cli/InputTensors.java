package dev.layerwise.app.cli;

import dev.layerwise.app.cli.CliCommand.UsageException;
import dev.layerwise.core.preprocess.InputLoader;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns {@code --input} into the model's input tensor: a {@code .npy} tensor as it is, an image
 * through core's preprocessing ({@link InputLoader}) sized for the host model's input.
 */
final class InputTensors {

    private InputTensors() {
    }

    /**
     * @param shape the model's declared input shape (dynamic dimensions -1), or {@code null} when unknown (.rknn)
     */
    static FloatTensor load(Path file, long[] shape, String inputName, Preprocessing pre, java.util.function.Consumer<String> warnings)
            throws UsageException, IOException, PreprocessException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".npy")) {
            if (shape == null) {
                throw new UsageException("--input " + file + ": an image needs the model's input size; give the float "
                        + "model with --host-model, or a preprocessed .npy tensor");
            }
            return InputLoader.load(file, shape, inputName, pre, warnings);
        }
        FloatTensor t = Npy.read(file);
        if (shape != null && !fits(t.shape(), shape)) {
            if (FloatTensor.elementCount(t.shape()) == elementCountOrMinusOne(shape)) {
                return new FloatTensor(shape.clone(), t.data());
            }
            throw new IOException(file + ": shape " + t.shapeText() + " does not fit input '" + inputName + "' "
                    + FloatTensor.shapeText(shape));
        }
        return t;
    }

    private static boolean fits(long[] actual, long[] declared) {
        if (actual.length != declared.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (declared[i] >= 0 && declared[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    private static long elementCountOrMinusOne(long[] shape) {
        return Arrays.stream(shape).anyMatch(d -> d < 0) ? -1 : FloatTensor.elementCount(shape);
    }
}
