package dev.layerwise.core.preprocess;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Reads the samples of a decoded {@link BufferedImage} as they are stored, like OpenCV and PIL
 * do: no colour-profile or gamma conversion (which {@code getRGB} would apply to gray and
 * non-sRGB images, giving values the model never saw in training). 8-bit rasters are read straight
 * from their backing arrays; 16-bit samples are scaled to 0..255 without rounding; palette and
 * unusual images go through {@code getRGB}.
 */
final class ImagePixels {

    private ImagePixels() {
    }

    static PixelSource of(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            return new ArgbRows(image, isGrayPalette(icm) ? 1 : 3, icm.hasAlpha());
        }
        Raster raster = image.getRaster();
        int colors = cm.getNumColorComponents();
        int csType = cm.getColorSpace().getType();
        boolean plain = (cm instanceof ComponentColorModel || cm instanceof DirectColorModel)
                && !cm.isAlphaPremultiplied()
                && ((csType == ColorSpace.TYPE_RGB && colors == 3) || (csType == ColorSpace.TYPE_GRAY && colors == 1))
                && raster.getNumBands() == cm.getNumComponents()
                && integerSamplesUpTo16Bits(cm, raster);
        if (!plain) {
            return new ArgbRows(image, 3, cm.hasAlpha());
        }
        boolean untranslated = raster.getMinX() == 0 && raster.getMinY() == 0
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
        float[] scale = new float[raster.getNumBands()];
        boolean all8Bit = true;
        for (int b = 0; b < scale.length; b++) {
            int bits = cm.getComponentSize(b);
            all8Bit &= bits == 8;
            scale[b] = (float) (255.0 / ((1 << bits) - 1));
        }
        if (untranslated && all8Bit && raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof ComponentSampleModel csm) {
            return new ByteRows(image, colors, cm.hasAlpha(), bytes, csm);
        }
        if (untranslated && raster.getDataBuffer() instanceof DataBufferInt ints
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sppsm
                && ints.getNumBanks() == 1) {
            return new PackedIntRows(image, colors, cm.hasAlpha(), ints, sppsm);
        }
        return new RasterRows(image, colors, cm.hasAlpha(), scale);
    }

    private static boolean integerSamplesUpTo16Bits(ColorModel cm, Raster raster) {
        int type = raster.getDataBuffer().getDataType();
        if (type != DataBuffer.TYPE_BYTE && type != DataBuffer.TYPE_USHORT && type != DataBuffer.TYPE_INT) {
            return false;
        }
        for (int b = 0; b < cm.getNumComponents(); b++) {
            int bits = cm.getComponentSize(b);
            if (bits < 1 || bits > 16) {
                return false;
            }
        }
        return true;
    }

    private static boolean isGrayPalette(IndexColorModel icm) {
        for (int i = 0; i < icm.getMapSize(); i++) {
            int r = icm.getRed(i);
            if (r != icm.getGreen(i) || r != icm.getBlue(i)) {
                return false;
            }
        }
        return true;
    }

    private abstract static class Base extends PixelSource.Fixed {
        Base(BufferedImage image, int colors, boolean alpha) {
            super(image.getWidth(), image.getHeight(), colors, alpha);
        }
    }

    /** Interleaved or banded 8-bit samples, e.g. TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR, TYPE_BYTE_GRAY. */
    private static final class ByteRows extends Base {
        private final byte[][] banks;
        private final int[] bankOffsets;
        private final int[] bankOfBand;
        private final int[] bandOffsets;
        private final int pixelStride;
        private final int scanlineStride;

        ByteRows(BufferedImage image, int colors, boolean alpha, DataBufferByte buffer, ComponentSampleModel csm) {
            super(image, colors, alpha);
            banks = buffer.getBankData();
            bankOffsets = buffer.getOffsets();
            bankOfBand = csm.getBankIndices();
            bandOffsets = csm.getBandOffsets();
            pixelStride = csm.getPixelStride();
            scanlineStride = csm.getScanlineStride();
        }

        @Override
        public void readRow(int y, int band, float[] out) {
            int bank = bankOfBand[band];
            byte[] data = banks[bank];
            int i = bankOffsets[bank] + y * scanlineStride + bandOffsets[band];
            for (int x = 0; x < width; x++, i += pixelStride) {
                out[x] = data[i] & 0xFF;
            }
        }
    }

    /** One int per pixel with bit masks, e.g. TYPE_INT_RGB, TYPE_INT_ARGB, TYPE_INT_BGR. */
    private static final class PackedIntRows extends Base {
        private final int[] data;
        private final int offset;
        private final int scanlineStride;
        private final int[] masks;
        private final int[] shifts;
        private final float[] scale;

        PackedIntRows(BufferedImage image, int colors, boolean alpha, DataBufferInt buffer,
                SinglePixelPackedSampleModel sm) {
            super(image, colors, alpha);
            data = buffer.getData();
            offset = buffer.getOffset();
            scanlineStride = sm.getScanlineStride();
            masks = sm.getBitMasks();
            shifts = sm.getBitOffsets();
            scale = new float[masks.length];
            for (int b = 0; b < masks.length; b++) {
                scale[b] = (float) (255.0 / (masks[b] >>> shifts[b]));
            }
        }

        @Override
        public void readRow(int y, int band, float[] out) {
            int mask = masks[band];
            int shift = shifts[band];
            float s = scale[band];
            int i = offset + y * scanlineStride;
            for (int x = 0; x < width; x++) {
                out[x] = ((data[i + x] & mask) >>> shift) * s;
            }
        }
    }

    /** Any other integer raster, e.g. 16-bit PNGs; slower, through the raster's sample model. */
    private static final class RasterRows extends Base {
        private final Raster raster;
        private final float[] scale;
        private final int[] samples;

        RasterRows(BufferedImage image, int colors, boolean alpha, float[] scale) {
            super(image, colors, alpha);
            this.raster = image.getRaster();
            this.scale = scale;
            this.samples = new int[width];
        }

        @Override
        public void readRow(int y, int band, float[] out) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, band, samples);
            float s = scale[band];
            for (int x = 0; x < width; x++) {
                out[x] = samples[x] * s;
            }
        }
    }

    /** Palette and unusual images, converted by Java2D to 8-bit sRGB ARGB. */
    private static final class ArgbRows extends Base {
        private final BufferedImage image;
        private final int[] argb;
        private int cachedRow = -1;

        ArgbRows(BufferedImage image, int colors, boolean alpha) {
            super(image, colors, alpha);
            this.image = image;
            this.argb = new int[width];
        }

        @Override
        public void readRow(int y, int band, float[] out) {
            if (y != cachedRow) {
                image.getRGB(0, y, width, 1, argb, 0, width);
                cachedRow = y;
            }
            int shift;
            if (band == colors) {
                shift = 24;
            } else {
                // gray palettes have R = G = B, so band 0 reads red for them too
                shift = band == 0 ? 16 : band == 1 ? 8 : 0;
            }
            for (int x = 0; x < width; x++) {
                out[x] = (argb[x] >>> shift) & 0xFF;
            }
        }
    }
}
