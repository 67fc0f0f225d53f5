package dev.layerwise.core.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * ImageNet normalisation in RKNN's 0..255 terms, RGB order: the bundled sample's preprocessing.
 * The one place these numbers live; the sidebar, the command line and the sample generator read
 * them from here.
 */
public final class ImageNet {

    /** Per-channel mean, as typed in the sidebar or given to {@code --mean}. */
    public static final String MEAN = "123.68,116.28,103.53";

    /** Per-channel divisor, as typed in the sidebar or given to {@code --std}. */
    public static final String STD = "57.38,57.38,57.38";

    /** Channel order that keeps RGB. */
    public static final String RGB_ORDER = "0 1 2";

    /** {@link #MEAN}, {@link #STD} and {@link #RGB_ORDER} parsed. */
    public static final Preprocessing PREPROCESSING = Preprocessing.parse(MEAN, STD, RGB_ORDER);

    private ImageNet() {
    }

    /** The mean per channel, as floats. */
    public static List<Float> meanValues() {
        return floats(PREPROCESSING.mean());
    }

    /** The divisor per channel, as floats. */
    public static List<Float> stdValues() {
        return floats(PREPROCESSING.std());
    }

    private static List<Float> floats(float[] v) {
        List<Float> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add(f);
        }
        return List.copyOf(out);
    }
}
