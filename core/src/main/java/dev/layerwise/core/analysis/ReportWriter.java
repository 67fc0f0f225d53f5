package dev.layerwise.core.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.version.BuildInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Writes an {@link AnalysisResult} as RKNN's two text reports, a CSV and {@code analysis.json}.
 * Every file is written atomically. Stateless.
 */
public final class ReportWriter {

    public static final String ENTIRE_TXT = "entire_qnt_error_analysis.txt";
    public static final String INDIVIDUAL_TXT = "individual_qnt_error_analysis.txt";
    public static final String CSV = "analysis.csv";
    public static final String JSON = "analysis.json";
    /** Every file {@link #writeAll} writes. */
    public static final java.util.List<String> FILES = java.util.List.of(ENTIRE_TXT, INDIVIDUAL_TXT, CSV, JSON);
    /** What stands in for a top-5 list where the output is not a class vector. */
    public static final String NOT_A_CLASS_VECTOR = "n/a (not a class vector)";

    /** What {@code %n} wrote. */
    private static final String NL = System.lineSeparator();

    private ReportWriter() {
    }

    /** Writes the four reports into {@code dir} on the caller's thread. */
    public static void writeAll(Path dir, AnalysisResult r) throws IOException {
        writeAll(dir, r, Runnable::run);
    }

    /**
     * As {@link #writeAll(Path, AnalysisResult)}, with {@code analysis.json} formatted by
     * {@code executor} (e.g. a thread of its own, on another core) while the caller formats and
     * writes the text reports and the CSV; the caller writes every file, in the same order. The
     * result is only read, so the files are the same either way.
     */
    public static void writeAll(Path dir, AnalysisResult r, java.util.concurrent.Executor executor) throws IOException {
        java.util.concurrent.FutureTask<String> json = new java.util.concurrent.FutureTask<>(() -> json(r));
        executor.execute(json);
        AtomicFiles.writeString(dir.resolve(ENTIRE_TXT), rknnText(r, LayerReport::entire));
        AtomicFiles.writeString(dir.resolve(INDIVIDUAL_TXT), rknnText(r, LayerReport::individual));
        AtomicFiles.writeString(dir.resolve(CSV), csv(r));
        String text;
        try {
            text = json.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + JSON + " was formatted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IOException(e.getCause());
        }
        AtomicFiles.writeString(dir.resolve(JSON), text);
    }

    /**
     * One line per layer in graph order: {@code NAME\teculidean_norm=…\tcosine_norm=…\teculidean=…\tcosine=…};
     * then a footer of {@code #} lines with every graph output's final metrics (quantized model
     * against float), which tools reading the layer lines skip.
     */
    public static String rknnText(AnalysisResult r, Function<LayerReport, Metrics> which) {
        StringBuilder sb = new StringBuilder(128 * (r.layers().size() + r.outputs().size() + 2));
        for (LayerReport l : r.layers()) {
            Metrics m = which.apply(l);
            sb.append(l.name()).append("\teculidean_norm=");
            DecimalText.append(sb, m.eculidean_norm(), 6).append("\tcosine_norm=");
            DecimalText.append(sb, m.cosine_norm(), 6).append("\teculidean=");
            DecimalText.append(sb, m.euclidean(), 5).append("\tcosine=");
            DecimalText.append(sb, m.cosine(), 6).append(NL);
        }
        sb.append(NL).append("# final outputs, quantized model vs float (worst: ").append(r.worstOutput().name()).append(')').append(NL);
        for (OutputMetrics o : r.outputs()) {
            sb.append("# ").append(o.name()).append("\tshape=").append(o.shapeText()).append("\tcosine=");
            DecimalText.append(sb, o.metrics().cosine(), 6).append("\teculidean=");
            DecimalText.append(sb, o.metrics().euclidean(), 5).append("\tmax_abs_error=");
            DecimalText.append(sb, o.maxAbsError(), 6).append('\t').append(top1Text(o)).append(NL);
        }
        return sb.toString();
    }

    /** {@code top1_float=[i] p\ttop1_quantized=[j] q} for a class vector, else {@code top5=n/a (not a class vector)}. */
    public static String top1Text(OutputMetrics o) {
        if (!o.classVector()) {
            return "top5=" + NOT_A_CLASS_VECTOR;
        }
        StringBuilder sb = new StringBuilder("top1_float=[").append(o.floatTop5().top1().index()).append("] ");
        DecimalText.append(sb, o.floatTop5().top1().score(), 6).append("\ttop1_quantized=[").append(o.top5().top1().index()).append("] ");
        return DecimalText.append(sb, o.top5().top1().score(), 6).toString();
    }

    public static String csv(AnalysisResult r) {
        StringBuilder sb = new StringBuilder(
                "index,name,op,output,shape,dtype,individual_cosine,individual_euclidean,individual_eculidean_norm,"
                        + "entire_cosine,entire_euclidean,entire_eculidean_norm,max_abs_error\n");
        for (LayerReport l : r.layers()) {
            sb.append(l.index()).append(',').append(csvField(l.name())).append(',').append(csvField(l.opLabel())).append(',')
                    .append(csvField(l.output())).append(',').append(l.shape()).append(',').append(l.dtype().configName());
            for (double v : new double[] {l.individual().cosine(), l.individual().euclidean(), l.individual().eculidean_norm(),
                l.entire().cosine(), l.entire().euclidean(), l.entire().eculidean_norm()}) {
                DecimalText.append(sb.append(','), v, 6);
            }
            sb.append(',').append(NL);
        }
        // every graph output as a row of its own: index "final", the entire columns hold the final metrics
        for (OutputMetrics o : r.outputs()) {
            sb.append("final,").append(csvField(o.name())).append(",output,").append(csvField(o.name())).append(',')
                    .append(o.shapeText()).append(',').append(r.dtype().configName()).append(",,,");
            for (double v : new double[] {o.metrics().cosine(), o.metrics().euclidean(), o.metrics().eculidean_norm(), o.maxAbsError()}) {
                DecimalText.append(sb.append(','), v, 6);
            }
            sb.append(NL);
        }
        return sb.toString();
    }

    static String csvField(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /**
     * {@code analysis.json} (names fixed by DESIGN.md), pretty-printed as Jackson prints, and a line
     * break; written by {@link JsonText} so that no Jackson class is loaded for it.
     */
    public static String json(AnalysisResult r) throws IOException {
        JsonText j = new JsonText().beginObject();
        BuildInfo tool = BuildInfo.current();
        j.name("tool").beginObject().name("name").value(tool.name()).name("version").value(tool.version()).endObject();
        j.name("model").value(r.model());
        j.name("dtype").value(r.dtype().configName());
        j.name("algorithm").value(r.algorithm().configName());
        j.name("input").value(r.inputs().isEmpty() ? null : r.inputs().get(0));
        j.name("inputs").beginArray();
        r.inputs().forEach(j::value);
        j.endArray();
        j.name("layers").beginArray();
        for (LayerReport l : r.layers()) {
            j.beginObject();
            j.name("name").value(l.name());
            j.name("op").value(l.op());
            if (l.activation() != null) {
                j.name("activation").value(l.activation());
            }
            j.name("output").value(l.output());
            j.name("shape").value(l.shape());
            j.name("dtype").value(l.dtype().configName());
            metrics(j.name("individual"), l.individual());
            metrics(j.name("entire"), l.entire());
            j.endObject();
        }
        j.endArray();
        j.name("final").beginObject();
        OutputMetrics worst = r.worstOutput();
        j.name("cosine").value(worst.metrics().cosine());
        j.name("euclidean").value(worst.metrics().euclidean());
        j.name("worst_output").value(worst.name());
        j.name("outputs").beginArray();
        for (OutputMetrics o : r.outputs()) {
            j.beginObject();
            j.name("name").value(o.name());
            j.name("shape").beginArray();
            for (long d : o.shape()) {
                j.value(d);
            }
            j.endArray();
            j.name("cosine").value(o.metrics().cosine());
            j.name("euclidean").value(o.metrics().euclidean());
            j.name("max_abs_error").value(o.maxAbsError());
            top5(j, o.floatTop5(), o.top5());
            j.endObject();
        }
        j.endArray();
        top5(j, r.floatTop5(), r.quantizedTop5());
        j.endObject();
        j.name("timing_ms").beginObject();
        j.name("build").value(r.timing().buildMillis());
        j.name("session").value(r.timing().sessionMillis());
        j.name("runs").value(r.timing().runMillis());
        j.endObject();
        return j.endObject().text() + "\n";
    }

    private static void metrics(JsonText j, Metrics m) {
        j.beginObject();
        j.name("cosine").value(m.cosine());
        j.name("euclidean").value(m.euclidean());
        j.name("eculidean_norm").value(m.eculidean_norm());
        j.name("cosine_norm").value(m.cosine_norm());
        j.endObject();
    }

    private static void top5(JsonText j, TopK floatTop5, TopK quantizedTop5) {
        j.name("top5");
        if (floatTop5 == null) {
            j.nullValue();
            return;
        }
        j.beginObject();
        top(j.name("float"), floatTop5);
        top(j.name("quantized"), quantizedTop5);
        j.endObject();
    }

    private static void top(JsonText j, TopK t) {
        j.beginArray();
        if (t != null) {
            for (TopK.Entry e : t.entries()) {
                j.beginArray().value(e.index()).value(e.score()).endArray();
            }
        }
        j.endArray();
    }

    /**
     * One graph output's {@code name}, {@code shape} (array), {@code cosine}, {@code euclidean} and
     * {@code max_abs_error} into {@code o}, as compare.json writes them ({@link #json} writes the same
     * members for analysis.json without Jackson; JsonTextTest holds the two equal).
     */
    public static ObjectNode outputJson(ObjectNode o, OutputMetrics m) {
        o.put("name", m.name());
        ArrayNode shape = o.putArray("shape");
        for (long d : m.shape()) {
            shape.add(d);
        }
        o.put("cosine", m.metrics().cosine());
        o.put("euclidean", m.metrics().euclidean());
        o.put("max_abs_error", m.maxAbsError());
        return o;
    }
}
