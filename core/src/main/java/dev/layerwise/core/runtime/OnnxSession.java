package dev.layerwise.core.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX Runtime session on an in-memory model. Runs may come from any thread, several at once
 * (ORT runs a session concurrently; calibration relies on it), each with its own outputs;
 * {@link #close()} must not race with a run.
 *
 * <p>Every session but those of {@link #createOnCallingThread} shares one process-wide intra-op
 * thread pool (one thread per core) whose threads sleep rather than spin between operators.
 * Spinning threads buy a little latency on an idle machine but, on a shared one, burn the time
 * slices the next operator needs (an analysis run took 5x longer under load); per-session pools
 * also cost their start-up on every session, and the engine creates several per analysis and one
 * per hybrid rebuild. The thread count is what it was with per-session pools, so results are
 * bit-identical (decision 0011).
 */
public final class OnnxSession implements AutoCloseable {

    private static final int THREADS = dev.layerwise.core.task.Parallel.THREADS;
    /** ORT's environment; {@code sharedPool} is false only if code outside the engine created it first. */
    private record Environment(OrtEnvironment env, boolean sharedPool) {
    }

    private static final Environment ORT = OrtFootprint.create(OnnxSession::createEnvironment, Environment::env);
    private static final OrtEnvironment ENV = ORT.env();

    private static Environment createEnvironment() {
        try (OrtEnvironment.ThreadingOptions threads = new OrtEnvironment.ThreadingOptions()) {
            threads.setGlobalIntraOpNumThreads(THREADS);
            threads.setGlobalInterOpNumThreads(1);
            threads.setGlobalSpinControl(false);
            return new Environment(OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                    OrtEnvironment.DEFAULT_NAME, threads), true);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot start: " + clean(e), e);
        } catch (IllegalStateException e) {
            // the environment already exists (code outside the engine touched ORT first): per-session pools
            return new Environment(OrtEnvironment.getEnvironment(), false);
        }
    }

    private final OrtSession session;
    private final String label;
    private final List<String> outputNames;
    private final Map<String, long[]> inputShapes;

    private OnnxSession(OrtSession session, String label) throws OrtException {
        this.session = session;
        this.label = label;
        this.outputNames = List.copyOf(session.getOutputNames());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo ti) {
                shapes.put(e.getKey(), ti.getShape());
            }
        }
        this.inputShapes = Collections.unmodifiableMap(shapes);
    }

    /**
     * Creates a session.
     *
     * @param label what to call the model in error messages (usually its file)
     * @throws ModelLoadException when ORT refuses the model, e.g. an operator it cannot run; the
     *     message keeps ORT's node name and op type
     */
    public static OnnxSession create(OnnxModel model, String label) throws ModelLoadException {
        return create(model.proto(), label);
    }

    /** A session on a model the engine built, at {@code ALL_OPT}; see {@link #create(dev.layerwise.core.onnx.proto.Onnx.ModelProto, String, OrtSession.SessionOptions.OptLevel)}. */
    public static OnnxSession create(dev.layerwise.core.onnx.proto.Onnx.ModelProto model, String label) throws ModelLoadException {
        return create(model, label, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    public static OnnxSession create(byte[] modelBytes, String label) throws ModelLoadException {
        return create(modelBytes, label, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    /**
     * Creates a session with a given graph optimisation level. Large analysis graphs (thousands
     * of Q/DQ nodes, hundreds of outputs) are created faster and run no slower at
     * {@code EXTENDED_OPT}; the layout pass of {@code ALL_OPT} only adds reorders around every
     * exposed output there.
     */
    public static OnnxSession create(byte[] modelBytes, String label, OrtSession.SessionOptions.OptLevel level)
            throws ModelLoadException {
        return create(label, level, false, opts -> ENV.createSession(modelBytes, opts));
    }

    /**
     * Creates a session on a model the engine built, serialised straight into native memory that
     * is released as soon as ONNX Runtime has parsed it (ORT keeps its own copy of an ONNX-format
     * model). A {@code toByteArray()} first would leave a heap array of the model's size behind per
     * session, garbage the collector lets pile up: three of them (probe, calibration, analysis)
     * were 150 MB of peak memory on a ResNet18.
     */
    public static OnnxSession create(dev.layerwise.core.onnx.proto.Onnx.ModelProto model, String label,
            OrtSession.SessionOptions.OptLevel level) throws ModelLoadException {
        return create(model, label, level, false);
    }

    /**
     * A session on a model the engine built, at {@code ALL_OPT}, whose runs do all their work on
     * the thread that calls {@link #run}: no intra-op threads, not the shared pool. For callers that
     * already keep every core busy with runs of their own, as calibration runs one sample per core:
     * two runs splitting each operator over the shared two-thread pool spent a fifth of their CPU
     * handing work between threads and waiting for it (decision 0029). ORT's kernels divide work by
     * output, not by the order of a sum, so a run gives the same values as on the pool; calibration
     * ranges were compared bit for bit on every {@code RealWorldModels} case and the sample.
     */
    public static OnnxSession createOnCallingThread(dev.layerwise.core.onnx.proto.Onnx.ModelProto model, String label)
            throws ModelLoadException {
        return create(model, label, OrtSession.SessionOptions.OptLevel.ALL_OPT, true);
    }

    private static OnnxSession create(dev.layerwise.core.onnx.proto.Onnx.ModelProto model, String label,
            OrtSession.SessionOptions.OptLevel level, boolean callingThreadOnly) throws ModelLoadException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocateDirect(model.getSerializedSize());
        try {
            com.google.protobuf.CodedOutputStream out = com.google.protobuf.CodedOutputStream.newInstance(bytes);
            model.writeTo(out);
            out.flush();
            bytes.flip();
            return create(label, level, callingThreadOnly, opts -> ENV.createSession(bytes, opts));
        } catch (java.io.IOException e) {
            throw new ModelLoadException(label + ": cannot serialise the model: " + e.getMessage(), e);
        } finally {
            NativeMemory.release(bytes);
        }
    }

    /** What creates the ORT session once the options are set. */
    @FunctionalInterface
    private interface Creation {
        OrtSession create(OrtSession.SessionOptions opts) throws OrtException;
    }

    private static OnnxSession create(String label, OrtSession.SessionOptions.OptLevel level, boolean callingThreadOnly,
            Creation creation) throws ModelLoadException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (callingThreadOnly) {
                // one intra-op thread is the caller's own: ORT makes no pool for the session
                opts.setIntraOpNumThreads(1);
            } else if (ORT.sharedPool()) {
                opts.disablePerSessionThreads();
            } else {
                opts.setIntraOpNumThreads(THREADS);
                opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            opts.setOptimizationLevel(level);
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            return new OnnxSession(creation.create(opts), label);
        } catch (OrtException e) {
            throw new ModelLoadException(label + ": ONNX Runtime cannot load the model: " + clean(e), e);
        }
    }

    /** Loads ONNX Runtime's native library and environment (a fixed start-up cost) ahead of use. */
    public static void warmUp() {
        ENV.getClass();
    }

    public String label() {
        return label;
    }

    public List<String> outputNames() {
        return outputNames;
    }

    /** Declared input shapes; a dynamic dimension is -1. */
    public Map<String, long[]> inputShapes() {
        return inputShapes;
    }

    /** Runs the model and returns every float output, by name, in the graph's output order. */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) throws InferenceException {
        return run(inputs, outputNames);
    }

    /** Runs the model and returns the requested float outputs. */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs, List<String> wanted) throws InferenceException {
        return runFloat(inputs, wanted, t -> {
            FloatBuffer fb = t.getFloatBuffer();
            float[] data = new float[fb.remaining()];
            fb.get(data);
            return new FloatTensor(t.getInfo().getShape(), data);
        });
    }

    /**
     * Runs the model and returns the shapes of its float outputs, without copying their values
     * (a probe for shapes that ORT cannot infer before running).
     */
    public Map<String, long[]> runForShapes(Map<String, FloatTensor> inputs) throws InferenceException {
        return runFloat(inputs, outputNames, t -> t.getInfo().getShape());
    }

    /** Runs the model and reads each wanted float output with {@code read} while ORT still holds it. */
    private <T> Map<String, T> runFloat(Map<String, FloatTensor> inputs, List<String> wanted,
            java.util.function.Function<OnnxTensor, T> read) throws InferenceException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, FloatTensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
            }
            Map<String, T> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feeds, new java.util.LinkedHashSet<>(wanted))) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    if (e.getValue() instanceof OnnxTensor t && t.getInfo().type == OnnxJavaType.FLOAT) {
                        out.put(e.getKey(), read.apply(t));
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new InferenceException(label + ": inference failed: " + clean(e), e);
        } finally {
            for (OnnxTensor t : feeds.values()) {
                t.close();
            }
        }
    }

    /**
     * Allocates output buffers once for repeated runs ({@link #run(Map, Pinned)}), so ORT writes
     * straight into memory Java reads without a copy per run.
     *
     * @param shapes output name to shape (batch 1)
     */
    public Pinned pin(Map<String, long[]> shapes) throws InferenceException {
        return pin(shapes, Pinned.keyOf(shapes));
    }

    /** As {@link #pin(Map)}, for a caller that has made the set's {@link Pinned#keyOf key} already. */
    Pinned pin(Map<String, long[]> shapes, Object key) throws InferenceException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        Map<String, FloatBuffer> buffers = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, long[]> e : shapes.entrySet()) {
                int n = Math.toIntExact(FloatTensor.elementCount(e.getValue()));
                FloatBuffer fb = directFloats(n);
                tensors.put(e.getKey(), OnnxTensor.createTensor(ENV, fb, e.getValue()));
                buffers.put(e.getKey(), fb);
            }
        } catch (OrtException ex) {
            tensors.values().forEach(OnnxTensor::close);
            throw new InferenceException(label + ": cannot allocate outputs: " + clean(ex), ex);
        }
        return new Pinned(tensors, buffers, key);
    }

    /** A native buffer of {@code n} floats in the machine's byte order, which ORT reads and writes without a copy. */
    private static FloatBuffer directFloats(int n) {
        return java.nio.ByteBuffer.allocateDirect(n * 4).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * Runs the model on those of {@code inputs} it takes, writing the pinned outputs in place. The
     * inputs are copied into native buffers the {@code pinned} set keeps for its next run: ORT would
     * otherwise copy a heap array into a new native buffer per run (5.5 MB for a 896x512 image, left
     * for the collector to free).
     */
    public void run(Map<String, FloatTensor> inputs, Pinned pinned) throws InferenceException {
        run(inputs, null, pinned);
    }

    /**
     * Runs the model on those of {@code inputs} and of {@code upstream}'s tensors it takes as
     * inputs, writing the pinned outputs in place. {@code upstream} holds outputs another session
     * wrote: ORT reads them where they are, without a copy (an {@code OnnxTensor} made on a direct
     * buffer wraps that memory, and a run takes any tensor as an input). Several runs may read the
     * same {@code upstream} at once; none may write it meanwhile.
     */
    public void run(Map<String, FloatTensor> inputs, Pinned upstream, Pinned pinned) throws InferenceException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String name : inputShapes.keySet()) {
                FloatTensor t = inputs.get(name);
                if (t != null) {
                    feeds.put(name, pinned.input(name, t));
                } else if (upstream != null && upstream.tensors.containsKey(name)) {
                    feeds.put(name, upstream.tensors.get(name));
                } else {
                    throw new InferenceException(label + ": no value for the input '" + name + "'");
                }
            }
            session.run(feeds, pinned.tensors).close();
        } catch (OrtException e) {
            throw new InferenceException(label + ": inference failed: " + clean(e), e);
        }
    }

    /**
     * Output buffers owned by the caller, filled by {@link #run(Map, Pinned)}, and the native
     * copies of the last run's inputs. One run at a time per set. Close after use.
     */
    public static final class Pinned implements AutoCloseable {
        private final Map<String, OnnxTensor> tensors;
        private final Map<String, FloatBuffer> buffers;
        private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        private final Map<String, FloatBuffer> inputBuffers = new LinkedHashMap<>();
        private final Object key;

        private Pinned(Map<String, OnnxTensor> tensors, Map<String, FloatBuffer> buffers, Object key) {
            this.tensors = tensors;
            this.buffers = buffers;
            this.key = key;
        }

        /** What tells sets of the same outputs apart: their names and shapes, in order. */
        static Object keyOf(Map<String, long[]> shapes) {
            java.util.List<Object> k = new java.util.ArrayList<>();
            shapes.forEach((name, shape) -> {
                k.add(name);
                k.add(java.util.Arrays.stream(shape).boxed().toList());
            });
            return k;
        }

        Object key() {
            return key;
        }

        /** The native memory the set holds, outputs and the inputs of its last run, in bytes. */
        long bytes() {
            long b = 0;
            for (FloatBuffer f : buffers.values()) {
                b += 4L * f.capacity();
            }
            for (FloatBuffer f : inputBuffers.values()) {
                b += 4L * f.capacity();
            }
            return b;
        }

        /** Input {@code name} holding {@code value}, in the native buffer of the last run when the shape is the same. */
        private OnnxTensor input(String name, FloatTensor value) throws OrtException {
            OnnxTensor t = inputs.get(name);
            if (t == null || !java.util.Arrays.equals(t.getInfo().getShape(), value.shape())) {
                if (t != null) {
                    t.close();
                }
                FloatBuffer fb = directFloats(value.data().length);
                t = OnnxTensor.createTensor(ENV, fb, value.shape());
                inputs.put(name, t);
                inputBuffers.put(name, fb);
            }
            inputBuffers.get(name).put(0, value.data());
            return t;
        }

        /** The buffer of an output; absolute reads only (its position is left alone). */
        public FloatBuffer buffer(String name) {
            return buffers.get(name);
        }

        /** A copy of an output as a tensor. */
        public FloatTensor copy(String name) {
            FloatBuffer fb = buffers.get(name);
            float[] data = new float[fb.capacity()];
            fb.get(0, data);
            return new FloatTensor(tensors.get(name).getInfo().getShape(), data);
        }

        /** Copies an output into {@code dst}, which must have the output's size. */
        public void copyTo(String name, float[] dst) {
            buffers.get(name).get(0, dst);
        }

        public java.util.Set<String> names() {
            return buffers.keySet();
        }

        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Element types of the outputs as ORT resolved them (after its own type inference). */
    public Map<String, OnnxJavaType> outputTypes() throws ModelLoadException {
        try {
            Map<String, OnnxJavaType> types = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo ti) {
                    types.put(e.getKey(), ti.type);
                }
            }
            return types;
        } catch (OrtException e) {
            throw new ModelLoadException(label + ": " + clean(e), e);
        }
    }

    /**
     * Shapes of the float outputs as ORT inferred them when it created the session; a dimension
     * it could not infer is -1, and an unknown rank shows as rank 0.
     */
    public Map<String, long[]> floatOutputShapes() throws ModelLoadException {
        try {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo ti && ti.type == OnnxJavaType.FLOAT) {
                    shapes.put(e.getKey(), ti.getShape());
                }
            }
            return shapes;
        } catch (OrtException e) {
            throw new ModelLoadException(label + ": " + clean(e), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a native session cannot be retried; nothing useful to do with the error
        }
    }

    static String clean(OrtException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        List<String> lines = new ArrayList<>(List.of(m.split("\n")));
        return lines.get(0).replaceFirst("^Error code - ORT_[A-Z_]+ - message: ", "").trim();
    }
}
