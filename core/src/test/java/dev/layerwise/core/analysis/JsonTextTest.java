package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.version.BuildInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** analysis.json written by hand against Jackson's text of the same tree, on many shapes of result. */
class JsonTextTest {

    private static final String[] ODD = {"\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f", "\u0085",
        "\u00e9", "\u2028", "\u4e2d", "\ud83d\ude00", "\ud800", " ", ":", "{", "[", ",", "'", "#"};

    @Test
    void writesTheTextJacksonWritesForTheSameReport() throws Exception {
        SplittableRandom r = new SplittableRandom(20261128);
        for (int k = 0; k < 3000; k++) {
            AnalysisResult result = randomResult(r);
            assertEquals(jackson(result), ReportWriter.json(result), "result " + k);
        }
    }

    @Test
    void emptyContainersNullsAndNonFiniteNumbersAreWrittenAsJacksonWritesThem() {
        JsonText j = new JsonText().beginObject();
        j.name("a").beginArray().endArray();
        j.name("o").beginObject().endObject();
        j.name("n").nullValue();
        j.name("x").beginArray().value(Double.NaN).value(Double.NEGATIVE_INFINITY).value(-0.0).value(1e-7).endArray();
        j.name("nested").beginArray().beginArray().value(1).endArray().beginObject().endObject().endArray();
        String nl = System.lineSeparator();
        assertEquals("{" + nl + "  \"a\" : [ ]," + nl + "  \"o\" : { }," + nl + "  \"n\" : null," + nl
                + "  \"x\" : [ \"NaN\", \"-Infinity\", -0.0, 1.0E-7 ]," + nl + "  \"nested\" : [ [ 1 ], { } ]" + nl + "}", j.endObject().text());
    }

    /** The reference: the analysis.json tree (DESIGN.md's names) as Jackson prints it, and a line break. */
    private static String jackson(AnalysisResult r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        BuildInfo tool = BuildInfo.current();
        root.putObject("tool").put("name", tool.name()).put("version", tool.version());
        root.put("model", r.model());
        root.put("dtype", r.dtype().configName());
        root.put("algorithm", r.algorithm().configName());
        root.put("input", r.inputs().isEmpty() ? null : r.inputs().get(0));
        ArrayNode ins = root.putArray("inputs");
        r.inputs().forEach(ins::add);
        ArrayNode layers = root.putArray("layers");
        for (LayerReport l : r.layers()) {
            ObjectNode o = layers.addObject();
            o.put("name", l.name());
            o.put("op", l.op());
            if (l.activation() != null) {
                o.put("activation", l.activation());
            }
            o.put("output", l.output());
            o.put("shape", l.shape());
            o.put("dtype", l.dtype().configName());
            metrics(o.putObject("individual"), l.individual());
            metrics(o.putObject("entire"), l.entire());
        }
        ObjectNode fin = root.putObject("final");
        OutputMetrics worst = r.worstOutput();
        fin.put("cosine", worst.metrics().cosine());
        fin.put("euclidean", worst.metrics().euclidean());
        fin.put("worst_output", worst.name());
        ArrayNode outs = fin.putArray("outputs");
        for (OutputMetrics o : r.outputs()) {
            top5(ReportWriter.outputJson(outs.addObject(), o), o.floatTop5(), o.top5());
        }
        top5(fin, r.floatTop5(), r.quantizedTop5());
        ObjectNode timing = root.putObject("timing_ms");
        timing.put("build", r.timing().buildMillis());
        timing.put("session", r.timing().sessionMillis());
        timing.put("runs", r.timing().runMillis());
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void metrics(ObjectNode o, Metrics m) {
        o.put("cosine", m.cosine());
        o.put("euclidean", m.euclidean());
        o.put("eculidean_norm", m.eculidean_norm());
        o.put("cosine_norm", m.cosine_norm());
    }

    private static void top5(ObjectNode o, TopK floatTop5, TopK quantizedTop5) {
        if (floatTop5 == null) {
            o.putNull("top5");
            return;
        }
        ObjectNode t = o.putObject("top5");
        top(t.putArray("float"), floatTop5);
        top(t.putArray("quantized"), quantizedTop5);
    }

    private static void top(ArrayNode a, TopK t) {
        if (t != null) {
            for (TopK.Entry e : t.entries()) {
                a.addArray().add(e.index()).add(e.score());
            }
        }
    }

    private static AnalysisResult randomResult(SplittableRandom r) {
        List<String> inputs = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            inputs.add(text(r));
        }
        List<LayerReport> layers = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            layers.add(new LayerReport(i, text(r), text(r), r.nextBoolean() ? null : text(r), text(r), text(r),
                    QuantType.values()[r.nextInt(QuantType.values().length)], metrics(r), metrics(r)));
        }
        List<OutputMetrics> outputs = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            long[] shape = new long[r.nextInt(4)];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(2000);
            }
            TopK f = r.nextBoolean() ? null : top(r);
            outputs.add(new OutputMetrics(text(r), shape, metrics(r), number(r), f, f == null ? null : top(r), number(r), 0));
        }
        return new AnalysisResult(text(r), QuantType.values()[r.nextInt(QuantType.values().length)],
                CalibrationAlgorithm.values()[r.nextInt(CalibrationAlgorithm.values().length)], inputs, layers, outputs,
                new AnalysisResult.Timing(r.nextInt(1000), r.nextLong(), r.nextInt(100)));
    }

    private static TopK top(SplittableRandom r) {
        List<TopK.Entry> entries = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            entries.add(new TopK.Entry(r.nextInt(-5, 100000), text(r), number(r)));
        }
        return new TopK(entries);
    }

    private static Metrics metrics(SplittableRandom r) {
        return new Metrics(number(r), number(r), number(r), number(r));
    }

    private static double number(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());
            case 1 -> new double[] {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                Double.MAX_VALUE, 1e-7, 1e7, 3.0}[r.nextInt(10)];
            case 2 -> (double) (float) r.nextDouble();
            default -> r.nextDouble() * 2 - 1;
        };
    }

    private static String text(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.append(r.nextInt(5) == 0 ? ODD[r.nextInt(ODD.length)] : String.valueOf((char) ('a' + r.nextInt(26))));
        }
        return sb.toString();
    }
}
