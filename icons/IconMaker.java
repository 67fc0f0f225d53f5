import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws the Layerwise icon: three stacked layer slabs on a blue tile, the middle one orange
 * (a layer promoted to int16), with a cosine bar along the right. Designed on a 256 grid and
 * scaled, so every size comes from one drawing.
 *
 * Also writes {@code layerwise.ico} (Windows) and {@code layerwise.icns} (macOS) for the installers:
 * both formats may hold PNG images as they are, so they are the same drawings in a container.
 *
 * Run: java IconMaker.java OUTDIR
 */
public class IconMaker {

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : ".");
        out.mkdirs();
        Map<Integer, byte[]> png = new LinkedHashMap<>();
        for (int size : new int[] {16, 32, 64, 128, 256}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(draw(size), "png", b);
            png.put(size, b.toByteArray());
            if (size != 128) {
                ImageIO.write(draw(size), "png", new File(out, "layerwise-" + size + ".png"));
            }
        }
        try (OutputStream o = new FileOutputStream(new File(out, "layerwise.ico"))) {
            writeIco(png, o);
        }
        try (OutputStream o = new FileOutputStream(new File(out, "layerwise.icns"))) {
            writeIcns(png, o);
        }
    }

    /** ICO: a little-endian directory of entries, each a PNG (allowed since Windows Vista). */
    static void writeIco(Map<Integer, byte[]> png, OutputStream o) throws IOException {
        ByteArrayOutputStream dir = new ByteArrayOutputStream();
        le16(dir, 0);
        le16(dir, 1); // 1 = icon
        le16(dir, png.size());
        int offset = 6 + 16 * png.size();
        for (Map.Entry<Integer, byte[]> e : png.entrySet()) {
            int size = e.getKey();
            dir.write(size >= 256 ? 0 : size); // 0 means 256
            dir.write(size >= 256 ? 0 : size);
            dir.write(0); // no palette
            dir.write(0);
            le16(dir, 1); // colour planes
            le16(dir, 32); // bits per pixel
            le32(dir, e.getValue().length);
            le32(dir, offset);
            offset += e.getValue().length;
        }
        dir.writeTo(o);
        for (byte[] b : png.values()) {
            o.write(b);
        }
    }

    /** ICNS: big-endian, 'icns' and the total length, then typed PNG entries. */
    static void writeIcns(Map<Integer, byte[]> png, OutputStream o) throws IOException {
        Map<Integer, String> types = Map.of(16, "icp4", 32, "icp5", 64, "icp6", 128, "ic07", 256, "ic08");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (Map.Entry<Integer, byte[]> e : png.entrySet()) {
            d.write(types.get(e.getKey()).getBytes(StandardCharsets.US_ASCII));
            d.writeInt(8 + e.getValue().length);
            d.write(e.getValue());
        }
        DataOutputStream out = new DataOutputStream(o);
        out.write("icns".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(8 + body.size());
        body.writeTo(out);
        out.flush();
    }

    private static void le16(ByteArrayOutputStream b, int v) {
        b.write(v & 0xff);
        b.write((v >>> 8) & 0xff);
    }

    private static void le32(ByteArrayOutputStream b, int v) {
        le16(b, v & 0xffff);
        le16(b, (v >>> 16) & 0xffff);
    }

    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(size / 256.0, size / 256.0);

        // tile
        g.setPaint(new GradientPaint(0, 0, new Color(0x2F6FB0), 0, 256, new Color(0x1D4773)));
        g.fill(new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56));

        // three slabs, bottom to top; at 16 px the edges would blur, so they get thicker there
        boolean tiny = size <= 16;
        Color[] fills = {new Color(0xCFE0F3), new Color(0xF58518), new Color(0xFFFFFF)};
        double[] ys = {168, 124, 80};
        for (int i = 0; i < 3; i++) {
            slab(g, 44, ys[i], 132, tiny ? 34 : 28, fills[i]);
        }
        // the cosine bar: a thin gauge, mostly full, with the threshold tick
        if (!tiny) {
            g.setColor(new Color(255, 255, 255, 150));
            g.setStroke(new BasicStroke(6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(210, 60, 210, 200);
            g.setColor(new Color(0xE45756));
            g.setStroke(new BasicStroke(14f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawLine(210, 100, 210, 200);
        }
        g.dispose();
        return img;
    }

    /** An isometric slab: top face (x, y) with width w, skewed, and a front edge of height h/2. */
    private static void slab(Graphics2D g, double x, double y, double w, double h, Color fill) {
        double skew = 28;
        Path2D top = new Path2D.Double();
        top.moveTo(x + skew, y - h / 2);
        top.lineTo(x + skew + w, y - h / 2);
        top.lineTo(x + w, y + h / 2);
        top.lineTo(x, y + h / 2);
        top.closePath();
        Path2D front = new Path2D.Double();
        front.moveTo(x, y + h / 2);
        front.lineTo(x + w, y + h / 2);
        front.lineTo(x + w, y + h / 2 + 12);
        front.lineTo(x, y + h / 2 + 12);
        front.closePath();
        Path2D side = new Path2D.Double();
        side.moveTo(x + w, y + h / 2);
        side.lineTo(x + skew + w, y - h / 2);
        side.lineTo(x + skew + w, y - h / 2 + 12);
        side.lineTo(x + w, y + h / 2 + 12);
        side.closePath();
        g.setColor(fill.darker());
        g.fill(front);
        g.setColor(fill.darker().darker());
        g.fill(side);
        g.setColor(fill);
        g.fill(top);
    }
}
