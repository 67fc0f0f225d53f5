package dev.layerwise.app.project;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.preprocess.ImageNet;
import dev.layerwise.core.quant.QuantType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Everything the project sidebar holds, as one value: what a Run reads, and what opening a model,
 * the sample or a workspace replaces in one step, so that a failed open replaces nothing.
 * Immutable; paths absolute or {@code null}.
 *
 * @param input the image or .npy to analyse, or {@code null} for the dataset's first entry
 * @param inputShape fixed sizes for dynamic inputs as typed, e.g. {@code "images=1,3,640,640"}
 *        (entries separated by spaces or semicolons), or empty
 */
public record SidebarFields(Path model, Path dataset, Path input, String mean, String std, String channelOrder,
        String inputShape, QuantType type, CalibrationAlgorithm algorithm, Toolkit toolkit) {

    /**
     * These fields pointed at another model: a {@code dataset.txt} beside it replaces the dataset,
     * the input goes back to the dataset's first entry and the input shape is cleared (it names
     * the old model's inputs); preprocessing and types stay.
     */
    public SidebarFields withModel(Path modelFile) {
        Path m = modelFile.toAbsolutePath().normalize();
        Path dir = m.getParent();
        Path ds = dir == null ? null : dir.resolve("dataset.txt");
        return new SidebarFields(m, ds != null && Files.isRegularFile(ds) ? ds : dataset, null, mean, std, channelOrder,
                "", type, algorithm, toolkit);
    }

    /** These fields with {@code shape} as the input shape. */
    public SidebarFields withInputShape(String shape) {
        return new SidebarFields(model, dataset, input, mean, std, channelOrder, shape, type, algorithm, toolkit);
    }

    /** The bundled sample with its dataset, dog image and ImageNet preprocessing (0..255 pixels). */
    public SidebarFields withSample(Path sampleModel) {
        SidebarFields f = withModel(sampleModel);
        Path dog = f.model().getParent().resolve("dog_224x224.png");
        return new SidebarFields(f.model(), f.dataset(), Files.isRegularFile(dog) ? dog : null, ImageNet.MEAN, ImageNet.STD,
                ImageNet.RGB_ORDER, "", QuantType.ASYMMETRIC_AFFINE_U8, CalibrationAlgorithm.NORMAL, f.toolkit());
    }
}
