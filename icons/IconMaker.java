import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Draws the Layerwise icon: three stacked layer slabs on a blue tile, the middle one orange
 * (a layer promoted to int16), with a cosine bar along the right. Designed on a 256 grid and
 * scaled, so every size comes from one drawing.
 *
 * Run: java IconMaker.java OUTDIR
 */
public class IconMaker {

    public static void main(String[] args) throws Exception {
        File out = new File(args.length > 0 ? args[0] : ".");
        out.mkdirs();
        for (int size : new int[] {16, 32, 64, 256}) {
            ImageIO.write(draw(size), "png", new File(out, "layerwise-" + size + ".png"));
        }
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
