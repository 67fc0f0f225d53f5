package dev.layerwise.core.calibration;

import dev.layerwise.core.tensor.FloatTensor;
import java.util.Map;

/**
 * Model inputs loaded one sample at a time, so that calibration streams over any number of
 * images. {@link #load} must be thread-safe: calibration loads one sample per core at once, on
 * threads of its own (warnings of a {@code DatasetSource} reach their consumer from those threads).
 */
public interface SampleSource {

    int size();

    /** The feeds of sample {@code i} (0-based), by model input name. */
    Map<String, FloatTensor> load(int i) throws Exception;

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
