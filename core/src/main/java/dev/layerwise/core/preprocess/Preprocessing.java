package dev.layerwise.core.preprocess;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How pixel values become model input values, with RKNN-Toolkit's meaning of
 * {@code mean_values}, {@code std_values} and {@code reorder_channel}: for a pixel value
 * {@code v} in 0..255, output channel {@code i} takes source channel {@code channelOrder[i]}
 * (source channels are R, G, B[, A] in that order, or gray) and becomes
 * {@code (v - mean[i]) / std[i]}.
 *
 * <p>A {@code mean} or {@code std} of length 1 applies to every channel; otherwise it has one
 * value per channel. A channel order that is the identity ({@code 0 1 … k-1}) means "no
 * reordering" and fits any channel count, so the default {@code 0 1 2} also suits gray models; any
 * other order must list exactly one source channel per model channel. {@link #checkChannels}
 * tells whether the settings fit a model input.
 *
 * <p>Immutable and thread-safe: the arrays are copied in and out. Equality compares the values as
 * written, so {@code mean=[0]} and {@code mean=[0, 0, 0]} are not equal although they act the
 * same.
 *
 * @param mean subtracted from the 0..255 pixel value, one value or one per channel, finite
 * @param std divides the value after subtracting the mean, one or one per channel, finite and
 *     positive
 * @param channelOrder a permutation of {@code 0..n-1}; output channel {@code i} reads source
 *     channel {@code channelOrder[i]}
 */
public record Preprocessing(float[] mean, float[] std, int[] channelOrder) {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INDEX = Pattern.compile("\\d{1,9}");
    private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+");
    // RKNN writes one bracketed list per model input: [[...], [...]] means two inputs.
    private static final Pattern SEVERAL_LISTS = Pattern.compile("][\\s,]*\\[");

    public Preprocessing {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        Objects.requireNonNull(channelOrder, "channelOrder");
        mean = mean.clone();
        std = std.clone();
        channelOrder = channelOrder.clone();
        checkValues("mean", mean, false);
        checkValues("std", std, true);
        checkOrder("channel order " + Arrays.toString(channelOrder), channelOrder);
    }

    /** No change: mean 0 and std 1 for every channel, channels in their source order. */
    public static Preprocessing none() {
        return new Preprocessing(new float[] {0f}, new float[] {1f}, new int[] {0, 1, 2});
    }

    /**
     * Reads the settings as a user types them on the command line or in a form.
     *
     * @param mean e.g. {@code 123.68,116.28,103.53}, {@code "123.68 116.28 103.53"} or RKNN's
     *     {@code [[123.68, 116.28, 103.53]]}; null or blank means 0
     * @param std same forms as {@code mean}; null or blank means 1
     * @param reorder e.g. {@code "2 1 0"} or {@code 2,1,0}; null or blank means no reordering
     * @throws IllegalArgumentException with a message quoting the offending text
     */
    public static Preprocessing parse(String mean, String std, String reorder) {
        float[] m = isBlank(mean) ? new float[] {0f} : parseValues("mean", mean);
        float[] s = isBlank(std) ? new float[] {1f} : parseValues("std", std);
        int[] o = isBlank(reorder) ? new int[] {0, 1, 2} : parseOrder(reorder);
        return new Preprocessing(m, s, o);
    }

    /**
     * Checks that these settings fit an input with {@code channels} channels.
     *
     * @param what how to name the input in the message, e.g. {@code model input 'input'}
     * @throws PreprocessException e.g. "mean has 2 values but model input 'input' has 3 channels"
     */
    public void checkChannels(int channels, String what) throws PreprocessException {
        checkLength("mean", mean.length, channels, what);
        checkLength("std", std.length, channels, what);
        if (!isIdentityOrder() && channelOrder.length != channels) {
            throw new PreprocessException("channel order " + orderText() + " has " + channelOrder.length
                    + " values but " + what + " has " + channels + " channel" + (channels == 1 ? "" : "s"));
        }
    }

    /** True when the channel order keeps every channel in place. */
    public boolean isIdentityOrder() {
        for (int i = 0; i < channelOrder.length; i++) {
            if (channelOrder[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** True when the settings change nothing: mean all 0, std all 1, identity order. */
    public boolean isNone() {
        for (float m : mean) {
            if (m != 0f) {
                return false;
            }
        }
        for (float s : std) {
            if (s != 1f) {
                return false;
            }
        }
        return isIdentityOrder();
    }

    /** The mean for output channel {@code channel}; valid once {@link #checkChannels} passed. */
    public float meanFor(int channel) {
        return mean.length == 1 ? mean[0] : mean[channel];
    }

    /** The std for output channel {@code channel}; valid once {@link #checkChannels} passed. */
    public float stdFor(int channel) {
        return std.length == 1 ? std[0] : std[channel];
    }

    /** The source channel that output channel {@code channel} reads. */
    public int sourceChannel(int channel) {
        return isIdentityOrder() ? channel : channelOrder[channel];
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public int[] channelOrder() {
        return channelOrder.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p
                && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std)
                && Arrays.equals(channelOrder, p.channelOrder);
    }

    @Override
    public int hashCode() {
        return (31 * Arrays.hashCode(mean) + Arrays.hashCode(std)) * 31 + Arrays.hashCode(channelOrder);
    }

    @Override
    public String toString() {
        return "Preprocessing[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", channelOrder=" + Arrays.toString(channelOrder) + "]";
    }

    private String orderText() {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < channelOrder.length; i++) {
            sb.append(i == 0 ? "" : " ").append(channelOrder[i]);
        }
        return sb.append('\'').toString();
    }

    private static void checkLength(String name, int length, int channels, String what) throws PreprocessException {
        if (length != 1 && length != channels) {
            throw new PreprocessException(name + " has " + length + " values but " + what + " has " + channels
                    + " channel" + (channels == 1 ? "" : "s"));
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String[] tokens(String name, String text) {
        String t = text.strip();
        if (SEVERAL_LISTS.matcher(t).find()) {
            throw new IllegalArgumentException(name + " '" + text + "' lists values for several model inputs;"
                    + " give the values of one input, e.g. 123.68,116.28,103.53");
        }
        t = t.replace('[', ' ').replace(']', ' ').replace('(', ' ').replace(')', ' ').strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(name + " '" + text + "' holds no values");
        }
        String[] parts = SEPARATOR.split(t);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException(name + " '" + text + "' has an empty value between commas");
            }
        }
        return parts;
    }

    private static float[] parseValues(String name, String text) {
        String[] parts = tokens(name, text);
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            // Float.parseFloat would also take "NaN", "1f" or hex; a typo should not pass as a number.
            if (!NUMBER.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException(name + " '" + text + "': '" + parts[i] + "' is not a number");
            }
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static int[] parseOrder(String text) {
        String[] parts = tokens("reorder", text);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!INDEX.matcher(parts[i]).matches()) {
                throw new IllegalArgumentException("reorder '" + text + "': '" + parts[i]
                        + "' is not a channel index (use e.g. '0 1 2' or '2 1 0')");
            }
            out[i] = Integer.parseInt(parts[i]);
        }
        checkOrder("reorder '" + text + "'", out);
        return out;
    }

    private static void checkValues(String name, float[] values, boolean positive) {
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " holds no values");
        }
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + " value " + v + " at position " + (i + 1) + " is not finite");
            }
            if (positive && v == 0f) {
                throw new IllegalArgumentException(name + " value 0 at position " + (i + 1)
                        + " would divide by zero; use 1 to leave the channel unscaled");
            }
            if (positive && v < 0f) {
                throw new IllegalArgumentException(name + " value " + v + " at position " + (i + 1)
                        + " is negative; std values must be positive");
            }
        }
    }

    private static void checkOrder(String what, int[] order) {
        if (order.length == 0) {
            throw new IllegalArgumentException(what + " holds no channel indices");
        }
        boolean[] seen = new boolean[order.length];
        for (int c : order) {
            if (c < 0 || c >= order.length || seen[c]) {
                throw new IllegalArgumentException(what + " is not a permutation of 0.." + (order.length - 1)
                        + "; use e.g. '0 1 2' (keep RGB) or '2 1 0' (RGB to BGR)");
            }
            seen[c] = true;
        }
    }
}
