package dev.layerwise.core.analysis;

/**
 * {@code String.format(Locale.ROOT, "%.Nf", v)} without {@code Formatter}: the reports format a few
 * thousand numbers right after the analysis, and on a cold start the formatter (a regular expression
 * per format string, then its number path) is what the main thread spends that time in.
 *
 * <p>The result is the formatter's, character for character: {@code Formatter} takes the shortest
 * decimal digits that identify the double (as {@link Double#toString} does; where those are a single
 * digit it generates a second one, always a 0 for a double, which changes no rounding) and rounds
 * them half up at the N-th decimal; a negative value or -0.0 keeps its minus sign even when it rounds
 * to zero; NaN and the infinities are written as words. {@code DecimalTextTest} compares the two on
 * millions of values. Stateless.
 */
final class DecimalText {

    private DecimalText() {
    }

    /** Appends {@code v} with {@code decimals} digits after the point (1 or more). */
    static StringBuilder append(StringBuilder sb, double v, int decimals) {
        if (Double.isNaN(v)) {
            return sb.append("NaN");
        }
        if (Double.compare(v, 0.0) < 0) {
            sb.append('-');
        }
        if (Double.isInfinite(v)) {
            return sb.append("Infinity");
        }
        String s = Double.toString(Math.abs(v));
        // the digits without point or exponent, and where the point goes: value = 0.DIGITS * 10^point
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        char[] digits = new char[mantissa.length() + 1];
        int n = 0;
        int point = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1)));
        for (int i = 0; i < mantissa.length(); i++) {
            char c = mantissa.charAt(i);
            if (c == '.') {
                continue;
            }
            if (n == 0 && c == '0') {
                // a leading zero moves the point instead
                point--;
                continue;
            }
            digits[n++] = c;
        }
        if (n == 0) {
            point = 1;
        }
        // half up at the last decimal kept: digit index point + decimals
        int cut = point + decimals;
        if (cut < 0) {
            n = 0;
        } else if (cut < n) {
            boolean up = digits[cut] >= '5';
            n = cut;
            if (up) {
                int i = n - 1;
                while (i >= 0 && digits[i] == '9') {
                    digits[i--] = '0';
                }
                if (i >= 0) {
                    digits[i]++;
                } else {
                    // every kept digit was 9 (or none was kept): one more digit in front
                    System.arraycopy(digits, 0, digits, 1, n);
                    digits[0] = '1';
                    n++;
                    point++;
                }
            }
        }
        if (point <= 0) {
            sb.append('0');
        } else {
            for (int i = 0; i < point; i++) {
                sb.append(i < n ? digits[i] : '0');
            }
        }
        sb.append('.');
        for (int i = point; i < point + decimals; i++) {
            sb.append(i >= 0 && i < n ? digits[i] : '0');
        }
        return sb;
    }
}
