package dev.layerwise.app.device;

import dev.layerwise.app.cli.CliCommand.UsageException;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Turns {@code --input} into the model's input tensor. Today: a {@code .npy} tensor. Images go
 * through core's preprocessing ({@code InputLoader}) once it is available to this module; that is
 * the one place to plug it in.
 */
final class InputTensors {

    private InputTensors() {
    }

    /**
     * @param shape the model's declared input shape (dynamic dimensions -1), or {@code null} when unknown (.rknn)
     */
    static FloatTensor load(Path file, long[] shape, String inputName) throws UsageException, IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".npy")) {
            throw new UsageException("--input: only .npy tensors are accepted for now (image preprocessing for "
                    + "device-run arrives with core's InputLoader); save the preprocessed input with numpy.save");
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
