package dev.layerwise.core.preprocess;

import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.InputFiles;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns one sample file into the float tensor a model input takes.
 *
 * <p><b>Images</b> (JPEG, PNG, BMP and whatever else {@code javax.imageio} reads; recognised by
 * content, so the extension does not matter) are read as stored, channel 0 = R (no colour-profile
 * conversion, as OpenCV and PIL do), resized to the model's height and width if needed (bilinear,
 * half-pixel centres like {@code cv2.INTER_LINEAR}, with a warning), then {@link Preprocessing}
 * is applied: channel reordering, then {@code (v - mean) / std} on 0..255 values. A gray image
 * fits only a 1-channel input; a colour image fits a 3- or 4-channel one, and a 1-channel input as
 * its luma {@code 0.299 R + 0.587 G + 0.114 B} (with a warning). Alpha is dropped
 * for 1- and 3-channel inputs, with a warning if any pixel is not fully opaque; a 4-channel input
 * takes RGBA. A file the decoder can only partly read (a truncated JPEG) is used with the
 * decoder's warnings passed on, as OpenCV does; one it cannot read at all is an error.
 *
 * <p><b>{@code .npy} arrays</b> whose shape is the model input's (batch 1), or that shape without
 * the batch dimension, are tensors and are fed <em>raw</em>: no reordering, mean or std. Any
 * rank is fine for them. Other 3-D arrays {@code H x W x C} or {@code C x H x W} (optionally with
 * a leading 1) whose {@code C} is the model's channel count are treated as images with values on
 * the 0..255 scale: reordered, resized and normalised like a decoded image.
 *
 * <p><b>Layout</b> of a rank-4 image input: NCHW when dimension 1 is 1, 3 or 4 (also when
 * dimension 3 is too), else NHWC when dimension 3 is. A batch dimension that is dynamic (-1 or 0)
 * or fixed becomes 1; a dynamic height or width takes the image's own size.
 *
 * <p>Stateless and thread-safe; samples may be loaded in parallel. Input files are only read.
 * Sizes in messages are width x height. Error messages name the file by its full path, warnings
 * (which repeat for every image of a dataset) by its file name.
 */
public final class InputLoader {

    /** Larger images are refused before decoding: 12 bytes per pixel of decoder and float buffers. */
    static final long MAX_PIXELS = 100_000_000L;

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private InputLoader() {
    }

    /**
     * Loads one sample file for one model input.
     *
     * @param file the image or {@code .npy} file; only read
     * @param modelInputShape the input's declared shape; rank 4 for images, dynamic dimensions as
     *     -1 or 0
     * @param inputName the input's name, for messages
     * @param p the preprocessing for images; ignored for raw tensors
     * @param warnings receives one line per recoverable problem (resize, dropped transparency,
     *     decoder warnings); may be null. Called on the calling thread.
     * @return a tensor of the model's shape with batch 1 (and the image's size for dynamic
     *     height/width)
     * @throws PreprocessException naming the file and what does not fit
     */
    public static FloatTensor load(Path file, long[] modelInputShape, String inputName, Preprocessing p,
            Consumer<String> warnings) throws PreprocessException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(modelInputShape, "modelInputShape");
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(p, "p");
        Consumer<String> warn = warnings != null ? warnings : w -> { };
        Request r = new Request(file, modelInputShape.clone(), inputName, p, warn);
        try {
            InputFiles.requireRegular(file, "image or .npy file", InputFiles.ARRAY_LIMIT);
        } catch (InputFileException e) {
            throw new PreprocessException(e.getMessage(), e);
        }
        return isNpy(file) ? loadNpy(r) : loadImage(r);
    }

    /** What one call works on, so that helpers can phrase messages alike. */
    private record Request(Path file, long[] shape, String inputName, Preprocessing p, Consumer<String> warn) {

        String input() {
            return "model input '" + inputName + "'";
        }

        /** Warnings repeat per image, so they name the file briefly; errors give the full path. */
        void warn(String what) {
            warn.accept(file.getFileName() + ": " + what);
        }

        PreprocessException error(String what) {
            return new PreprocessException(file + ": " + what);
        }

        PreprocessException error(String what, Throwable cause) {
            return new PreprocessException(file + ": " + what, cause);
        }

        /** The model shape with batch 1. */
        long[] batchOne() {
            long[] s = shape.clone();
            if (s.length > 0) {
                s[0] = 1;
            }
            return s;
        }
    }

    private static boolean isNpy(Path file) throws PreprocessException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return true;
        }
        byte[] head = new byte[NPY_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length) {
                return false;
            }
        } catch (IOException e) {
            throw new PreprocessException(file + ": cannot read: " + describe(e), e);
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] != NPY_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- .npy ----

    private static FloatTensor loadNpy(Request r) throws PreprocessException {
        Npy.Array array;
        try {
            array = Npy.readArray(r.file());
        } catch (IOException e) {
            String msg = e.getMessage();
            // Npy's own messages already start with the file name.
            throw msg != null && msg.startsWith(r.file().toString())
                    ? new PreprocessException(msg, e)
                    : r.error("cannot read .npy file: " + describe(e), e);
        } catch (RuntimeException e) {
            throw r.error("not a readable .npy file: " + e.getMessage(), e);
        }
        FloatTensor t = array.tensor();
        long[] s = t.shape();
        long[] expected = r.batchOne();
        if (matches(s, expected)) {
            warnIfRawPixels(r, array);
            return new FloatTensor(s.clone(), t.data());
        }
        if (s.length == expected.length - 1 && matches(s, tail(expected))) {
            warnIfRawPixels(r, array);
            long[] withBatch = new long[s.length + 1];
            withBatch[0] = 1;
            System.arraycopy(s, 0, withBatch, 1, s.length);
            return new FloatTensor(withBatch, t.data());
        }
        Layout layout = Layout.detect(r.shape());
        long[] hwc = s.length == 4 && s[0] == 1 ? tail(s) : s;
        if (layout != null && hwc.length == 3) {
            int channels = (int) r.shape()[layout.channelAxis()];
            boolean last = hwc[2] == channels;
            boolean first = hwc[0] == channels;
            if (last || first) {
                boolean channelsLast = last && (!first || layout == Layout.NHWC);
                int h = (int) (channelsLast ? hwc[0] : hwc[1]);
                int w = (int) (channelsLast ? hwc[1] : hwc[2]);
                PixelSource src = PixelSource.ofArray(t.data(), w, h, channels, channelsLast);
                return render(r, layout, src, "array " + FloatTensor.shapeText(s));
            }
        }
        String imageForms = "";
        if (layout != null) {
            long c = r.shape()[layout.channelAxis()];
            imageForms = ", or an image array HxWx" + c + " or " + c + "xHxW";
        }
        throw r.error("array shape " + FloatTensor.shapeText(s) + " does not fit " + r.input() + " ("
                + FloatTensor.shapeText(r.shape()) + "); expected " + FloatTensor.shapeText(expected)
                + (expected.length > 1 ? " or " + FloatTensor.shapeText(tail(expected)) : "") + imageForms);
    }

    private static void warnIfRawPixels(Request r, Npy.Array array) {
        if (array.isUint8() && !r.p().isNone()) {
            r.warn("uint8 array has the shape of " + r.input()
                    + " and is fed raw; mean, std and reorder are not applied to .npy tensors");
        }
    }

    private static boolean matches(long[] actual, long[] expected) {
        if (actual.length != expected.length) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            if (expected[i] > 0 && actual[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static long[] tail(long[] shape) {
        long[] t = new long[shape.length - 1];
        System.arraycopy(shape, 1, t, 0, t.length);
        return t;
    }

    // ---- images ----

    private static FloatTensor loadImage(Request r) throws PreprocessException {
        long[] shape = r.shape();
        Layout layout = Layout.detect(shape);
        if (shape.length != 4) {
            throw r.error("images need a rank-4 model input, but " + r.input() + " has shape "
                    + FloatTensor.shapeText(shape) + "; give a .npy tensor instead");
        }
        if (layout == null) {
            throw r.error("cannot tell where the channels are in " + r.input() + " of shape "
                    + FloatTensor.shapeText(shape) + ": neither dimension 1 nor 3 is 1, 3 or 4");
        }
        long size;
        try {
            size = InputFiles.requireRegular(r.file(), "image", InputFiles.IMAGE_LIMIT);
        } catch (InputFileException e) {
            throw new PreprocessException(e.getMessage(), e);
        }
        PixelSource png = size <= PNG_FILE_LIMIT ? plainPng(r.file()) : null;
        return render(r, layout, png != null ? png : ImagePixels.of(decode(r)), "image");
    }

    /** PNG files up to this size are read whole and tried without ImageIO ({@link PngRows}). */
    static final long PNG_FILE_LIMIT = 64L << 20;

    /** The file as {@link PngRows} decodes it, or {@code null}: not a PNG it takes, or unreadable (ImageIO then reports). */
    private static PixelSource plainPng(Path file) {
        byte[] head = new byte[8];
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length || !PngRows.isPng(head)) {
                return null;
            }
            byte[] bytes = new byte[(int) Math.min(PNG_FILE_LIMIT + 1, java.nio.file.Files.size(file))];
            System.arraycopy(head, 0, bytes, 0, head.length);
            int n = head.length + in.readNBytes(bytes, head.length, bytes.length - head.length);
            // a file that changed size meanwhile is ImageIO's to read
            return n == bytes.length && n <= PNG_FILE_LIMIT && in.read() < 0 ? PngRows.decode(bytes) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static BufferedImage decode(Request r) throws PreprocessException {
        Path file = r.file();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw r.error("cannot open the file for reading");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw r.error("not a supported image (JPEG, PNG, BMP) or .npy file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> r.warn(warning));
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw r.error("image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + ", larger than the " + MAX_PIXELS / 1_000_000 + " megapixels Layerwise decodes");
                }
                CmykJpeg.Storage cmyk = CmykJpeg.storage(reader);
                if (cmyk != null) {
                    r.warn("CMYK JPEG converted to RGB without its colour profile, as PIL and OpenCV do");
                    return CmykJpeg.read(reader, cmyk);
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw r.error("the " + reader.getFormatName() + " decoder returned no image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (PreprocessException e) {
            throw e;
        } catch (IOException e) {
            throw r.error("cannot read image: " + describe(e), e);
        } catch (RuntimeException e) {
            // ImageIO's decoders throw unchecked exceptions on some malformed files
            throw r.error("corrupt or unsupported image: " + e, e);
        }
    }

    // ---- shared by images and image-like arrays ----

    private static FloatTensor render(Request r, Layout layout, PixelSource src, String kind)
            throws PreprocessException {
        long[] shape = r.shape();
        long c = shape[layout.channelAxis()];
        if (!Layout.isChannelCount(c)) {
            throw r.error(r.input() + " has " + c + " channels; images fit 1, 3 or 4");
        }
        int channels = (int) c;
        try {
            r.p().checkChannels(channels, r.input());
        } catch (PreprocessException e) {
            throw r.error(e.getMessage());
        }
        if (channels == 1 && src.colorBands() == 3 && kind.equals("image")) {
            src = PixelSource.luma(src);
            r.warn("RGB image converted to gray (L = 0.299 R + 0.587 G + 0.114 B) for " + r.input() + " with 1 channel");
        }
        boolean alphaUsed = src.colorBands() + 1 == channels && src.hasAlpha();
        if (src.colorBands() != channels && !alphaUsed) {
            throw r.error(kind + " has " + src.describeChannels() + ", " + r.input() + " expects " + channels);
        }
        if (!alphaUsed && !src.isOpaque()) {
            r.warn("transparent pixels; alpha dropped for " + r.input() + " with "
                    + channels + (channels == 1 ? " channel" : " channels"));
        }
        long modelH = shape[layout.heightAxis()];
        long modelW = shape[layout.widthAxis()];
        String tooLarge = FloatTensor.tooLargeToFeed(new long[] {channels, modelH > 0 ? modelH : src.height(),
            modelW > 0 ? modelW : src.width()});
        if (tooLarge != null) {
            throw r.error(r.input() + " is " + tooLarge);
        }
        int h = modelH > 0 ? Math.toIntExact(modelH) : src.height();
        int w = modelW > 0 ? Math.toIntExact(modelW) : src.width();
        if (h != src.height() || w != src.width()) {
            r.warn(src.width() + "x" + src.height() + " resized to "
                    + w + "x" + h + " (" + r.input() + ")");
        }
        float[] data = resample(src, layout, channels, w, h, r.p());
        return new FloatTensor(layout.shape(channels, h, w), data);
    }

    /**
     * Bilinear resize (a plain copy at equal size) fused with reordering and normalisation.
     *
     * <p>Each source row in use is resampled across once, already reordered and laid out as output
     * rows (one row with the channels interleaved for NHWC, one row per channel for NCHW), and kept
     * while output rows still blend it: when enlarging, several output rows read the same two source
     * rows, and the horizontal blend was the larger part of the work when it was done again for each
     * of them. An output row is then a loop over two such rows from index 0 (blend, subtract the
     * mean, divide by std, with each value's channel's mean and std laid out alike) into a row buffer
     * copied to its place: the JIT turns loops like that into vector instructions, and does not when
     * the arrays are indexed from different offsets (about twice the time on the 896x512 segmenter's
     * input). The operations and their order per value are the straightforward formula's, so the
     * floats are bit for bit the same.
     */
    static float[] resample(PixelSource src, Layout layout, int channels, int w, int h, Preprocessing p) {
        if (w == src.width() && h == src.height()) {
            return sameSize(src, layout == Layout.NCHW, bands(channels, p), w, h, p);
        }
        return bilinear(src, layout, channels, w, h, p);
    }

    private static int[] bands(int channels, Preprocessing p) {
        int[] band = new int[channels];
        for (int c = 0; c < channels; c++) {
            band[c] = p.sourceChannel(c);
        }
        return band;
    }

    /** {@link #resample}'s general path, at any size (package-private for the test that holds the same-size path to it). */
    static float[] bilinear(PixelSource src, Layout layout, int channels, int w, int h, Preprocessing p) {
        boolean nchw = layout == Layout.NCHW;
        int[] band = bands(channels, p);
        // NCHW: one segment per channel; NHWC: one segment with the channels interleaved
        int segments = nchw ? channels : 1;
        int length = nchw ? w : channels * w;
        float[][] meanRow = new float[segments][length];
        float[][] stdRow = new float[segments][length];
        for (int c = 0; c < channels; c++) {
            for (int dx = 0; dx < w; dx++) {
                int seg = nchw ? c : 0;
                int i = nchw ? dx : dx * channels + c;
                meanRow[seg][i] = p.meanFor(c);
                stdRow[seg][i] = p.stdFor(c);
            }
        }
        Bilinear.Axis ax = Bilinear.axis(src.width(), w);
        Bilinear.Axis ay = Bilinear.axis(src.height(), h);
        float[] sourceRow = new float[src.width()];
        // the upper and lower source rows of the current output row, resampled to width w
        float[][] upper = new float[segments][length];
        float[][] lower = new float[segments][length];
        float[] row = new float[length];
        int upperY = -1;
        int lowerY = -1;
        float[] out = new float[channels * h * w];
        int plane = h * w;
        for (int dy = 0; dy < h; dy++) {
            int y0 = ay.lo()[dy];
            int y1 = ay.hi()[dy];
            float wy = ay.weight()[dy];
            if (y0 != upperY) {
                if (y0 == lowerY) {
                    float[][] t = upper;
                    upper = lower;
                    lower = t;
                    lowerY = upperY;
                } else {
                    resampleRow(src, band, y0, ax, sourceRow, upper);
                }
                upperY = y0;
            }
            if (y1 != y0 && y1 != lowerY) {
                resampleRow(src, band, y1, ax, sourceRow, lower);
                lowerY = y1;
            }
            float[][] below = y1 == y0 ? upper : lower;
            for (int seg = 0; seg < segments; seg++) {
                blend(upper[seg], below[seg], wy, meanRow[seg], stdRow[seg], row);
                System.arraycopy(row, 0, out, nchw ? seg * plane + dy * w : dy * length, length);
            }
        }
        return out;
    }

    /**
     * {@link #resample} of an image already at the model's size, in one pass: each value goes
     * through the same float operations as there with weight 0 ({@code a + (a - a) * 0}, which
     * turns -0 into 0 and an infinity into NaN, then the mean and the division), so the result is
     * bit for bit the same, without the two row passes, their buffers and the copy.
     */
    private static float[] sameSize(PixelSource src, boolean nchw, int[] band, int w, int h, Preprocessing p) {
        int channels = band.length;
        float[] out = new float[channels * h * w];
        float[] sourceRow = new float[w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < channels; c++) {
                src.readRow(y, band[c], sourceRow);
                int start = nchw ? c * plane + y * w : y * w * channels + c;
                normalise(sourceRow, p.meanFor(c), p.stdFor(c), out, start, nchw ? 1 : channels);
            }
        }
        return out;
    }

    /** {@code out[start + x * step] = (a + (a - a) * 0 - mean) / std} for each {@code a = row[x]}. */
    private static void normalise(float[] row, float mean, float std, float[] out, int start, int step) {
        for (int x = 0, i = start; x < row.length; x++, i += step) {
            float a = row[x];
            float v = a + (a - a) * 0f;
            out[i] = (v - mean) / std;
        }
    }

    /**
     * Source row {@code y} of every output channel's band, resampled to the output's width, into
     * {@code rows} laid out as {@link #resample} describes (one row: channels interleaved).
     */
    private static void resampleRow(PixelSource src, int[] band, int y, Bilinear.Axis ax, float[] sourceRow,
            float[][] rows) {
        int[] x0 = ax.lo();
        int[] x1 = ax.hi();
        float[] wx = ax.weight();
        int w = x0.length;
        int channels = band.length;
        boolean interleaved = rows.length == 1 && channels > 1;
        for (int c = 0; c < channels; c++) {
            src.readRow(y, band[c], sourceRow);
            float[] r = rows[interleaved ? 0 : c];
            int step = interleaved ? channels : 1;
            for (int dx = 0, i = interleaved ? c : 0; dx < w; dx++, i += step) {
                float a = sourceRow[x0[dx]];
                // a + (b - a) * t keeps constant regions exactly constant
                r[i] = a + (sourceRow[x1[dx]] - a) * wx[dx];
            }
        }
    }

    /** {@code (top + (bottom - top) * wy - mean) / std} per index into {@code out}; a division, as RKNN divides (decision 0003). */
    private static void blend(float[] top, float[] bottom, float wy, float[] mean, float[] std, float[] out) {
        for (int i = 0; i < out.length; i++) {
            float t = top[i];
            float v = t + (bottom[i] - t) * wy;
            out[i] = (v - mean[i]) / std[i];
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "file not found";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
