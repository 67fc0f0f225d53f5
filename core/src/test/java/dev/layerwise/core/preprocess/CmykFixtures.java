package dev.layerwise.core.preprocess;

import java.io.IOException;

/** CMYK JPEGs for tests outside this package (the hostile-input run). */
public final class CmykFixtures {

    private CmykFixtures() {
    }

    /** A Photoshop-style (Adobe, inverted) CMYK JPEG of {@link ImageKindsTest#card} at the given size. */
    public static byte[] cmykJpeg(int width, int height) throws IOException {
        return ImageKindsTest.cmykJpeg(ImageKindsTest.card(width, height), CmykJpeg.Storage.INVERTED_CMYK);
    }
}
