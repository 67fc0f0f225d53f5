package dev.layerwise.core.preprocess;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common PNG of a calibration set (8-bit gray, gray + alpha, RGB or RGBA, not interlaced)
 * decoded without ImageIO: the chunks are walked here, the image data inflated by the JDK's zlib
 * and unfiltered in place, and rows read straight from those bytes.
 *
 * <p>ImageIO's first image of a run costs a cold command ~40 ms of CPU (AWT's toolkit and colour
 * models, the reader registry, method handles spun for AWT's string concatenation) on top of
 * building a {@code BufferedImage}; this reads the same samples. It only accepts what it fully
 * understands and what ImageIO decodes to exactly these samples ({@link ImagePixels} reads stored
 * samples, no gamma or profile conversion): any other PNG (palette, 16-bit or fewer than 8 bits,
 * interlaced, a transparency or ICC profile chunk, an unknown critical chunk) and any damaged one
 * (a chunk cut short or whose CRC does not match, image data interrupted by another chunk, a zlib
 * stream that does not end exactly with the image) gets
 * {@code null}, and the caller decodes it with ImageIO as before: its messages and warnings stay
 * the only ones a user sees.
 */
final class PngRows extends PixelSource.Fixed {

    /** Larger images are left to ImageIO, which streams the file instead of holding it whole. */
    static final long MAX_PIXELS = 16_000_000L;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final int channels;
    /** Unfiltered rows, each after its filter-type byte: row y's samples start at {@code y * (stride + 1) + 1}. */
    private final byte[] rows;
    private final int stride;

    private PngRows(int width, int height, int colors, boolean alpha, byte[] rows) {
        super(width, height, colors, alpha);
        this.channels = colors + (alpha ? 1 : 0);
        this.rows = rows;
        this.stride = width * channels;
    }

    /** True when {@code file} starts like a PNG. */
    static boolean isPng(byte[] file) {
        if (file.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (file[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The decoded image, or {@code null} when it is not one this class takes (then ImageIO decodes it). */
    static PngRows decode(byte[] file) {
        if (!isPng(file)) {
            return null;
        }
        int pos = SIGNATURE.length;
        int width = -1;
        int height = -1;
        int channels = 0;
        boolean colorType4or6 = false;
        Inflater inflater = null;
        byte[] rows = null;
        int filled = 0;
        boolean ended = false;
        boolean seenData = false;
        boolean afterData = false;
        byte[] spare = new byte[1];
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try {
            while (!ended) {
                if (pos + 12 > file.length) {
                    return null;
                }
                int length = int32(file, pos);
                if (length < 0 || length > file.length - pos - 12) {
                    return null;
                }
                int type = int32(file, pos + 4);
                int data = pos + 8;
                crc.reset();
                crc.update(file, pos + 4, length + 4);
                if ((int) crc.getValue() != int32(file, data + length)) {
                    return null;
                }
                if (width < 0 && type != IHDR) {
                    return null;
                }
                switch (type) {
                    case IHDR -> {
                        if (width >= 0 || length != 13) {
                            return null;
                        }
                        width = int32(file, data);
                        height = int32(file, data + 4);
                        int depth = file[data + 8];
                        int colorType = file[data + 9];
                        int compression = file[data + 10];
                        int filter = file[data + 11];
                        int interlace = file[data + 12];
                        channels = switch (colorType) {
                            case 0 -> 1;
                            case 2 -> 3;
                            case 4 -> 2;
                            case 6 -> 4;
                            default -> 0;
                        };
                        colorType4or6 = colorType == 4 || colorType == 6;
                        if (channels == 0 || depth != 8 || compression != 0 || filter != 0 || interlace != 0 || width <= 0
                                || height <= 0 || (long) width * height > MAX_PIXELS) {
                            return null;
                        }
                        rows = new byte[(width * channels + 1) * height];
                        inflater = new Inflater();
                    }
                    case IDAT -> {
                        if (afterData || inflater.finished()) {
                            return null;
                        }
                        inflater.setInput(file, data, length);
                        while (!inflater.needsInput() && !inflater.finished()) {
                            // once the image is whole, only the stream's end (its checksum) may follow
                            int n = filled < rows.length ? inflater.inflate(rows, filled, rows.length - filled)
                                    : inflater.inflate(spare);
                            if (filled == rows.length && n > 0) {
                                return null;
                            }
                            filled += n;
                            if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
                                // a preset dictionary, or no progress at all
                                return null;
                            }
                        }
                    }
                    case IEND -> ended = true;
                    case PLTE -> {
                        // a suggested palette of an RGB image changes no sample
                    }
                    default -> {
                        // a transparency chunk adds alpha in ImageIO, a profile may change its colour model;
                        // other critical chunks are not understood (a lowercase first letter marks an ancillary one)
                        if (type == TRNS || type == ICCP || (type >>> 24 & 0x20) == 0) {
                            return null;
                        }
                    }
                }
                if (type == IDAT) {
                    seenData = true;
                } else if (seenData) {
                    // the image data must be one run of IDAT chunks (ImageIO stops at the first other chunk)
                    afterData = true;
                }
                pos = data + length + 4;
            }
            if (inflater == null || !inflater.finished() || filled != rows.length || inflater.getRemaining() != 0) {
                return null;
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
        if (!unfilter(rows, width * channels, height, channels)) {
            return null;
        }
        return new PngRows(width, height, colorType4or6 ? channels - 1 : channels, colorType4or6, rows);
    }

    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504c5445;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454e44;
    private static final int TRNS = 0x74524e53;
    private static final int ICCP = 0x69434350;

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /**
     * Undoes the PNG filters row by row, in place; {@code bpp} bytes per pixel. False for a filter
     * type other than 0-4.
     */
    static boolean unfilter(byte[] rows, int stride, int height, int bpp) {
        for (int y = 0; y < height; y++) {
            int start = y * (stride + 1);
            int filter = rows[start];
            int cur = start + 1;
            int prev = cur - (stride + 1);
            switch (filter) {
                case 0 -> {
                }
                case 1 -> sub(rows, cur, stride, bpp);
                case 2 -> {
                    if (y > 0) {
                        up(rows, cur, prev, stride);
                    }
                }
                case 3 -> average(rows, cur, prev, stride, bpp, y > 0);
                case 4 -> paeth(rows, cur, prev, stride, bpp, y > 0);
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    private static void sub(byte[] r, int cur, int stride, int bpp) {
        for (int x = bpp; x < stride; x++) {
            r[cur + x] += r[cur + x - bpp];
        }
    }

    private static void up(byte[] r, int cur, int prev, int stride) {
        for (int x = 0; x < stride; x++) {
            r[cur + x] += r[prev + x];
        }
    }

    private static void average(byte[] r, int cur, int prev, int stride, int bpp, boolean hasPrev) {
        for (int x = 0; x < stride; x++) {
            int left = x >= bpp ? r[cur + x - bpp] & 0xff : 0;
            int up = hasPrev ? r[prev + x] & 0xff : 0;
            r[cur + x] += (byte) ((left + up) >>> 1);
        }
    }

    private static void paeth(byte[] r, int cur, int prev, int stride, int bpp, boolean hasPrev) {
        for (int x = 0; x < stride; x++) {
            int a = x >= bpp ? r[cur + x - bpp] & 0xff : 0;
            int b = hasPrev ? r[prev + x] & 0xff : 0;
            int c = hasPrev && x >= bpp ? r[prev + x - bpp] & 0xff : 0;
            int p = a + b - c;
            int pa = Math.abs(p - a);
            int pb = Math.abs(p - b);
            int pc = Math.abs(p - c);
            r[cur + x] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
    }

    @Override
    public void readRow(int y, int band, float[] out) {
        for (int x = 0, i = y * (stride + 1) + 1 + band; x < width; x++, i += channels) {
            out[x] = rows[i] & 0xff;
        }
    }
}
