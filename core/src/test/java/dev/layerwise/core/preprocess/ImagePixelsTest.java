package dev.layerwise.core.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePixelsTest {

    // colours every tested type can hold exactly, including 5-6-5 and the default 6x6x6 palette
    private static final int[] ARGB = {0xFFFF0000, 0xFF00FF00, 0xFF0000FF, 0xFFFFFF00};

    private static float[] row(PixelSource src, int y, int band) {
        float[] out = new float[src.width()];
        src.readRow(y, band, out);
        return out;
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({
        "1,  INT_RGB,        false",
        "2,  INT_ARGB,       true",
        "4,  INT_BGR,        false",
        "5,  3BYTE_BGR,      false",
        "6,  4BYTE_ABGR,     true",
        "8,  USHORT_565_RGB, false",
        "9,  USHORT_555_RGB, false",
        "13, BYTE_INDEXED,   false",
    })
    void colourImagesReadAsRgbWhateverTheRasterType(int type, String name, boolean alpha) {
        BufferedImage image = new BufferedImage(2, 2, type);
        image.setRGB(0, 0, 2, 2, ARGB, 0, 2);

        PixelSource src = ImagePixels.of(image);

        assertEquals(3, src.colorBands(), name);
        assertEquals(alpha, src.hasAlpha(), name);
        assertArrayEquals(new float[] {255, 0}, row(src, 0, 0), 1e-3f, name + " red");
        assertArrayEquals(new float[] {0, 255}, row(src, 0, 1), 1e-3f, name + " green");
        assertArrayEquals(new float[] {0, 255}, row(src, 1, 0), 1e-3f, name + " red, row 1");
        assertArrayEquals(new float[] {255, 0}, row(src, 1, 2), 1e-3f, name + " blue, row 1");
        assertTrue(src.isOpaque());
    }

    @Test
    void grayIsReadWithoutGammaConversion() {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 100, 255});

        PixelSource src = ImagePixels.of(image);

        assertEquals(1, src.colorBands());
        // getRGB gives 168 for 100: it converts linear gray to sRGB
        assertArrayEquals(new float[] {0, 100, 255}, row(src, 0, 0));
    }

    @Test
    void sixteenBitSamplesAreScaledTo255() {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 100 * 257, 65535});
        assertArrayEquals(new float[] {0, 100, 255}, row(ImagePixels.of(image), 0, 0), 1e-3f);
    }

    @Test
    void subImageReadsOnlyItsWindow() {
        BufferedImage big = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = big.getRaster();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                r.setPixel(x, y, new int[] {10 * y + x, 0, 0});
            }
        }
        PixelSource src = ImagePixels.of(big.getSubimage(1, 2, 2, 2));
        assertArrayEquals(new float[] {21, 22}, row(src, 0, 0));
        assertArrayEquals(new float[] {31, 32}, row(src, 1, 0));
    }

    @Test
    void transparentPixelMakesImageNotOpaque() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF102030);
        image.setRGB(1, 0, 0x80102030);
        PixelSource src = ImagePixels.of(image);
        assertFalse(src.isOpaque());
        assertArrayEquals(new float[] {255, 128}, row(src, 0, 3));
        assertEquals("4 channels (RGB + alpha)", src.describeChannels());
    }
}
