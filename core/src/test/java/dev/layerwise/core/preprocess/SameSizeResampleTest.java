package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An image already at the model's size takes a one-pass path in {@link InputLoader#resample}; every
 * value must be the general bilinear path's, bit for bit, whatever the values (image-like .npy
 * arrays may hold -0, NaN and infinities).
 */
class SameSizeResampleTest {

    /** Rows of arbitrary floats: random values with the awkward ones mixed in. */
    private static PixelSource source(int width, int height, int bands, long seed) {
        float[][][] v = new float[bands][height][width];
        Random r = new Random(seed);
        float[] odd = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE,
            255f, 1e-38f};
        for (int b = 0; b < bands; b++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    v[b][y][x] = r.nextInt(5) == 0 ? odd[r.nextInt(odd.length)] : (r.nextFloat() - 0.25f) * 300f;
                }
            }
        }
        return new PixelSource.Fixed(width, height, bands, false) {
            @Override
            public void readRow(int y, int band, float[] out) {
                System.arraycopy(v[band][y], 0, out, 0, width);
            }
        };
    }

    @ParameterizedTest
    @CsvSource({
        "NCHW, 3, 7, 5, '', '', ''",
        "NHWC, 3, 7, 5, '', '', ''",
        "NCHW, 3, 16, 9, '123.675,116.28,103.53', '58.395,57.12,57.375', '2 1 0'",
        "NHWC, 3, 9, 16, '0.5,-0.5,0', '0.3,3,7e-3', '2 1 0'",
        "NCHW, 1, 11, 4, '127.5', '127.5', ''",
        "NHWC, 1, 4, 11, '-0', '1', ''",
    })
    void sameSizeIsTheBilinearPathBitForBit(Layout layout, int channels, int width, int height, String mean, String std,
            String reorder) {
        Preprocessing p = Preprocessing.parse(mean.isEmpty() ? null : mean, std.isEmpty() ? null : std,
                reorder.isEmpty() ? null : reorder);
        PixelSource src = source(width, height, channels, 31L * width + height);
        float[] fast = InputLoader.resample(src, layout, channels, width, height, p);
        float[] general = InputLoader.bilinear(src, layout, channels, width, height, p);
        assertEquals(general.length, fast.length);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(Float.floatToRawIntBits(general[i]), Float.floatToRawIntBits(fast[i]),
                    "value " + i + ": " + general[i] + " vs " + fast[i]);
        }
    }
}
