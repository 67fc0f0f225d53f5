package dev.layerwise.core.compare;

import dev.layerwise.core.analysis.OutputComparison;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Float, normal and any number of named hybrid models over many inputs (a whole dataset), one
 * input at a time: each input is loaded once and run through every model, its outputs are folded
 * into the running metrics and dropped, so memory stays flat however many inputs there are (a
 * detector's outputs on hundreds of images would not fit). The float and normal models share one
 * session (the graph {@link Comparer} merges); each hybrid has its own.
 *
 * <p>The work is done in steps ({@link #advance}) so that a caller can interleave other work on
 * the same thread and show progress; {@link #result()} is valid after any step. Holds ORT sessions
 * until {@link #close()}. Not thread-safe: one thread at a time (the engine's worker).
 */
public final class DatasetComparer implements AutoCloseable {

    private final SampleSource inputs;
    private final List<String> outs;
    private final List<String> mergedOutputs;
    private final OnnxSession reference;
    private final Map<String, OnnxSession> hybrids = new LinkedHashMap<>();
    private final List<String> promoted;
    private final OutputComparison floats;
    private final OutputComparison normals;
    private final Map<String, OutputComparison> hybridResults = new LinkedHashMap<>();
    private final List<String> described = new ArrayList<>();
    private int done;
    private long nanos;

    private DatasetComparer(LayerGraph graph, QuantPlan normal, Map<String, QuantPlan> plans, SampleSource inputs,
            Labels labels) throws Exception {
        long t0 = System.nanoTime();
        this.inputs = inputs;
        this.outs = graph.finalOutputs();
        this.mergedOutputs = Comparer.withNormalOutputs(outs);
        Map<String, long[]> shapes = graph.finalOutputShapes();
        this.floats = new OutputComparison(shapes, labels);
        this.normals = new OutputComparison(shapes, labels);
        this.promoted = plans.isEmpty() ? List.of() : plans.values().iterator().next().promotedLayers();
        this.reference = OnnxSession.create(Comparer.merge(graph, QuantGraphBuilder.fakeQuantizedForSession(graph, normal), outs),
                graph.model().label() + " (comparison graph)");
        try {
            for (Map.Entry<String, QuantPlan> p : plans.entrySet()) {
                hybrids.put(p.getKey(), OnnxSession.create(QuantGraphBuilder.fakeQuantizedForSession(graph, p.getValue()),
                        graph.model().label() + " (" + p.getKey() + ")"));
                hybridResults.put(p.getKey(), new OutputComparison(shapes, labels));
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        nanos = System.nanoTime() - t0;
    }

    /**
     * Builds every model and opens its session (the longest single step for large models).
     *
     * @param plans the hybrids to compare, by the name their result carries, in column order; the
     *     first one's promoted layers are the comparison's {@link Comparison#promoted()}
     * @throws IllegalArgumentException when {@code inputs} is empty
     */
    public static DatasetComparer open(LayerGraph graph, QuantPlan normal, Map<String, QuantPlan> plans, SampleSource inputs,
            Labels labels) throws Exception {
        if (inputs.size() == 0) {
            throw new IllegalArgumentException("no input to compare on");
        }
        return new DatasetComparer(graph, normal, new LinkedHashMap<>(plans), inputs, labels);
    }

    /** The number of inputs in all. */
    public int size() {
        return inputs.size();
    }

    /** The number of inputs compared so far. */
    public int done() {
        return done;
    }

    public boolean finished() {
        return done == inputs.size();
    }

    /**
     * Compares the next {@code count} inputs (fewer at the end), reporting {@code comparing done/size}
     * and checking for cancellation before each.
     */
    public void advance(int count, ProgressListener progress) throws Exception {
        long t0 = System.nanoTime();
        try {
            for (int k = 0; k < count && done < inputs.size(); k++) {
                progress.checkCancelled();
                progress.progress("comparing", done, inputs.size());
                Map<String, FloatTensor> feeds = inputs.load(done);
                Map<String, FloatTensor> r = reference.run(feeds, mergedOutputs);
                Map<String, float[]> f = Comparer.floatOutputs(r, outs);
                Map<String, float[]> n = Comparer.normalOutputs(r, outs);
                Map<String, Map<String, FloatTensor>> h = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxSession> s : hybrids.entrySet()) {
                    progress.checkCancelled();
                    h.put(s.getKey(), s.getValue().run(feeds, outs));
                }
                // every model has run on this input: only now does it count, so a cancel never leaves it half counted
                floats.add(f::get, f::get);
                normals.add(f::get, n::get);
                h.forEach((name, out) -> hybridResults.get(name).add(f::get, o -> out.get(o).data()));
                described.add(inputs.describe(done));
                done++;
            }
            progress.progress("comparing", done, inputs.size());
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }

    /** Compares every input not yet compared. */
    public Comparison advanceAll(ProgressListener progress) throws Exception {
        advance(inputs.size() - done, progress);
        return result();
    }

    /**
     * Float, normal, then each hybrid by its name, over the inputs compared so far (at least one
     * must have been); {@link Comparison#millis()} counts session creation and every step.
     */
    public Comparison result() {
        if (done == 0) {
            throw new IllegalStateException("no input compared yet");
        }
        List<ModelResult> models = new ArrayList<>();
        models.add(Comparer.result(Comparison.FLOAT, floats));
        models.add(Comparer.result(Comparison.NORMAL, normals));
        hybridResults.forEach((name, c) -> models.add(Comparer.result(name, c)));
        return new Comparison(described, models, promoted, nanos / 1_000_000);
    }

    @Override
    public void close() {
        if (reference != null) {
            reference.close();
        }
        hybrids.values().forEach(OnnxSession::close);
    }
}
