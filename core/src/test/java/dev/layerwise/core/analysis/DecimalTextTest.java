package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fixed-point text against {@code String.format(Locale.ROOT, "%.Nf", v)}, the reports' former writer. */
class DecimalTextTest {

    @Test
    void writesWhatStringFormatWritesForEveryKindOfDouble() {
        SplittableRandom r = new SplittableRandom(20261128);
        double[] fixed = {0.0, -0.0, 1.0, -1.0, 0.5, 5e-7, 4.9999999e-7, 5.000001e-7, -5e-7, 4e-8, -4e-8, 9.9999995e-1, 0.9999995,
            0.99999949, 9.5, 99.9999995, 999999.9999995, 0.1234565, 0.0000015, 0.0000025, 1e-3, 1e7, 9999999.9999996, 1e20, 1.2345678901234567e20,
            Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.3, 2e-1, 5.0,
            123.456, 0.0012345678, 1e-5, 1.5e-6, 2.5e-6, 0.00001, 3.0e-7};
        for (double v : fixed) {
            check(v);
        }
        for (int k = 0; k < 600_000; k++) {
            check(switch (k % 6) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble();
                case 2 -> Math.scalb(r.nextDouble() - 0.5, r.nextInt(-40, 70));
                // ties at the last decimal kept, and their neighbours
                case 3 -> (r.nextInt(-2_000_000, 2_000_000) + 0.5) / 1e6;
                case 4 -> Math.nextUp((r.nextInt(0, 2_000_000) + 0.5) / 1e5);
                default -> (double) (float) (r.nextDouble() * 2 - 1);
            });
        }
    }

    private static void check(double v) {
        for (int decimals : new int[] {5, 6}) {
            String expected = String.format(Locale.ROOT, "%." + decimals + "f", v);
            String actual = DecimalText.append(new StringBuilder(), v, decimals).toString();
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, "v=" + v + " (" + Double.doubleToRawLongBits(v) + "), " + decimals + " decimals");
            }
        }
    }
}
