package dev.layerwise.core.calibration;

import dev.layerwise.core.onnx.GraphEdits;
import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.Parallel;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Streams calibration samples through the float model and accumulates per-tensor statistics; no
 * sample's tensors outlive its own step. Runs on the caller's thread.
 *
 * <p>Each quantization tensor's smallest and largest value are computed inside the graph
 * ({@code ReduceMin} / {@code ReduceMax}, exact operations), so a sample hands Java three numbers
 * per tensor instead of every activation: no copy of the activations, no Java scan over them, and
 * ONNX Runtime may reuse their memory. A {@code ReduceSum} per tensor flags NaN and infinities,
 * which the range leaves out; a sample with any of them has those tensors exposed in a second
 * session and scanned in Java, so the range is the same either way. A tensor that cannot hold NaN
 * unless the tensor it is computed from holds NaN or an infinity (a Softmax's output, say) has no
 * sum: it is scanned whenever that tensor is ({@link #nanOnlyFrom}). Histograms (KL, mmse) still
 * need the values, so then the tensors are exposed as well.
 *
 * <p>A layer that only rearranges its input (Transpose, Reshape and the like) outputs the same
 * values in another order, so its output's smallest, largest and non-finite values are its
 * input's: without histograms it gets no reductions of its own and takes its input's range. On
 * a segmenter whose large logits are transposed back to NHWC that saves a third of the
 * reductions' passes over memory. Where the model reads such a tensor on after a Transpose, the
 * reductions read that transposed copy rather than the source ({@link #readThrough}): ORT keeps
 * convolution outputs in a blocked layout of its own and writes only the layout the model's
 * consumers read, so reducing the source would make it write a second 1:1 copy in the source's
 * layout for the reductions alone (decision 0024). A Concat of quantization tensors likewise takes
 * the union of their ranges ({@link #unions}, decision 0031).
 */
public final class Calibrator {

    /** Float-to-float ops whose input ranking is the answer. */
    private static final Set<String> DECIDING_LAYERS = Set.of("Softmax", "LogSoftmax");
    /** Ops with integer outputs (not layers) that pick by value. */
    private static final Set<String> DECIDING_NODES = Set.of("ArgMax", "ArgMin", "TopK");

    private Calibrator() {
    }

    /** The float model with every quantization tensor as an extra output. */
    public static ModelProto withQuantTensorsExposed(LayerGraph graph) {
        return withRangeOutputs(graph, List.of(), computedTensors(graph));
    }

    /** The quantization tensors the graph computes (all but its inputs), in graph order. */
    private static List<String> computedTensors(LayerGraph graph) {
        Set<String> inputs = new HashSet<>();
        graph.inputs().forEach(in -> inputs.add(in.name()));
        return graph.quantTensors().stream().filter(t -> !inputs.contains(t)).toList();
    }

    /** Ops whose single output holds exactly their first input's values, rearranged. */
    private static final Set<String> REARRANGING = Set.of("Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity");

    /**
     * Quantization tensors whose values are another quantization tensor's rearranged, each mapped
     * to the tensor it ultimately rearranges (not itself a rearrangement).
     */
    static Map<String, String> rearrangements(LayerGraph graph) {
        Set<String> quant = new HashSet<>(graph.quantTensors());
        Map<String, String> of = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            if (REARRANGING.contains(l.op()) && l.nodes().size() == 1 && l.outputs().size() == 1 && !l.inputs().isEmpty()
                    && quant.contains(l.inputs().get(0))) {
                String source = l.inputs().get(0);
                of.put(l.outputs().get(0), of.getOrDefault(source, source));
            }
        }
        return of;
    }

    /**
     * For each source tensor whose values the model reads on after a Transpose, the rearranged
     * tensor its reductions read instead: the last one of its chain of rearrangements, which the
     * float model writes anyway. The smallest, largest and non-finite values are the same in any
     * order. Chains of views alone (Reshape, Flatten, …) share the source's memory and keep it; a
     * chain read by MatMul or Gemm does too, since ORT may fold a Transpose into those, and a
     * reduction reading the transposed tensor would then cost a copy of its own.
     */
    static Map<String, String> readThrough(LayerGraph graph, Map<String, String> rearranged) {
        Map<String, List<String>> consumers = new HashMap<>();
        for (NodeProto n : graph.model().proto().getGraph().getNodeList()) {
            for (String in : dev.layerwise.core.onnx.Subgraphs.reads(n)) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n.getOpType());
            }
        }
        Set<String> foldable = new HashSet<>();
        rearranged.forEach((r, source) -> {
            List<String> ops = consumers.getOrDefault(r, List.of());
            if (ops.contains("MatMul") || ops.contains("Gemm")) {
                foldable.add(source);
            }
        });
        Map<String, String> through = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            String out = l.outputs().isEmpty() ? null : l.outputs().get(0);
            String source = out == null ? null : rearranged.get(out);
            if (source == null || foldable.contains(source)) {
                continue;
            }
            // the chain's last tensor, in graph order, once a Transpose is on the way from the source
            String from = l.inputs().get(0);
            if (l.op().equals("Transpose") || through.get(source) != null && through.get(source).equals(from)) {
                through.put(source, out);
            }
        }
        return through;
    }

    /**
     * Ops that give a finite output for every finite input: exact or bounded functions of one input
     * (ORT's Softmax subtracts the row's largest value before the exponential; {@code
     * OrtFiniteOpsTest} pins that for extreme inputs). Their output can hold NaN or infinities only
     * where their input does. Slice outputs some of its input's values, copied. Conv, Gemm, Add,
     * AveragePool and most others can overflow on finite inputs, and an overflow can meet its
     * opposite (inf - inf is NaN), so they are not here; nor is MaxPool, whose padding is not a value
     * of the input.
     */
    private static final Set<String> FINITE_FROM_FINITE = Set.of("Softmax", "Sigmoid", "Tanh", "Relu", "Slice");

    /**
     * Quantization tensors that need no NaN test of their own, each mapped to the quantization
     * tensor it is computed from: the output of a layer that is one node from
     * {@link #FINITE_FROM_FINITE}. When that input is finite in a sample, so is the tensor; when it
     * is not, the tensor is scanned in Java with it. Min and max still run, so the range is the one
     * the sum-tested path gives.
     */
    static Map<String, String> nanOnlyFrom(LayerGraph graph) {
        Set<String> quant = new HashSet<>(graph.quantTensors());
        Map<String, String> from = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            if (FINITE_FROM_FINITE.contains(l.op()) && l.nodes().size() == 1 && l.inputs().size() == 1
                    && l.outputs().size() == 1 && quant.contains(l.inputs().get(0))) {
                from.put(l.outputs().get(0), l.inputs().get(0));
            }
        }
        return from;
    }

    /**
     * Quantization tensors that are a Concat of other quantization tensors, each mapped to those
     * inputs: the output holds exactly their values, so its smallest and largest value are theirs,
     * and it holds NaN or an infinity only where one of them does. Without histograms such a tensor
     * gets no reductions of its own and takes the union of its inputs' ranges (the sample's twelve
     * channel shuffles each start with one). Only a layer that is the Concat node alone (no fused
     * activation) and reads nothing but quantization tensors (a constant input has no range here).
     */
    static Map<String, List<String>> unions(LayerGraph graph) {
        Set<String> quant = new HashSet<>(graph.quantTensors());
        Map<String, List<String>> of = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            if (!l.op().equals("Concat") || l.nodes().size() != 1 || l.activation() != null || l.outputs().size() != 1
                    || !quant.contains(l.outputs().get(0))) {
                continue;
            }
            List<String> reads = graph.node(l.nodes().get(0)).getInputList();
            if (!reads.isEmpty() && quant.containsAll(reads)) {
                of.put(l.outputs().get(0), List.copyOf(reads));
            }
        }
        return of;
    }

    private static final String MIN = GraphEdits.STAT_MIN;
    private static final String MAX = GraphEdits.STAT_MAX;
    private static final String SUM = GraphEdits.STAT_SUM;

    static ModelProto withRangeOutputs(LayerGraph graph, List<String> computed, List<String> exposed) {
        return withRangeOutputs(graph, computed, Map.of(), Set.of(), exposed);
    }

    /**
     * The float model with, for every tensor in {@code computed}, its smallest and largest value and
     * its sum as scalar outputs named after it, and the tensors in {@code exposed} as outputs too.
     * A tensor in {@code readThrough} has its reductions read the tensor it maps to, flattened by a
     * Reshape: ORT moves a full reduction of a transposed tensor back onto the Transpose's input,
     * which would bring back the copy reading the transposed tensor is meant to avoid. The
     * reductions name no axes, so they reduce everything at any opset from 13 on. Tensors in
     * {@code noSum} get min and max only.
     */
    static ModelProto withRangeOutputs(LayerGraph graph, List<String> computed, Map<String, String> readThrough,
            Set<String> noSum, List<String> exposed) {
        ModelProto.Builder m = graph.model().proto().toBuilder();
        var g = m.getGraphBuilder();
        if (!readThrough.isEmpty()) {
            g.addInitializer(dev.layerwise.core.onnx.Tensors.longs(GraphEdits.STAT_FLAT_SHAPE, new long[] {1}, new long[] {-1}));
        }
        for (String t : computed) {
            String read = t;
            if (readThrough.containsKey(t)) {
                read = GraphEdits.STAT_FLAT + t;
                g.addNode(Nodes.node("Reshape", read, List.of(readThrough.get(t), GraphEdits.STAT_FLAT_SHAPE), List.of(read)));
            }
            for (String[] r : new String[][] {{"ReduceMin", MIN}, {"ReduceMax", MAX}, {"ReduceSum", SUM}}) {
                if (r[1].equals(SUM) && noSum.contains(t)) {
                    continue;
                }
                g.addNode(Nodes.node(r[0], r[1] + t, List.of(read), List.of(r[1] + t), Nodes.attr("keepdims", 0L)));
                g.addOutput(Nodes.output(r[1] + t));
            }
        }
        Set<String> have = new HashSet<>(graph.outputs());
        for (String t : exposed) {
            if (have.add(t)) {
                g.addOutput(Nodes.output(t));
            }
        }
        return m.build();
    }

    /**
     * Values in the largest computed tensor from which calibration runs each sample on its worker's
     * thread alone (decision 0029): measured CPU per image fell by an eighth to a fifth for the
     * ResNet18-shaped model (largest tensor 0.8 M values), the 640x640 detector (1.6 M) and the
     * 896x512 segmenter (9.6 M), and not at all for ShuffleNet (0.3 M), whose operators ORT hardly
     * splits.
     */
    private static final long OWN_THREAD_MIN_VALUES = 1 << 19;

    /**
     * Whether min/max calibration of {@code samples} samples runs each one's operators on its
     * worker's thread alone rather than on the shared intra-op pool: with a sample per core, and
     * tensors large enough for ORT to split operators.
     */
    static boolean runsOnWorkerThreadsAlone(LayerGraph graph, int samples) {
        int workers = Parallel.THREADS;
        return samples >= workers && largestValues(graph, computedTensors(graph)) >= OWN_THREAD_MIN_VALUES;
    }

    /** Values in the largest of {@code tensors} whose shape the probe knows. */
    private static long largestValues(LayerGraph graph, List<String> tensors) {
        long largest = 0;
        for (String t : tensors) {
            long[] shape = graph.shapeOf(t);
            if (shape != null && java.util.Arrays.stream(shape).allMatch(d -> d >= 0)) {
                largest = Math.max(largest, FloatTensor.elementCount(shape));
            }
        }
        return largest;
    }

    /** The range spanning the ranges of {@code tensors}, all finite and with +0 for a zero end. */
    private static float[] unionOf(List<String> tensors, Map<String, float[]> ranges) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (String t : tensors) {
            float[] r = ranges.get(t);
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        return new float[] {lo, hi};
    }

    /**
     * Whether the reduced tensor {@code t} held only finite values in a sample: its min and max are
     * finite, and so is its sum or, for a tensor without a sum, {@code nanFrom}, the tensor it is
     * computed from ({@link #nanOnlyFrom}), was not found {@code suspect} in this sample.
     */
    private static boolean finiteInSample(String t, Map<String, Float> stats, String nanFrom, Set<String> suspect) {
        if (!Float.isFinite(stats.get(MIN + t)) || !Float.isFinite(stats.get(MAX + t))) {
            return false;
        }
        return nanFrom == null ? Float.isFinite(stats.get(SUM + t)) : !suspect.contains(nanFrom);
    }

    /** Smallest and largest finite value; NaN and infinities say nothing about a usable range. */
    private static float[] minMax(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            if (x < lo && x != Float.NEGATIVE_INFINITY) {
                lo = x;
            }
            if (x > hi && x != Float.POSITIVE_INFINITY) {
                hi = x;
            }
        }
        return lo > hi ? new float[] {0f, 0f} : positiveZeros(lo, hi);
    }

    /**
     * {@link #minMax} in one pass of {@code Math.min} and {@code Math.max}, which C2 compiles to
     * branch-free vector instructions, for the common case of every value finite; {@code null}
     * when some value is NaN or infinite (Math.min and Math.max keep a NaN, and an infinity becomes
     * an end). On finite values min and max are exact and either zero comes out as +0, so the
     * range is {@link #minMax}'s.
     */
    private static float[] finiteMinMax(float[] v) {
        // in chunks handed to a small method, for the JIT's sake (FloatTensor.CHUNK)
        float[] range = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int from = 0; from < v.length; from += FloatTensor.CHUNK) {
            FloatTensor.spread(v, from, Math.min(v.length, from + FloatTensor.CHUNK), range);
        }
        float lo = range[0];
        float hi = range[1];
        return Float.isFinite(lo) && Float.isFinite(hi) ? positiveZeros(lo, hi) : null;
    }

    /**
     * A range whose zero ends are +0: which zero a scan meets first, or which one ORT's reduction
     * keeps, is an accident of order, and -0 would only show up in a written cfg.
     */
    private static float[] positiveZeros(float lo, float hi) {
        return new float[] {lo == 0f ? 0f : lo, hi == 0f ? 0f : hi};
    }

    /**
     * Calibrates.
     *
     * @throws CalibrationException when a sample cannot be loaded or run (names the sample), or
     *     there are no samples
     */
    public static Calibration calibrate(LayerGraph graph, SampleSource samples, CalibrationAlgorithm algorithm,
            dev.layerwise.core.quant.QuantType type, int mmseEpochs,
            ProgressListener progress) throws CalibrationException, CancelledException {
        return calibrate(graph, samples, algorithm, type, mmseEpochs, false, progress);
    }

    /**
     * As above; with {@code keepHistograms} every tensor's histogram is kept in the result (for
     * drawing) even when the algorithm does not need them. They cost about a third more time.
     */
    public static Calibration calibrate(LayerGraph graph, SampleSource samples, CalibrationAlgorithm algorithm,
            dev.layerwise.core.quant.QuantType type, int mmseEpochs, boolean keepHistograms,
            ProgressListener progress) throws CalibrationException, CancelledException {
        return calibrate(graph, samples, algorithm, type, mmseEpochs, keepHistograms, null, progress);
    }

    /**
     * As above, running on the session {@code kept} holds when it is of the kind this calibration
     * needs, and leaving this calibration's session there when it ends cleanly (for the next
     * calibration of the same graph); {@code null} creates a session and closes it.
     */
    public static Calibration calibrate(LayerGraph graph, SampleSource samples, CalibrationAlgorithm algorithm,
            dev.layerwise.core.quant.QuantType type, int mmseEpochs, boolean keepHistograms, KeptSession kept,
            ProgressListener progress) throws CalibrationException, CancelledException {
        long t0 = System.nanoTime();
        if (samples.size() == 0) {
            throw new CalibrationException("no calibration samples: the dataset is empty");
        }
        boolean needHistograms = keepHistograms || algorithm != CalibrationAlgorithm.NORMAL;
        List<String> tensors = graph.quantTensors();
        Map<String, float[]> minMax = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        String label = graph.model().label();
        Set<String> inputNames = new HashSet<>();
        graph.inputs().forEach(in -> inputNames.add(in.name()));
        List<String> computed = computedTensors(graph);
        // a histogram needs the values themselves; min, max and the non-finite test do not
        Map<String, String> sameRange = needHistograms ? Map.of() : rearrangements(graph);
        Map<String, List<String>> union = needHistograms ? Map.of() : unions(graph);
        List<String> reduced = computed.stream().filter(t -> !sameRange.containsKey(t) && !union.containsKey(t)).toList();
        Map<String, String> nanFrom = nanOnlyFrom(graph);
        // Min/max alone: one sample per core is loaded and run at once (ORT runs a session from
        // several threads), and this thread merges the samples' ranges in sample order, so the result
        // is the serial loop's. With histograms, whose bins adapt to what they have seen, ORT runs
        // one sample at a time on this thread, the next one being loaded meanwhile.
        boolean runInWorkers = !needHistograms;
        int workers = runInWorkers ? Parallel.THREADS : 1;
        java.util.concurrent.atomic.AtomicInteger threadNames = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "layerwise-calibration-" + threadNames.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        OnnxSession exposedSession = null;
        List<OnnxSession.Pinned> pinned = new ArrayList<>();
        // A worker runs its sample's every operator itself: the workers already keep one core each
        // busy, and sharing the intra-op pool between their runs cost CPU where ORT splits operators
        // (decision 0029). A model of small tensors only (ShuffleNet: none above 0.3 M values) saved
        // nothing that way, and with fewer samples than workers a core would be idle: the pool stays.
        boolean ownThreads = runInWorkers && runsOnWorkerThreadsAlone(graph, samples.size());
        KeptSession.Kind kind = new KeptSession.Kind(needHistograms, ownThreads);
        OnnxSession session = kept == null ? null : kept.take(kind);
        boolean ended = false;
        try {
            if (session == null) {
                // only reduced tensors read through: a Concat's source, say, has no reductions left to move
                Map<String, String> through = new LinkedHashMap<>(readThrough(graph, sameRange));
                through.keySet().retainAll(reduced);
                ModelProto model = withRangeOutputs(graph, reduced, through, nanFrom.keySet(),
                        needHistograms ? computed : List.of());
                session = ownThreads ? OnnxSession.createOnCallingThread(model, label) : OnnxSession.create(model, label);
            }
            // the scalar reductions the model computes, as it names them: which tensors have a sum is decided there
            List<String> statNames = session.outputNames().stream()
                    .filter(n -> n.startsWith(MIN) || n.startsWith(MAX) || n.startsWith(SUM)).toList();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            statNames.forEach(n -> shapes.put(n, new long[0]));
            for (String t : computed) {
                if (needHistograms) {
                    shapes.put(t, graph.shapeOf(t));
                }
            }
            OnnxSession running = session;
            // the workers stop before the session closes or is kept: closing it under a run frees what
            // ORT still reads (a cancelled calibration crashed the JVM in AppStopTest), so this finally
            // comes first, the session's close after it
            try {
                BlockingQueue<OnnxSession.Pinned> free = new ArrayBlockingQueue<>(workers);
                for (int w = 0; w < workers; w++) {
                    OnnxSession.Pinned p = running.pin(shapes);
                    pinned.add(p);
                    free.add(p);
                }
                Map<String, float[]> scratch = new LinkedHashMap<>();
                Deque<Future<Loaded>> ahead = new ArrayDeque<>();
                int submitted = 0;
                for (int i = 0; i < samples.size(); i++) {
                    // samples i .. i + workers are on their way while this one is merged
                    for (; submitted < samples.size() && submitted <= i + workers; submitted++) {
                        int k = submitted;
                        ahead.add(pool.submit(() -> load(samples, k, runInWorkers ? running : null, free, statNames)));
                    }
                    progress.checkCancelled();
                    progress.progress("calibrating", i, samples.size());
                    Loaded sample = await(ahead.poll());
                    sample.warnings().forEach(samples::warn);
                    if (sample.failure() != null) {
                        throw asCalibrationFailure(sample.failure());
                    }
                    Map<String, FloatTensor> feeds = sample.feeds();
                    Map<String, float[]> values = new HashMap<>();
                    Map<String, Float> stats = sample.stats();
                    if (stats == null) {
                        OnnxSession.Pinned outs = pinned.get(0);
                        try {
                            running.run(feeds, outs);
                        } catch (Exception e) {
                            throw new CalibrationException(samples.describe(i) + ": " + e.getMessage(), e);
                        }
                        stats = statsOf(outs, statNames);
                        for (String t : reduced) {
                            float[] v = scratch.computeIfAbsent(t, k -> new float[outs.buffer(k).capacity()]);
                            outs.copyTo(t, v);
                            values.put(t, v);
                        }
                    }
                    // the tensors of this sample that may hold NaN or infinities: inputs found so here, computed
                    // ones to scan in Java and the rearrangements of either; in graph order, so a tensor's input
                    // is decided first
                    Set<String> suspect = new HashSet<>();
                    List<String> nonFinite = new ArrayList<>();
                    Map<String, float[]> inputRanges = new HashMap<>();
                    for (String t : tensors) {
                        if (inputNames.contains(t)) {
                            float[] v = feeds.get(t).data();
                            values.put(t, v);
                            float[] range = finiteMinMax(v);
                            if (range == null) {
                                suspect.add(t);
                                range = minMax(v);
                            }
                            inputRanges.put(t, range);
                        } else if (union.containsKey(t)) {
                            // not finite when any of its inputs is not: then scanned like them, which also
                            // leaves out an input with no finite value at all as the union could not
                            if (union.get(t).stream().anyMatch(suspect::contains)) {
                                nonFinite.add(t);
                                suspect.add(t);
                            }
                        } else if (sameRange.containsKey(t)) {
                            // the same values as its source, decided before it: scanned (or not) with that source
                            if (suspect.contains(sameRange.get(t))) {
                                suspect.add(t);
                            }
                        } else if (!finiteInSample(t, stats, nanFrom.get(t), suspect)) {
                            nonFinite.add(t);
                            suspect.add(t);
                        }
                    }
                    if (!nonFinite.isEmpty() && !needHistograms) {
                        // rare: NaN or infinities somewhere; scan those tensors in Java as the range ignores them
                        if (exposedSession == null) {
                            exposedSession = OnnxSession.create(withRangeOutputs(graph, List.of(), computed), label);
                        }
                        try {
                            exposedSession.run(feeds, nonFinite).forEach((k, v) -> values.put(k, v.data()));
                        } catch (Exception e) {
                            throw new CalibrationException(samples.describe(i) + ": " + e.getMessage(), e);
                        }
                    }
                    Map<String, float[]> sampleRanges = new HashMap<>();
                    for (String t : tensors) {
                        float[] v = values.get(t);
                        String source = sameRange.get(t);
                        float[] mm = source != null ? sampleRanges.get(source)
                                : inputRanges.containsKey(t) ? inputRanges.get(t)
                                : v != null && nonFinite.contains(t) ? minMax(v)
                                : union.containsKey(t) ? unionOf(union.get(t), sampleRanges)
                                : positiveZeros(stats.get(MIN + t), stats.get(MAX + t));
                        sampleRanges.put(t, mm);
                        minMax.merge(t, mm, (a, b) -> new float[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                        if (needHistograms) {
                            histograms.computeIfAbsent(t, k -> new Histogram()).add(v);
                        }
                    }
                }
                progress.progress("calibrating", samples.size(), samples.size());
                ended = true;
            } finally {
                stopAndWait(pool);
            }
        } catch (dev.layerwise.core.runtime.InferenceException e) {
            throw new CalibrationException(e.getMessage(), e);
        } catch (ModelLoadException e) {
            throw new CalibrationException(e.getMessage(), e);
        } finally {
            // no worker may still be inside ORT or reading a buffer when they are closed
            stopAndWait(pool);
            pinned.forEach(OnnxSession.Pinned::close);
            if (exposedSession != null) {
                exposedSession.close();
            }
            if (session != null && ended && kept != null) {
                kept.give(kind, session);
            } else if (session != null) {
                session.close();
            }
        }
        Set<String> decisive = decisionTensors(graph);
        Map<String, TensorRange> observed = new LinkedHashMap<>();
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : minMax.entrySet()) {
            TensorRange minMaxRange = TensorRange.of(e.getValue());
            observed.put(e.getKey(), minMaxRange);
            ranges.put(e.getKey(), decisive.contains(e.getKey()) ? minMaxRange : switch (algorithm) {
                case NORMAL -> minMaxRange;
                case KL_DIVERGENCE -> RangeSearch.klDivergence(histograms.get(e.getKey()), minMaxRange, type);
                case MMSE -> RangeSearch.mmse(histograms.get(e.getKey()), minMaxRange, type, mmseEpochs);
            });
        }
        decisive.retainAll(ranges.keySet());
        return new Calibration(algorithm, ranges, histograms, samples.size(), (System.nanoTime() - t0) / 1_000_000, observed,
                decisive);
    }

    /**
     * A sample as a worker left it: its feeds, its reductions' values when the worker has also run
     * it, the warnings its loading raised (held back to be passed on in sample order) and the
     * failure that stopped it, if any.
     */
    private record Loaded(Map<String, FloatTensor> feeds, Map<String, Float> stats, List<String> warnings, Exception failure) {
    }

    /** Loads sample {@code k}, and runs it too when given a {@code session}; a failure is kept, not thrown. */
    private static Loaded load(SampleSource samples, int k, OnnxSession session, BlockingQueue<OnnxSession.Pinned> free,
            List<String> statNames) throws InterruptedException {
        List<String> warnings = new ArrayList<>();
        try {
            Map<String, FloatTensor> feeds = samples.load(k, warnings::add);
            return new Loaded(feeds, session == null ? null : runForStats(session, free, feeds, statNames, samples, k), warnings,
                    null);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return new Loaded(null, null, warnings, e);
        }
    }

    /** Runs one sample on a free set of output buffers and returns the scalar reductions. */
    private static Map<String, Float> runForStats(OnnxSession session, BlockingQueue<OnnxSession.Pinned> free,
            Map<String, FloatTensor> feeds, List<String> statNames, SampleSource samples, int index)
            throws CalibrationException, InterruptedException {
        OnnxSession.Pinned outs = free.take();
        try {
            session.run(feeds, outs);
            return statsOf(outs, statNames);
        } catch (dev.layerwise.core.runtime.InferenceException e) {
            throw new CalibrationException(samples.describe(index) + ": " + e.getMessage(), e);
        } finally {
            free.add(outs);
        }
    }

    /** The scalar min, max and sum outputs named {@code statNames}, by name. */
    private static Map<String, Float> statsOf(OnnxSession.Pinned outs, List<String> statNames) {
        Map<String, Float> stats = new HashMap<>();
        for (String n : statNames) {
            stats.put(n, outs.buffer(n).get(0));
        }
        return stats;
    }

    /** The next sample, or the failure that stopped its loading or run. */
    private static Loaded await(Future<Loaded> next) throws CalibrationException, CancelledException {
        try {
            return next.get();
        } catch (ExecutionException e) {
            throw asCalibrationFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
    }

    /** A sample's failure as calibration's: one naming the sample already is, any other keeps its message. */
    private static CalibrationException asCalibrationFailure(Throwable cause) {
        return cause instanceof CalibrationException c ? c : new CalibrationException(cause.getMessage(), cause);
    }

    /** Drops samples not yet started and waits for the running ones (an ORT run cannot be interrupted). */
    private static void stopAndWait(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Tensors whose largest values are the network's answer, so no algorithm may clip them
     * (decision 0007): graph outputs, inputs of Softmax / LogSoftmax layers and of ArgMax /
     * ArgMin / TopK nodes, and, through value-preserving layers (which reuse their input's
     * parameters), the tensors those are read from.
     */
    public static Set<String> decisionTensors(LayerGraph graph) {
        Deque<String> work = new ArrayDeque<>();
        for (String o : graph.outputs()) {
            work.add(o);
        }
        for (Layer l : graph.layers()) {
            if (DECIDING_LAYERS.contains(l.op()) && !l.inputs().isEmpty()) {
                work.add(l.inputs().get(0));
            }
        }
        for (NodeProto n : graph.nonLayerNodes()) {
            if (DECIDING_NODES.contains(n.getOpType()) && n.getInputCount() > 0) {
                work.add(n.getInput(0));
            }
        }
        Set<String> out = new LinkedHashSet<>();
        while (!work.isEmpty()) {
            String t = work.pop();
            if (!out.add(t)) {
                continue;
            }
            Layer p = graph.producer(t);
            if (p != null && p.valuePreserving() && !p.inputs().isEmpty()) {
                work.add(p.inputs().get(0));
            }
        }
        return out;
    }
}
