package dev.layerwise.core.config;

/**
 * The RKNN toolkit generation whose files and names a user works with. Both share the hybrid flow
 * but differ in the cfg section (and its keys), the layer type names and the report layout.
 */
public enum Toolkit {
    /** RKNN-Toolkit 1 (RV1126, RK1808): {@code customized_quantize_layers} by layer name, {@code *_qnt_error_analysis.txt}. */
    TOOLKIT1("1", "customized_quantize_layers"),
    /** RKNN-Toolkit2 (RK3588, RK3576, RK3566, RV1106): {@code custom_quantize_layers} by output tensor name, {@code error_analysis.txt}. */
    TOOLKIT2("2", "custom_quantize_layers");

    private final String number;
    private final String section;

    Toolkit(String number, String section) {
        this.number = number;
        this.section = section;
    }

    /** {@code 1} or {@code 2}, as in {@code --toolkit 2}. */
    public String number() {
        return number;
    }

    /** The cfg section the user edits. */
    public String section() {
        return section;
    }

    /** {@code 1}/{@code 2} (also {@code toolkit1}, {@code rknn-toolkit2} …). */
    public static Toolkit parse(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("1")) {
            return TOOLKIT1;
        }
        if (t.endsWith("2")) {
            return TOOLKIT2;
        }
        throw new IllegalArgumentException("unknown toolkit '" + s + "'; allowed: 1 (RKNN-Toolkit), 2 (RKNN-Toolkit2)");
    }

    @Override
    public String toString() {
        return number;
    }
}
