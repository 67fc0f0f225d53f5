package dev.layerwise.app.cli;

import dev.layerwise.core.preprocess.ImageNet;
import dev.layerwise.core.preprocess.Preprocessing;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the bundled sample lives and how its inputs are preprocessed. */
public final class SampleModel {

    public static final String RELATIVE = "sample-models/shufflenetv2_x1/shufflenetv2_x1.onnx";

    /** ImageNet normalisation in RKNN's 0..255 terms, RGB order. */
    public static final Preprocessing PREPROCESSING = ImageNet.PREPROCESSING;

    private SampleModel() {
    }

    /** The sample model, searched from the working folder upwards and from the jar's folder upwards; null if absent. */
    public static Path locate() {
        Path found = search(Path.of("").toAbsolutePath());
        if (found == null) {
            try {
                Path jar = Path.of(SampleModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                found = search(jar.getParent());
            } catch (URISyntaxException | SecurityException | NullPointerException e) {
                return null;
            }
        }
        return found;
    }

    private static Path search(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path p = d.resolve(RELATIVE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public static boolean isSample(Path model) {
        return model.toAbsolutePath().normalize().endsWith(Path.of(RELATIVE));
    }

    /** The sample's folder (dataset.txt, labels.txt, images), or null. */
    public static Path folder() {
        Path m = locate();
        return m == null ? null : m.getParent();
    }
}
