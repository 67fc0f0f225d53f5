package dev.layerwise.core.preprocess;

/**
 * An image read one row of one band at a time, values on the 0..255 scale. Bands are the colour
 * channels (gray, or R, G, B) followed by alpha when there is one. Reading rows on demand lets a
 * large photo be shrunk without a full-size float copy. Not thread-safe: implementations may reuse
 * buffers between calls.
 */
interface PixelSource {

    int width();

    int height();

    /** 1 for gray, 3 for RGB. */
    int colorBands();

    /** True when band {@link #colorBands()} is alpha. */
    boolean hasAlpha();

    default int bands() {
        return colorBands() + (hasAlpha() ? 1 : 0);
    }

    /** Copies row {@code y} of {@code band} into {@code out[0..width)}. */
    void readRow(int y, int band, float[] out);

    /** A source whose size and bands are fixed when it is made: what is left to write is {@link #readRow}. */
    abstract class Fixed implements PixelSource {
        final int width;
        final int height;
        final int colors;
        final boolean alpha;

        Fixed(int width, int height, int colors, boolean alpha) {
            this.width = width;
            this.height = height;
            this.colors = colors;
            this.alpha = alpha;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public int height() {
            return height;
        }

        @Override
        public int colorBands() {
            return colors;
        }

        @Override
        public boolean hasAlpha() {
            return alpha;
        }
    }

    /** True when every alpha value is 255 (also when there is no alpha). */
    default boolean isOpaque() {
        if (!hasAlpha()) {
            return true;
        }
        float[] row = new float[width()];
        for (int y = 0; y < height(); y++) {
            readRow(y, colorBands(), row);
            for (int x = 0; x < row.length; x++) {
                if (row[x] < 255f) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Describes the bands for messages: "1 channel (gray)", "4 channels (RGB + alpha)". */
    default String describeChannels() {
        int n = bands();
        String kind = (colorBands() == 1 ? "gray" : "RGB") + (hasAlpha() ? " + alpha" : "");
        return n + (n == 1 ? " channel" : " channels") + " (" + kind + ")";
    }

    /**
     * The luma of an RGB source, {@code L = 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601 weights, as
     * common image libraries convert colour to gray), keeping its alpha band.
     */
    static PixelSource luma(PixelSource rgb) {
        return new Fixed(rgb.width(), rgb.height(), 1, rgb.hasAlpha()) {
            private float[] g = new float[0];
            private float[] b = new float[0];

            @Override
            public void readRow(int y, int band, float[] out) {
                if (band == 1) {
                    rgb.readRow(y, 3, out);
                    return;
                }
                if (g.length != rgb.width()) {
                    g = new float[rgb.width()];
                    b = new float[rgb.width()];
                }
                rgb.readRow(y, 0, out);
                rgb.readRow(y, 1, g);
                rgb.readRow(y, 2, b);
                for (int x = 0; x < g.length; x++) {
                    out[x] = 0.299f * out[x] + 0.587f * g[x] + 0.114f * b[x];
                }
            }
        };
    }

    /** A float array holding an image as height x width x channels or channels x height x width. */
    static PixelSource ofArray(float[] data, int width, int height, int channels, boolean channelsLast) {
        return new Fixed(width, height, channels, false) {
            @Override
            public void readRow(int y, int band, float[] out) {
                if (channelsLast) {
                    int i = y * width * channels + band;
                    for (int x = 0; x < width; x++, i += channels) {
                        out[x] = data[i];
                    }
                } else {
                    System.arraycopy(data, (band * height + y) * width, out, 0, width);
                }
            }

            @Override
            public String describeChannels() {
                return channels + (channels == 1 ? " channel" : " channels");
            }
        };
    }
}
