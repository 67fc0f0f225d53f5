package dev.layerwise.core.preprocess;

/**
 * Where the channel dimension sits in a rank-4 image input. Detected from the model's declared
 * shape because ONNX does not record it: a dimension of 1, 3 or 4 is taken as channels, and when
 * both candidates qualify NCHW wins, as it is what ONNX exporters produce by default.
 */
enum Layout {
    NCHW,
    NHWC;

    /** The layout of a rank-4 shape, or null when neither dimension 1 nor 3 looks like channels. */
    static Layout detect(long[] shape) {
        if (shape.length != 4) {
            return null;
        }
        boolean first = isChannelCount(shape[1]);
        boolean last = isChannelCount(shape[3]);
        if (first) {
            return NCHW;
        }
        return last ? NHWC : null;
    }

    static boolean isChannelCount(long d) {
        return d == 1 || d == 3 || d == 4;
    }

    int channelAxis() {
        return this == NCHW ? 1 : 3;
    }

    int heightAxis() {
        return this == NCHW ? 2 : 1;
    }

    int widthAxis() {
        return this == NCHW ? 3 : 2;
    }

    long[] shape(int channels, int height, int width) {
        return this == NCHW
                ? new long[] {1, channels, height, width}
                : new long[] {1, height, width, channels};
    }
}
