package dev.layerwise.core.calibration;

import dev.layerwise.core.tensor.FloatTensor;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Model inputs loaded one sample at a time, so that calibration streams over any number of
 * images. {@link #load} must be thread-safe: calibration loads one sample per core at once, on
 * threads of its own, holding each sample's warnings back ({@link #load(int, Consumer)}) and passing
 * them on in sample order on its own thread ({@link #warn}), so they read as a serial run's.
 */
public interface SampleSource {

    int size();

    /** The feeds of sample {@code i} (0-based), by model input name. */
    Map<String, FloatTensor> load(int i) throws Exception;

    /**
     * The feeds of sample {@code i}, the warnings its loading raises handed to {@code held} rather
     * than passed on; {@link #warn} passes them on later. A source without warnings of its own
     * (the default) just loads.
     */
    default Map<String, FloatTensor> load(int i, Consumer<String> held) throws Exception {
        return load(i);
    }

    /** Passes on a warning {@link #load(int, Consumer)} held back; the default source has none. */
    default void warn(String warning) {
    }

    /** What to call sample {@code i} in messages, e.g. {@code dataset.txt line 4 (dog.jpg)}. */
    String describe(int i);

    /** Samples already in memory, named {@code sample 1}, {@code sample 2}, … */
    static SampleSource of(java.util.List<Map<String, FloatTensor>> feeds) {
        java.util.List<Map<String, FloatTensor>> copy = java.util.List.copyOf(feeds);
        return new SampleSource() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public Map<String, FloatTensor> load(int i) {
                return copy.get(i);
            }

            @Override
            public String describe(int i) {
                return "sample " + (i + 1);
            }
        };
    }
}
