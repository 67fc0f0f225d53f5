package dev.layerwise.core.calibration;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How activation ranges are chosen from calibration data; names as in RKNN's config. */
public enum CalibrationAlgorithm {
    /** Minimum and maximum seen. */
    NORMAL("normal"),
    /** Entropy calibration on 2048-bin histograms (TensorRT style). */
    KL_DIVERGENCE("kl_divergence"),
    /** Clipping range that minimises the quantization mean squared error. */
    MMSE("mmse");

    private final String configName;

    CalibrationAlgorithm(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static CalibrationAlgorithm parse(String name) {
        for (CalibrationAlgorithm a : values()) {
            if (a.configName.equalsIgnoreCase(name.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + name + "'; allowed: "
                + Arrays.stream(values()).map(CalibrationAlgorithm::configName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return configName;
    }
}
