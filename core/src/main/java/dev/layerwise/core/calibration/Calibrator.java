package dev.layerwise.core.calibration;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.Nodes;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.CancelledException;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams calibration samples through the float model with every quantization tensor exposed and
 * accumulates per-tensor statistics; no sample's tensors outlive its own step. Runs on the
 * caller's thread.
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
        ModelProto.Builder m = graph.model().proto().toBuilder();
        Set<String> have = new HashSet<>(graph.outputs());
        for (String t : graph.quantTensors()) {
            if (have.add(t) && graph.inputs().stream().noneMatch(i -> i.name().equals(t))) {
                m.getGraphBuilder().addOutput(Nodes.output(t));
            }
        }
        return m.build();
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
        return lo > hi ? new float[] {0f, 0f} : new float[] {lo, hi};
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
        long t0 = System.nanoTime();
        if (samples.size() == 0) {
            throw new CalibrationException("no calibration samples: the dataset is empty");
        }
        boolean needHistograms = keepHistograms || algorithm != CalibrationAlgorithm.NORMAL;
        List<String> tensors = graph.quantTensors();
        Map<String, float[]> minMax = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        String label = graph.model().label();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Set<String> inputNames = new HashSet<>();
        graph.inputs().forEach(in -> inputNames.add(in.name()));
        for (String t : tensors) {
            if (!inputNames.contains(t)) {
                shapes.put(t, graph.shapeOf(t));
            }
        }
        Map<String, float[]> scratch = new LinkedHashMap<>();
        // the next sample is decoded on another thread while ORT runs this one
        java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "layerwise-sample-loader");
            t.setDaemon(true);
            return t;
        });
        try (OnnxSession session = OnnxSession.create(withQuantTensorsExposed(graph).toByteArray(), label);
             OnnxSession.Pinned outs = session.pin(shapes)) {
            java.util.concurrent.Future<Map<String, FloatTensor>> next = loader.submit(() -> samples.load(0));
            for (int i = 0; i < samples.size(); i++) {
                progress.checkCancelled();
                progress.progress("calibrating", i, samples.size());
                Map<String, FloatTensor> feeds;
                try {
                    feeds = next.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw new CalibrationException(cause.getMessage(), cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException();
                }
                if (i + 1 < samples.size()) {
                    int k = i + 1;
                    next = loader.submit(() -> samples.load(k));
                }
                try {
                    session.run(feeds, outs);
                } catch (Exception e) {
                    throw new CalibrationException(samples.describe(i) + ": " + e.getMessage(), e);
                }
                for (String t : tensors) {
                    float[] v;
                    if (inputNames.contains(t)) {
                        v = feeds.get(t).data();
                    } else {
                        v = scratch.computeIfAbsent(t, k -> new float[outs.buffer(k).capacity()]);
                        outs.copyTo(t, v);
                    }
                    float[] mm = minMax(v);
                    minMax.merge(t, mm, (a, b) -> new float[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
                    if (needHistograms) {
                        histograms.computeIfAbsent(t, k -> new Histogram()).add(v);
                    }
                }
            }
            progress.progress("calibrating", samples.size(), samples.size());
        } catch (dev.layerwise.core.runtime.InferenceException e) {
            throw new CalibrationException(e.getMessage(), e);
        } catch (ModelLoadException e) {
            throw new CalibrationException(e.getMessage(), e);
        } finally {
            loader.shutdownNow();
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
