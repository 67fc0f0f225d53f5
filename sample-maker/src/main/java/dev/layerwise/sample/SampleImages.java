package dev.layerwise.sample;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The sample's pictures, painted pixel by pixel from closed-form shapes and hash-based noise.
 * Nothing goes through Java2D's rasteriser, whose anti-aliasing may change between JDK builds: the
 * same code gives the same pixels everywhere. Stateless.
 */
final class SampleImages {

    /** Width and height of every picture, the model's input size. */
    static final int SIZE = 224;

    /** Sub-samples per pixel along each axis; smooths shape edges like a photo would. */
    private static final int SUPER = 3;

    /**
     * One picture.
     *
     * @param file path relative to the sample folder
     * @param classIndex the ImageNet class the head is built to give it
     */
    record Picture(String file, int classIndex, BufferedImage image) {
    }

    /** Colour at a point of the unit square; writes linear-ish RGB in [0, 1] into {@code rgb}. */
    @FunctionalInterface
    private interface Shader {
        void shade(double x, double y, double[] rgb);
    }

    private SampleImages() {
    }

    /** The main picture first, then the calibration pictures. */
    static List<Picture> render() {
        return List.of(
                new Picture("dog_224x224.png", 155, paint(SampleImages::dog)),
                new Picture("images/01_seashore.png", 978, paint(SampleImages::seashore)),
                new Picture("images/02_orange.png", 950, paint(SampleImages::orange)),
                new Picture("images/03_zebra.png", 340, paint(SampleImages::zebra)),
                new Picture("images/04_crossword.png", 918, paint(SampleImages::crossword)),
                new Picture("images/05_honeycomb.png", 599, paint(SampleImages::honeycomb)),
                new Picture("images/06_traffic_light.png", 920, paint(SampleImages::trafficLight)),
                new Picture("images/07_tennis_ball.png", 852, paint(SampleImages::tennisBall)),
                new Picture("images/08_spider_web.png", 815, paint(SampleImages::spiderWeb)),
                new Picture("images/09_volcano.png", 980, paint(SampleImages::volcano)),
                new Picture("images/10_goldfish.png", 1, paint(SampleImages::goldfish)),
                new Picture("images/11_maze.png", 646, paint(SampleImages::maze)),
                new Picture("images/12_pizza.png", 963, paint(SampleImages::pizza)));
    }

    private static BufferedImage paint(Shader shader) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        double[] rgb = new double[3];
        double[] acc = new double[3];
        for (int py = 0; py < SIZE; py++) {
            for (int px = 0; px < SIZE; px++) {
                acc[0] = 0;
                acc[1] = 0;
                acc[2] = 0;
                for (int sy = 0; sy < SUPER; sy++) {
                    for (int sx = 0; sx < SUPER; sx++) {
                        double x = (px + (sx + 0.5) / SUPER) / SIZE;
                        double y = (py + (sy + 0.5) / SUPER) / SIZE;
                        shader.shade(x, y, rgb);
                        acc[0] += rgb[0];
                        acc[1] += rgb[1];
                        acc[2] += rgb[2];
                    }
                }
                int n = SUPER * SUPER;
                img.setRGB(px, py, (channel(acc[0] / n) << 16) | (channel(acc[1] / n) << 8) | channel(acc[2] / n));
            }
        }
        return img;
    }

    private static int channel(double v) {
        return (int) StrictMath.floor(clamp(v) * 255.0 + 0.5);
    }

    // ---- the pictures -------------------------------------------------------------------------

    private static void dog(double x, double y, double[] c) {
        // wall above, lawn below, a fluffy cream-and-brown face filling most of the frame
        double lawn = smooth(0.62, 0.66, y);
        set(c, mix(0.80, 0.42, lawn), mix(0.74, 0.62, lawn), mix(0.66, 0.25, lawn));
        shadeNoise(c, fbm(x * 30, y * 30, 11, 3), 0.10);
        double fur = fbm(x * 9, y * 40, 12, 4);
        double streak = fbm(x * 60, y * 14, 13, 2);
        double[] cream = {0.93, 0.87, 0.74};
        double[] brown = {0.52, 0.34, 0.18};
        double patch = smooth(0.45, 0.6, fbm(x * 4, y * 4, 14, 3) + 0.25 * StrictMath.abs(x - 0.5) * 2);
        // ears: long, drooping, darker
        for (int side = -1; side <= 1; side += 2) {
            double e = ellipse(x, y, 0.5 + side * 0.33, 0.55, 0.13, 0.30);
            if (e > 0) {
                double t = 0.75 + 0.35 * streak;
                blend(c, e, brown[0] * t, brown[1] * t, brown[2] * t);
            }
        }
        double head = ellipse(x, y, 0.5, 0.48, 0.34, 0.36 + 0.03 * fur);
        if (head > 0) {
            double t = 0.8 + 0.3 * streak;
            double r = mix(cream[0], brown[0], patch) * t;
            double g = mix(cream[1], brown[1], patch) * t;
            double b = mix(cream[2], brown[2], patch) * t;
            blend(c, head, r, g, b);
        }
        // topknot tied with a red bow
        double knot = ellipse(x, y, 0.5, 0.13, 0.09, 0.06);
        blend(c, knot, 0.82, 0.10, 0.16);
        // muzzle, eyes, nose, mouth
        blend(c, ellipse(x, y, 0.5, 0.62, 0.15, 0.11), 0.96 * (0.9 + 0.1 * streak), 0.93, 0.86);
        for (int side = -1; side <= 1; side += 2) {
            double ex = 0.5 + side * 0.13;
            blend(c, ellipse(x, y, ex, 0.44, 0.055, 0.05), 0.07, 0.05, 0.04);
            blend(c, ellipse(x, y, ex + 0.015, 0.43, 0.014, 0.013), 0.95, 0.95, 0.95);
        }
        blend(c, ellipse(x, y, 0.5, 0.575, 0.045, 0.032), 0.05, 0.04, 0.04);
        blend(c, ring(x, y, 0.5, 0.60, 0.06, 0.006) * (y > 0.62 ? 1 : 0), 0.25, 0.12, 0.10);
        blend(c, ellipse(x, y, 0.5, 0.685, 0.03, 0.035), 0.85, 0.40, 0.45);
    }

    private static void seashore(double x, double y, double[] c) {
        double sky = y / 0.45;
        set(c, mix(0.35, 0.80, sky), mix(0.55, 0.88, sky), mix(0.90, 0.95, sky));
        double cloud = smooth(0.55, 0.75, fbm(x * 5, y * 12, 21, 4));
        blend(c, cloud * (y < 0.42 ? 1 : 0), 0.97, 0.97, 0.98);
        if (y > 0.45) {
            double wave = 0.5 + 0.5 * StrictMath.sin(y * 140 + 6 * fbm(x * 6, y * 6, 22, 3));
            set(c, 0.05 + 0.10 * wave, 0.30 + 0.15 * wave, 0.50 + 0.15 * wave);
        }
        double shore = 0.70 + 0.04 * StrictMath.sin(x * 9) + 0.03 * fbm(x * 8, 1, 23, 2);
        if (y > shore) {
            double foam = smooth(0.03, 0.0, y - shore);
            set(c, 0.86, 0.78, 0.58);
            shadeNoise(c, fbm(x * 80, y * 80, 24, 2), 0.12);
            blend(c, foam, 0.97, 0.97, 0.95);
        }
    }

    private static void orange(double x, double y, double[] c) {
        double grain = fbm(x * 3, y * 40, 31, 4);
        set(c, 0.55 + 0.15 * grain, 0.35 + 0.1 * grain, 0.18 + 0.05 * grain);
        blend(c, 0.6 * ellipse(x, y, 0.55, 0.82, 0.36, 0.08), 0.22, 0.14, 0.08);
        double o = ellipse(x, y, 0.5, 0.52, 0.33, 0.32);
        if (o > 0) {
            double light = clamp(1.15 - 1.4 * StrictMath.hypot(x - 0.40, y - 0.40));
            double dimple = fbm(x * 70, y * 70, 32, 2);
            blend(c, o, (0.98 - 0.1 * dimple) * light, (0.52 - 0.08 * dimple) * light, 0.05 * light);
        }
        blend(c, ellipse(x, y, 0.58, 0.19, 0.10, 0.035), 0.20, 0.50, 0.15);
        blend(c, ellipse(x, y, 0.5, 0.21, 0.015, 0.02), 0.30, 0.25, 0.10);
    }

    private static void zebra(double x, double y, double[] c) {
        double warp = 3.0 * fbm(x * 3, y * 3, 41, 3);
        double stripes = StrictMath.sin((x * 22 + y * 6 + warp) * StrictMath.PI);
        double s = smooth(-0.15, 0.15, stripes);
        set(c, mix(0.08, 0.95, s), mix(0.07, 0.94, s), mix(0.07, 0.90, s));
        double ground = smooth(0.80, 0.84, y);
        blend(c, ground, 0.70, 0.62, 0.35 + 0.1 * fbm(x * 30, y * 30, 42, 2));
    }

    private static void crossword(double x, double y, double[] c) {
        int n = 13;
        double gx = x * n;
        double gy = y * n;
        int cx = (int) StrictMath.floor(gx);
        int cy = (int) StrictMath.floor(gy);
        // symmetric black squares, as in a printed puzzle
        int sx = StrictMath.min(cx, n - 1 - cx);
        int sy = StrictMath.min(cy, n - 1 - cy);
        boolean black = hash(sx * 31 + sy, cx < n / 2 == cy < n / 2 ? 1 : 2, 43) < 0.22;
        double v = black ? 0.06 : 0.96;
        double line = StrictMath.min(gx - cx, gy - cy) < 0.06 ? 1 : 0;
        set(c, v, v, v * 0.97);
        blend(c, line, 0.05, 0.05, 0.05);
        if (!black && hash(cx, cy, 44) < 0.25 && gx - cx < 0.3 && gy - cy < 0.3) {
            blend(c, 0.8, 0.2, 0.2, 0.2);
        }
    }

    private static void honeycomb(double x, double y, double[] c) {
        double size = 0.06;
        double qx = x / (size * StrictMath.sqrt(3));
        double qy = y / (size * 1.5);
        // distance to the nearest hexagon centre on an offset grid
        double best = 9;
        double second = 9;
        int row0 = (int) StrictMath.floor(qy);
        for (int row = row0 - 1; row <= row0 + 1; row++) {
            double off = (row & 1) == 0 ? 0 : 0.5;
            int col0 = (int) StrictMath.floor(qx - off);
            for (int col = col0 - 1; col <= col0 + 1; col++) {
                double hx = (col + off) * size * StrictMath.sqrt(3);
                double hy = row * size * 1.5;
                double d = StrictMath.hypot(x - hx, y - hy);
                if (d < best) {
                    second = best;
                    best = d;
                } else if (d < second) {
                    second = d;
                }
            }
        }
        double wall = smooth(0.006, 0.0, second - best);
        double honey = 0.6 + 0.4 * fbm(x * 20, y * 20, 51, 3);
        set(c, 0.85 * honey, 0.55 * honey, 0.08 * honey);
        blend(c, wall, 0.97, 0.85, 0.45);
    }

    private static void trafficLight(double x, double y, double[] c) {
        set(c, 0.45 + 0.3 * y, 0.62 + 0.2 * y, 0.85);
        blend(c, smooth(0.52, 0.50, StrictMath.abs(x - 0.5) * 20) * (y > 0.8 ? 1 : 0), 0.2, 0.2, 0.2);
        double box = rect(x, y, 0.36, 0.08, 0.64, 0.82);
        blend(c, box, 0.12, 0.13, 0.12);
        double[][] lamps = {{0.22, 0.95, 0.12, 0.10}, {0.45, 0.35, 0.28, 0.05}, {0.68, 0.05, 0.30, 0.10}};
        for (double[] l : lamps) {
            blend(c, ellipse(x, y, 0.5, l[0], 0.09, 0.09), l[1], l[2], l[3]);
        }
        blend(c, 0.5 * smooth(0.2, 0.0, StrictMath.hypot(x - 0.5, y - 0.22) - 0.09), 1.0, 0.3, 0.2);
    }

    private static void tennisBall(double x, double y, double[] c) {
        set(c, 0.72, 0.38, 0.25);
        shadeNoise(c, fbm(x * 90, y * 90, 71, 2), 0.10);
        blend(c, smooth(0.012, 0.0, StrictMath.abs(y - 0.88)), 0.95, 0.95, 0.95);
        double ball = ellipse(x, y, 0.5, 0.5, 0.3, 0.3);
        if (ball > 0) {
            double fuzz = fbm(x * 120, y * 120, 72, 2);
            double light = clamp(1.1 - 1.2 * StrictMath.hypot(x - 0.42, y - 0.40));
            blend(c, ball, (0.80 + 0.1 * fuzz) * light, (0.90 + 0.1 * fuzz) * light, 0.25 * light);
            double seam = StrictMath.abs(StrictMath.hypot(x - 0.18, y - 0.5) - 0.28);
            double seam2 = StrictMath.abs(StrictMath.hypot(x - 0.82, y - 0.5) - 0.28);
            blend(c, ball * smooth(0.012, 0.004, StrictMath.min(seam, seam2)), 0.96, 0.96, 0.92);
        }
    }

    private static void spiderWeb(double x, double y, double[] c) {
        double bg = fbm(x * 3, y * 3, 81, 3);
        set(c, 0.05 + 0.1 * bg, 0.18 + 0.15 * bg, 0.08 + 0.05 * bg);
        double dx = x - 0.48;
        double dy = y - 0.52;
        double r = StrictMath.hypot(dx, dy);
        double a = StrictMath.atan2(dy, dx);
        int spokes = 14;
        double spoke = StrictMath.abs(remainder(a * spokes / (2 * StrictMath.PI))) * 2 * StrictMath.PI / spokes * r;
        double spiral = StrictMath.abs(remainder((r - 0.02 * a) / 0.045)) * 0.045;
        double thread = StrictMath.max(smooth(0.004, 0.0, spoke), smooth(0.003, 0.0, spiral)) * (r < 0.45 ? 1 : 0);
        blend(c, 0.9 * thread, 0.92, 0.93, 0.95);
    }

    private static void volcano(double x, double y, double[] c) {
        double smoke = fbm(x * 4, y * 4, 91, 4);
        set(c, 0.55 + 0.25 * smoke - 0.2 * y, 0.55 + 0.2 * smoke - 0.25 * y, 0.60 + 0.2 * smoke - 0.2 * y);
        double half = 0.08 + (y - 0.32) * 0.75 + 0.02 * fbm(x * 10, y * 10, 92, 2);
        if (y > 0.32 && StrictMath.abs(x - 0.5) < half) {
            double rock = fbm(x * 25, y * 25, 93, 3);
            set(c, 0.25 + 0.12 * rock, 0.20 + 0.08 * rock, 0.17 + 0.06 * rock);
            double lava = smooth(0.02, 0.0, StrictMath.abs(x - 0.5 + 0.04 * StrictMath.sin(y * 30)) - 0.01 - 0.05 * (0.6 - y));
            blend(c, lava * (y < 0.6 ? 1 : 0), 1.0, 0.35, 0.05);
        }
        blend(c, 0.8 * ellipse(x, y, 0.5, 0.30, 0.10, 0.04), 1.0, 0.55, 0.10);
        blend(c, 0.7 * smooth(0.5, 0.8, smoke) * (y < 0.3 ? 1 : 0), 0.35, 0.33, 0.33);
    }

    private static void goldfish(double x, double y, double[] c) {
        double caustic = fbm(x * 8, y * 8, 101, 4);
        set(c, 0.10 + 0.1 * caustic, 0.35 + 0.2 * caustic, 0.60 + 0.2 * caustic);
        blend(c, smooth(0.85, 0.9, y), 0.75, 0.68, 0.45);
        double body = ellipse(x, y, 0.48, 0.48, 0.22, 0.13);
        double tailX = x - 0.70;
        double tail = tailX > 0 && tailX < 0.18 && StrictMath.abs(y - 0.48) < tailX * 0.9 + 0.02 ? 1 : 0;
        double scale = fbm(x * 50, y * 50, 102, 2);
        blend(c, StrictMath.max(body, 0.9 * tail), 0.98, 0.45 + 0.15 * scale, 0.05);
        blend(c, ellipse(x, y, 0.33, 0.45, 0.02, 0.02), 0.02, 0.02, 0.02);
        for (int i = 0; i < 6; i++) {
            double bx = 0.2 + 0.05 * i + 0.02 * StrictMath.sin(i * 3.1);
            double by = 0.35 - 0.05 * i;
            blend(c, 0.7 * ring(x, y, bx, by, 0.012 + 0.002 * i, 0.003), 0.85, 0.92, 0.97);
        }
    }

    private static void maze(double x, double y, double[] c) {
        int n = 16;
        double gx = x * n;
        double gy = y * n;
        int cx = (int) StrictMath.floor(gx);
        int cy = (int) StrictMath.floor(gy);
        double fx = gx - cx;
        double fy = gy - cy;
        // each cell keeps either its left or its top wall: the "binary tree" maze
        boolean left = hash(cx, cy, 111) < 0.5;
        double wall = 0;
        if (left && fx < 0.18 || !left && fy < 0.18 || cx == 0 && fx < 0.18 || cy == 0 && fy < 0.18) {
            wall = 1;
        }
        set(c, 0.95, 0.93, 0.85);
        blend(c, wall, 0.15, 0.25, 0.55);
    }

    private static void pizza(double x, double y, double[] c) {
        set(c, 0.82, 0.80, 0.78);
        double check = ((int) StrictMath.floor(x * 8) + (int) StrictMath.floor(y * 8)) % 2 == 0 ? 1 : 0;
        blend(c, 0.7 * check, 0.70, 0.12, 0.12);
        double r = StrictMath.hypot(x - 0.5, y - 0.5);
        if (r < 0.43) {
            set(c, 0.80, 0.55, 0.25);
            if (r < 0.38) {
                double cheese = fbm(x * 18, y * 18, 121, 3);
                set(c, mix(0.80, 0.98, cheese), mix(0.20, 0.85, cheese), mix(0.10, 0.35, cheese));
                for (int i = 0; i < 7; i++) {
                    double a = i * 0.9;
                    double pr = 0.12 + 0.17 * hash(i, 0, 122);
                    double px = 0.5 + pr * StrictMath.cos(a);
                    double py = 0.5 + pr * StrictMath.sin(a);
                    blend(c, ellipse(x, y, px, py, 0.045, 0.045), 0.65, 0.12, 0.10);
                }
            }
        }
    }

    // ---- drawing helpers -----------------------------------------------------------------------

    private static void set(double[] c, double r, double g, double b) {
        c[0] = r;
        c[1] = g;
        c[2] = b;
    }

    private static void blend(double[] c, double alpha, double r, double g, double b) {
        double a = clamp(alpha);
        c[0] += (r - c[0]) * a;
        c[1] += (g - c[1]) * a;
        c[2] += (b - c[2]) * a;
    }

    private static void shadeNoise(double[] c, double n, double amount) {
        double f = 1 + amount * (n - 0.5) * 2;
        c[0] *= f;
        c[1] *= f;
        c[2] *= f;
    }

    /** 1 inside the ellipse, 0 outside; sub-sampling makes the edge soft. */
    private static double ellipse(double x, double y, double cx, double cy, double rx, double ry) {
        double dx = (x - cx) / rx;
        double dy = (y - cy) / ry;
        return dx * dx + dy * dy <= 1 ? 1 : 0;
    }

    private static double ring(double x, double y, double cx, double cy, double r, double width) {
        return StrictMath.abs(StrictMath.hypot(x - cx, y - cy) - r) <= width ? 1 : 0;
    }

    private static double rect(double x, double y, double x0, double y0, double x1, double y1) {
        return x >= x0 && x <= x1 && y >= y0 && y <= y1 ? 1 : 0;
    }

    private static double mix(double a, double b, double t) {
        return a + (b - a) * clamp(t);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** 0 at {@code e0}, 1 at {@code e1}, smooth in between; works with e0 > e1 too. */
    private static double smooth(double e0, double e1, double v) {
        double t = clamp((v - e0) / (e1 - e0));
        return t * t * (3 - 2 * t);
    }

    /** Signed distance to the nearest integer, in [-0.5, 0.5]. */
    private static double remainder(double v) {
        return v - StrictMath.floor(v + 0.5);
    }

    /** Uniform in [0, 1) from integer coordinates; a fixed mixing function, unlike hashCode(). */
    static double hash(int x, int y, int seed) {
        long h = x * 0x9E3779B97F4A7C15L + y * 0xC2B2AE3D27D4EB4FL + seed * 0x165667B19E3779F9L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static double valueNoise(double x, double y, int seed) {
        int x0 = (int) StrictMath.floor(x);
        int y0 = (int) StrictMath.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double sx = fx * fx * (3 - 2 * fx);
        double sy = fy * fy * (3 - 2 * fy);
        double a = hash(x0, y0, seed);
        double b = hash(x0 + 1, y0, seed);
        double c = hash(x0, y0 + 1, seed);
        double d = hash(x0 + 1, y0 + 1, seed);
        return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
    }

    /** Fractal noise in about [0, 1]: octaves of value noise, each twice as fine and half as strong. */
    private static double fbm(double x, double y, int seed, int octaves) {
        double sum = 0;
        double amp = 0.5;
        double norm = 0;
        for (int o = 0; o < octaves; o++) {
            sum += amp * valueNoise(x, y, seed * 7 + o);
            norm += amp;
            x *= 2.03;
            y *= 2.03;
            amp *= 0.5;
        }
        return sum / norm;
    }
}
