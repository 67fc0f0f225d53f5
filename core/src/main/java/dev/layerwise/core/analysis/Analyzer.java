package dev.layerwise.core.analysis;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.InferenceException;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.Parallel;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entire and individual accuracy analysis: the one analysis graph of {@link QuantGraphBuilder#analysis}
 * (decision 0001), run as a float session ({@link FloatLayers}) and the quantized network in parts
 * that read the float outputs in place (decision 0025), each part holding the graph's own nodes, so
 * every number is the one graph's. Sessions are created and run on the caller's thread and, beside
 * it, one thread per further core; after each run the layers' metrics are computed on one thread
 * per core ({@link Parallel}), each layer's on one thread in the serial order, so the numbers do
 * not depend on the split.
 */
public final class Analyzer {

    /** Receives the raw tensors of one analysed input, e.g. to dump them as {@code .npy}. */
    public interface TensorSink {
        void accept(int input, Map<String, FloatTensor> outputs) throws Exception;
    }

    private Analyzer() {
    }

    /**
     * Analyses {@code plan} on the given inputs, with a float network of its own (closed on return).
     *
     * @param sink receives every input's outputs, or {@code null}
     * @throws ModelLoadException when ORT refuses the analysis graph
     * @throws InferenceException when a run fails
     */
    public static AnalysisResult analyze(LayerGraph graph, QuantPlan plan, CalibrationAlgorithm algorithm, SampleSource inputs,
            Labels labels, TensorSink sink, ProgressListener progress) throws Exception {
        try (FloatLayers floats = new FloatLayers(graph)) {
            return analyze(graph, floats, plan, algorithm, inputs, labels, sink, progress);
        }
    }

    /**
     * Analyses {@code plan} on the given inputs. The analysis graph runs as several sessions: its
     * float network ({@code floats}, shared by every plan) and its quantized network in one part
     * per core ({@link QuantGraphBuilder#analysisParts}), created on one thread each because ORT
     * spends a session's creation on the creating thread. Per input the float network runs first,
     * then the parts, reading its outputs in place.
     *
     * @param floats the float network of {@code graph}; its session is created here if nobody did
     * @param sink receives every input's outputs, or {@code null}
     * @throws ModelLoadException when ORT refuses the analysis graph
     * @throws InferenceException when a run fails
     */
    public static AnalysisResult analyze(LayerGraph graph, FloatLayers floats, QuantPlan plan, CalibrationAlgorithm algorithm,
            SampleSource inputs, Labels labels, TensorSink sink, ProgressListener progress) throws Exception {
        if (inputs.size() == 0) {
            throw new IllegalArgumentException("no input to analyse");
        }
        long t0 = System.nanoTime();
        List<ModelProto> models = QuantGraphBuilder.analysisParts(graph, plan, floats.shapes(), Parallel.THREADS);
        long t1 = System.nanoTime();
        String label = graph.model().label();
        List<Layer> layers = graph.layers();
        int n = layers.size();
        List<List<Metrics>> individual = new ArrayList<>();
        List<List<Metrics>> entire = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            individual.add(new ArrayList<>());
            entire.add(new ArrayList<>());
        }
        OutputComparison finals = new OutputComparison(graph.finalOutputShapes(), labels);
        List<String> described = new ArrayList<>();
        long t2;
        Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        for (Layer l : layers) {
            boolean quantized = plan.typeOf(l.name()).isQuantized();
            for (String o : l.outputs()) {
                long[] shape = graph.shapeOf(o);
                shapes.put(o, shape);
                shapes.put(o + QuantGraphBuilder.ENTIRE, shape);
                if (quantized) {
                    shapes.put(o + QuantGraphBuilder.INDIVIDUAL, shape);
                }
            }
        }
        // the largest layers first, so the last items the threads take are short ones
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            for (String o : layers.get(i).outputs()) {
                sizes[i] += FloatTensor.elementCount(shapes.get(o));
            }
        }
        int[] bySize = java.util.stream.IntStream.range(0, n).boxed()
                .sorted((x, y) -> Long.compare(sizes[y], sizes[x])).mapToInt(Integer::intValue).toArray();
        int count = models.size();
        OnnxSession[] parts = new OnnxSession[count];
        OnnxSession.Pinned[] partOut = new OnnxSession.Pinned[count];
        OnnxSession.Pinned[] floatOuts = new OnnxSession.Pinned[1];
        try {
            // each item makes a session and takes the native buffers of its outputs (kept from the last
            // analysis of this graph, else new: ~35 ms of zeroed memory and page faults for the sample's
            // three copies of every layer output, shared by the two threads). The float network is one more
            // item, its session made only at its graph's first analysis: last, as it is the smallest,
            // and never a third creation at once (each holds a copy of its model while ORT parses it:
            // three at once raised the peak RSS by 8-15 %)
            Parallel.forEach(count + 1, Parallel.THREADS, k -> {
                if (k == count) {
                    floatOuts[0] = floats.buffers().take(floats.session(), floats.shapes());
                    return;
                }
                parts[k] = OnnxSession.create(models.get(k), label + " (analysis graph, part " + (k + 1) + " of " + count + ")",
                        ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                Map<String, long[]> own = new java.util.LinkedHashMap<>();
                for (String o : parts[k].outputNames()) {
                    own.put(o, shapes.get(o));
                }
                partOut[k] = floats.buffers().take(parts[k], own);
            });
            OnnxSession floatSession = floats.session();
            OnnxSession.Pinned floatOut = floatOuts[0];
            t2 = System.nanoTime();
            List<OnnxSession.Pinned> all = new ArrayList<>(List.of(partOut));
            all.add(floatOut);
            Outputs out = new Outputs(all);
            for (int s = 0; s < inputs.size(); s++) {
                progress.checkCancelled();
                progress.progress("analysing", s, inputs.size());
                Map<String, FloatTensor> feeds = inputs.load(s);
                described.add(inputs.describe(s));
                floatSession.run(feeds, null, floatOut);
                OnnxSession.Pinned upstream = floatOut;
                Parallel.forEach(count, Parallel.THREADS, k -> parts[k].run(feeds, upstream, partOut[k]));
                // every layer's sums run whole on one thread, in the serial order: results are
                // bit-identical to a serial loop; the final outputs' comparison is one more item
                Metrics[] ind = new Metrics[n];
                Metrics[] ent = new Metrics[n];
                Parallel.forEach(n + 1, Parallel.THREADS, k -> {
                    if (k == n) {
                        finals.add(o -> out.copy(o).data(), o -> out.copy(o + QuantGraphBuilder.ENTIRE).data());
                        return;
                    }
                    int i = bySize[k];
                    Layer l = layers.get(i);
                    boolean quantized = plan.typeOf(l.name()).isQuantized();
                    Metrics.Accumulator ia = new Metrics.Accumulator();
                    Metrics.Accumulator ea = new Metrics.Accumulator();
                    for (String o : l.outputs()) {
                        java.nio.FloatBuffer f = out.buffer(o);
                        Metrics.Accumulator.addBoth(f, out.buffer(o + QuantGraphBuilder.ENTIRE), ea,
                                quantized ? out.buffer(o + QuantGraphBuilder.INDIVIDUAL) : f, ia);
                    }
                    ind[i] = ia.result();
                    ent[i] = ea.result();
                });
                for (int i = 0; i < n; i++) {
                    individual.get(i).add(ind[i]);
                    entire.get(i).add(ent[i]);
                }
                if (sink != null) {
                    Map<String, FloatTensor> copies = new java.util.LinkedHashMap<>();
                    for (String name : shapes.keySet()) {
                        copies.put(name, out.copy(name));
                    }
                    sink.accept(s, copies);
                }
            }
            progress.progress("analysing", inputs.size(), inputs.size());
        } finally {
            for (int k = 0; k < count; k++) {
                floats.buffers().giveBack(partOut[k]);
                if (parts[k] != null) {
                    parts[k].close();
                }
            }
            floats.buffers().giveBack(floatOuts[0]);
        }
        long t3 = System.nanoTime();
        List<LayerReport> reports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            QuantType t = plan.typeOf(l.name());
            reports.add(new LayerReport(l.index(), l.name(), l.op(), l.activation(), l.output(), l.shapeText(), t,
                    Metrics.mean(individual.get(i)), Metrics.mean(entire.get(i))));
        }
        String name = graph.model().fileLabel();
        return new AnalysisResult(name, plan.defaultType(), algorithm, described, reports, finals.result(),
                new AnalysisResult.Timing((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000));
    }

    /** The sessions' pinned outputs, looked up by tensor name. */
    private static final class Outputs {
        private final Map<String, OnnxSession.Pinned> owner = new java.util.HashMap<>();

        Outputs(List<OnnxSession.Pinned> pinned) {
            for (OnnxSession.Pinned p : pinned) {
                p.names().forEach(name -> owner.put(name, p));
            }
        }

        java.nio.FloatBuffer buffer(String name) {
            return owner.get(name).buffer(name);
        }

        FloatTensor copy(String name) {
            return owner.get(name).copy(name);
        }
    }
}
