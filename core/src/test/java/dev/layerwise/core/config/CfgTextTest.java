package dev.layerwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written cfg YAML against Jackson YAML's, on many shapes of cfg and of names. */
class CfgTextTest {

    /** Mostly the characters the hand writer takes, and some it must leave to the library. */
    private static final String USUAL = "abexnoyNYE0158_./:-@";
    private static final String[] ODD = {" ", "#", "'", "\"", "\u00e9", "\n", ",", "[", "{", "?", "!", "*", "&", "%", "|", ">", "=",
        "~", "\t", "\u2028", "\u0085", ": ", " #", "\\", "\u4e2d"};
    private static final String[] NAMES = {"Conv_0", "@Conv_0:out0", "@Conv_0:weight", "/stage2/stage2.0/Conv_output_0",
        "onnx::Conv_12", "input", "float16", "dynamic_fixed_point-i16", "int8", "u8", "i16", "layer", "channel", "None", "none",
        "asymmetric_affine", "dynamic_fixed_point", "true", "True", "yes", "Yes", "y", "n", "No", "on", "OFF", "null", "NULL", "~",
        "nan", ".nan", "inf", ".inf", "e5", "E10", "_1", "1_000", "0x1F", "12:30", "2024-01-01", "-", "a:", "@", "@1", "@a:",
        "/", "//", "_", ".5", "5.", "+1", "-1", "1e5", "@@a", "2", "0", "13", "007", "08", "0o7", "123456789012345678901234567890",
        "@2:out0", "2:3", "30b", "1a", "1_000", "1.5", "1e5", "1:20", "2024-01-01", "0x1F", "1-", "1:", "9/conv"};

    @Test
    void writesWhatJacksonYamlWritesForEveryCfgItTakes() {
        SplittableRandom r = new SplittableRandom(20261128);
        int taken = 0;
        int configs = 6000;
        for (int k = 0; k < configs; k++) {
            QuantConfig c = randomConfig(r);
            String hand = CfgText.body(c);
            String library = ConfigFile.libraryBody(c);
            if (hand != null) {
                taken++;
                assertEquals(library, hand, "cfg " + k + ": " + c);
            }
        }
        // the comparison means something only if the hand writer took a fair share
        assertTrue(taken > configs / 5, "taken " + taken);
    }

    @Test
    void everySingleNameIsWrittenAsJacksonYamlWritesItOrLeftToIt() {
        SplittableRandom r = new SplittableRandom(5);
        List<String> names = new ArrayList<>(List.of(NAMES));
        for (int k = 0; k < 20000; k++) {
            names.add(name(r));
        }
        names.add("x".repeat(100));
        names.add("x".repeat(101));
        names.add("@" + "x".repeat(99));
        names.add("x".repeat(127));
        names.add("x".repeat(128));
        int taken = 0;
        for (String n : names) {
            for (Toolkit toolkit : Toolkit.values()) {
                // as a layer's key and type, and as a tensor's key, dtype, method and qtype
                QuantConfig c = new QuantConfig(Map.of(n, n), Map.of(n, new TensorEntry(n, n, List.of(1.5), List.of(-0.5), List.of(3L),
                        List.of(0.25), n, List.of())), List.of(), toolkit);
                String hand = CfgText.body(c);
                if (hand != null) {
                    taken++;
                    assertEquals(ConfigFile.libraryBody(c), hand, "name [" + n + "]");
                }
            }
        }
        assertTrue(taken > 2000, "taken " + taken);
    }

    @Test
    void theUsualNamesAreWrittenByHandAndOddOnesByTheLibraryAndBothReadBack() throws Exception {
        TensorEntry u8 = new TensorEntry("asymmetric_affine", "layer", List.of(2.5526316165924072), List.of(-2.0683164596557617),
                List.of(114L), List.of(0.01812136359512806), "u8", List.of());
        TensorEntry dfp = new TensorEntry("dynamic_fixed_point", "layer", List.of(6.0), List.of(-1e-7), List.of(), List.of(), "i16",
                List.of(12L));
        TensorEntry none = new TensorEntry("None", null, List.of(), List.of(), List.of(), List.of(), null, List.of());
        Map<String, TensorEntry> usual = new LinkedHashMap<>();
        usual.put("@input:out0", u8);
        usual.put("@Conv_0:weight", dfp);
        usual.put("@Shape_3:out0", none);
        QuantConfig toolkit1 = new QuantConfig(Map.of("Conv_0", "float16"), usual, List.of());
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        tensors.put("/stage2/stage2.0/Conv_output_0", u8);
        tensors.put("onnx::Conv_12", dfp);
        tensors.put("13", u8);
        tensors.put("30b", u8);
        QuantConfig toolkit2 = new QuantConfig(Map.of("/stage2/stage2.0/Conv_output_0", "int16"), tensors, List.of(), Toolkit.TOOLKIT2);
        for (QuantConfig c : List.of(toolkit1, toolkit2)) {
            assertNotNull(CfgText.body(c));
            assertEquals(ConfigFile.libraryBody(c), CfgText.body(c));
            assertEquals(c.customizedLayers(), ConfigFile.parse(ConfigFile.format(c), "cfg").customizedLayers());
            assertEquals(c.parameters(), ConfigFile.parse(ConfigFile.format(c), "cfg").parameters());
        }
        for (String odd : List.of("Conv 0", "Conv_0#1", "it's", "say \"x\"", "a: b", "caf\u00e9", "two\nlines", "yes", ".conv", "-x")) {
            Map<String, TensorEntry> p = new LinkedHashMap<>(usual);
            p.put("@" + odd + ":out0", u8);
            QuantConfig c = new QuantConfig(Map.of(odd, "float16"), p, List.of());
            assertNull(CfgText.body(c), odd);
            QuantConfig back = ConfigFile.parse(ConfigFile.format(c), "cfg");
            assertEquals(c.customizedLayers(), back.customizedLayers(), odd);
            assertEquals(c.parameters(), back.parameters(), odd);
        }
    }

    private static QuantConfig randomConfig(SplittableRandom r) {
        Map<String, String> custom = new LinkedHashMap<>();
        int layers = r.nextInt(4) == 0 ? 0 : r.nextInt(4);
        for (int i = 0; i < layers; i++) {
            custom.put(name(r), r.nextBoolean() ? pick(r, "float16", "float32", "dynamic_fixed_point-i16", "int16", "int8") : name(r));
        }
        Map<String, TensorEntry> params = new LinkedHashMap<>();
        int entries = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(4);
        for (int i = 0; i < entries; i++) {
            String dtype = r.nextInt(8) == 0 ? name(r) : pick(r, "asymmetric_affine", "dynamic_fixed_point", "None", "float16");
            String method = r.nextInt(3) == 0 ? null : r.nextInt(8) == 0 ? name(r) : pick(r, "layer", "channel");
            String qtype = r.nextInt(4) == 0 ? null : r.nextInt(8) == 0 ? name(r) : pick(r, "u8", "i8", "i16", "i32", "float16");
            params.put(r.nextBoolean() ? "@" + name(r) + ":" + pick(r, "out0", "weight", "bias") : name(r),
                    new TensorEntry(dtype, method, doubles(r), doubles(r), longs(r), doubles(r), qtype, r.nextInt(3) == 0 ? longs(r) : List.of()));
        }
        List<String> comments = r.nextBoolean() ? List.of() : List.of("a comment", "another: one");
        return new QuantConfig(custom, params, comments, r.nextBoolean() ? Toolkit.TOOLKIT1 : Toolkit.TOOLKIT2);
    }

    private static String name(SplittableRandom r) {
        if (r.nextInt(4) == 0) {
            return NAMES[r.nextInt(NAMES.length)];
        }
        if (r.nextInt(6) == 0) {
            return Integer.toString(r.nextInt(r.nextBoolean() ? 100 : Integer.MAX_VALUE));
        }
        StringBuilder sb = new StringBuilder();
        int length = r.nextInt(20) == 0 ? 90 + r.nextInt(45) : 1 + r.nextInt(9);
        for (int i = 0; i < length; i++) {
            if (r.nextInt(25) == 0) {
                sb.append(ODD[r.nextInt(ODD.length)]);
            } else if (r.nextInt(3) == 0) {
                sb.append(USUAL.charAt(r.nextInt(USUAL.length())));
            } else {
                sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    private static List<Double> doubles(SplittableRandom r) {
        List<Double> out = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(switch (r.nextInt(8)) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> (double) (float) (r.nextDouble() * 10 - 5);
                case 2 -> pickDouble(r, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                        Double.MAX_VALUE, 1e-7, 1e7, 123456789.0);
                case 3 -> (double) r.nextInt(-300, 300);
                case 4 -> Math.scalb(r.nextDouble(), r.nextInt(-40, 40));
                default -> r.nextDouble() * 20 - 10;
            });
        }
        return out;
    }

    private static List<Long> longs(SplittableRandom r) {
        List<Long> out = new ArrayList<>();
        int n = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(-40, 300));
        }
        return out;
    }

    private static String pick(SplittableRandom r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static double pickDouble(SplittableRandom r, double... options) {
        return options[r.nextInt(options.length)];
    }
}
