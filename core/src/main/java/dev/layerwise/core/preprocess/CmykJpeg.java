package dev.layerwise.core.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * Four-component JPEGs (CMYK and YCCK, as Photoshop saves them for print) converted to 8-bit
 * RGB the way PIL and OpenCV do: {@code R = (255 - C) * (255 - K) / 255}, likewise G from M and
 * B from Y, rounded; no colour profile. Java's own decoder hands such files back in a CMYK colour
 * space that {@code getRGB} turns into wrong colours without a word, so they are read here as
 * raw samples instead.
 *
 * <p>Sample conventions follow libjpeg and PIL: with an Adobe APP14 marker the samples are stored
 * inverted (255 = no ink), and transform 2 means they are YCCK (the inverted C, M, Y as YCbCr, K
 * as is); without the marker they are plain CMYK. Stateless.
 */
final class CmykJpeg {

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    private CmykJpeg() {
    }

    /** How a four-component JPEG stores its samples. */
    enum Storage {
        /** No Adobe marker: C, M, Y, K as ink amounts. */
        PLAIN_CMYK,
        /** Adobe marker, transform 0: 255 - ink. */
        INVERTED_CMYK,
        /** Adobe marker, transform 2: inverted C, M, Y coded as YCbCr, then inverted K. */
        YCCK
    }

    /** The storage of image 0 when it is a four-component JPEG, else {@code null}. */
    static Storage storage(ImageReader reader) throws IOException {
        if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
            return null;
        }
        IIOMetadata md = reader.getImageMetadata(0);
        if (md == null || !java.util.Arrays.asList(md.getMetadataFormatNames()).contains(JPEG_METADATA)) {
            return null;
        }
        Node root = md.getAsTree(JPEG_METADATA);
        Node sof = find(root, "sof");
        if (sof == null || !"4".equals(attribute(sof, "numFrameComponents"))) {
            return null;
        }
        Node adobe = find(root, "app14Adobe");
        if (adobe == null) {
            return Storage.PLAIN_CMYK;
        }
        return "2".equals(attribute(adobe, "transform")) ? Storage.YCCK : Storage.INVERTED_CMYK;
    }

    /** Reads image 0 as raw samples and converts it to RGB. */
    static BufferedImage read(ImageReader reader, Storage storage) throws IOException {
        Raster raster = reader.readRaster(0, null);
        int w = raster.getWidth();
        int h = raster.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[w * 4];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, px);
            for (int x = 0; x < w; x++) {
                row[x] = toRgb(px[4 * x], px[4 * x + 1], px[4 * x + 2], px[4 * x + 3], storage);
            }
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }

    /** One pixel's four stored samples as packed {@code 0xRRGGBB}. */
    static int toRgb(int s0, int s1, int s2, int s3, Storage storage) {
        // "white" = 255 - ink for each of C, M, Y and K
        int wc;
        int wm;
        int wy;
        int wk;
        switch (storage) {
            case PLAIN_CMYK -> {
                wc = 255 - s0;
                wm = 255 - s1;
                wy = 255 - s2;
                wk = 255 - s3;
            }
            case INVERTED_CMYK -> {
                wc = s0;
                wm = s1;
                wy = s2;
                wk = s3;
            }
            default -> {
                // JFIF's YCbCr -> RGB gives 255 - stored C, M, Y (libjpeg's YCCK convention)
                double cb = s1 - 128.0;
                double cr = s2 - 128.0;
                wc = 255 - clamp(s0 + 1.402 * cr);
                wm = 255 - clamp(s0 - 0.344136 * cb - 0.714136 * cr);
                wy = 255 - clamp(s0 + 1.772 * cb);
                wk = s3;
            }
        }
        int r = Math.round(wc * wk / 255f);
        int g = Math.round(wm * wk / 255f);
        int b = Math.round(wy * wk / 255f);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static Node find(Node n, String name) {
        if (name.equals(n.getNodeName())) {
            return n;
        }
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String attribute(Node n, String name) {
        Node a = n.getAttributes() == null ? null : n.getAttributes().getNamedItem(name);
        return a == null ? null : a.getNodeValue();
    }
}
