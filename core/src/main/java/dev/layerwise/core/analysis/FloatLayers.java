package dev.layerwise.core.analysis;

import dev.layerwise.core.onnx.Layer;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.CancelledException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The analysis's float network: one ONNX Runtime session on the float model with every layer
 * output exposed ({@link QuantGraphBuilder#floatLayers}), at the analysis graph's optimisation
 * level. It depends on the model and its input sizes, never on a plan, so it is created once and
 * serves every later analysis of the same graph (the workbench's re-runs, a hybrid's layers); its
 * outputs feed the quantized parts in place (decision 0025). It also keeps the analysis's output
 * buffers between analyses of the graph ({@link #buffers}).
 *
 * <p>Thread-safe: {@link #session()} may be called from any thread, and the session runs
 * concurrently. {@link #close()} must not race with a run.
 */
public final class FloatLayers implements AutoCloseable {

    private final LayerGraph graph;
    private final Map<String, long[]> shapes;
    private CompletableFuture<OnnxSession> session;
    private boolean closed;
    private final dev.layerwise.core.runtime.PinnedPool buffers = new dev.layerwise.core.runtime.PinnedPool(KEPT_BUFFER_BYTES);

    /**
     * The most native memory of analysis outputs kept between analyses of one graph (decision
     * 0034): the sample's three sets take 72 MB and are all kept, a ResNet18-shaped model's 41 MB,
     * a 640x640 detector's 53 MB; a 896x512 segmenter's sets (146 MB each) are made per analysis
     * as before.
     */
    static final long KEPT_BUFFER_BYTES = 128L << 20;

    public FloatLayers(LayerGraph graph) {
        this.graph = graph;
        Map<String, long[]> s = new LinkedHashMap<>();
        for (Layer l : graph.layers()) {
            for (String o : l.outputs()) {
                s.put(o, graph.shapeOf(o));
            }
        }
        this.shapes = Collections.unmodifiableMap(s);
    }

    /** Every layer output, in layer order, with its shape (batch 1): the session's outputs. */
    public Map<String, long[]> shapes() {
        return shapes;
    }

    /**
     * The output buffers of the analysis's sessions (this float network's and the quantized parts'),
     * kept between analyses of this graph; closed with it.
     */
    public dev.layerwise.core.runtime.PinnedPool buffers() {
        return buffers;
    }

    /** True once the session exists (or is being created), so {@link #session()} will not create it. */
    public synchronized boolean isCreated() {
        return session != null && !session.isCompletedExceptionally();
    }

    /**
     * The session: created here, on the caller's thread, the first time; a caller that comes while
     * another creates it waits for that creation. A failed creation is reported to every caller
     * waiting for it and tried again by the next.
     *
     * @throws ModelLoadException when ORT refuses the model
     * @throws CancelledException when the caller is interrupted while waiting
     */
    public OnnxSession session() throws ModelLoadException, CancelledException {
        CompletableFuture<OnnxSession> f;
        boolean mine = false;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("float layers closed");
            }
            if (session == null || session.isCompletedExceptionally()) {
                session = new CompletableFuture<>();
                mine = true;
            }
            f = session;
        }
        if (mine) {
            create(f);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ModelLoadException m) {
                throw m;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void create(CompletableFuture<OnnxSession> f) {
        try {
            f.complete(OnnxSession.create(QuantGraphBuilder.floatLayers(graph), graph.model().label() + " (float layers)",
                    ai.onnxruntime.OrtSession.SessionOptions.OptLevel.EXTENDED_OPT));
        } catch (Throwable e) {
            f.completeExceptionally(e);
        }
    }

    /** Closes the session, at once or, when it is still being created, as soon as it exists. */
    @Override
    public void close() {
        CompletableFuture<OnnxSession> f;
        synchronized (this) {
            closed = true;
            f = session;
            session = null;
        }
        if (f != null) {
            f.thenAccept(OnnxSession::close);
        }
        buffers.close();
    }
}
