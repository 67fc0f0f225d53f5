package dev.layerwise.app.device;

import dev.layerwise.app.common.Messages;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.core.compare.Comparison;
import dev.layerwise.core.compare.OutputCheck;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A board run's outcome as the Device view's result lines: every output of every model that ran,
 * judged against the host's by {@link OutputCheck} ({@link #judge}, once per run, on a worker),
 * then put in the current language ({@link #of}, again after a language switch); a {@code .rknn}
 * once against each host model. Holds only its messages; any thread.
 */
final class ResultLines {

    private final Messages messages;

    /**
     * One output of one model as judged against the host's, before it is put in words.
     *
     * @param model the model that ran ({@code float}, {@code normal}, {@code hybrid}, or the {@code .rknn})
     * @param reference the host model it was set against
     */
    record Judged(String model, String reference, OutputCheck check, DeviceRunResult run) {
    }

    ResultLines(Messages messages) {
        this.messages = messages;
    }

    /**
     * Judges every output; the costly part (cosines and top-k over whole outputs), so not on the FX thread.
     *
     * @param rknn the user's file for a {@code .rknn} run, or {@code null} for the three ONNX models
     * @param hostOutputs the host's outputs on the same input, by model ({@code float}, {@code normal}, {@code hybrid})
     * @param labels class names for the top-1, or {@code null}
     */
    static List<Judged> judge(DeviceWorkflow.Outcome f, Path rknn, Map<String, Map<String, FloatTensor>> hostOutputs, Labels labels) {
        List<Judged> out = new ArrayList<>();
        for (Map.Entry<String, DeviceRunResult> e : f.done().entrySet()) {
            DeviceRunResult r = e.getValue();
            // an .rknn is set against each host model: which one it matches says what the NPU did
            List<String> references = rknn != null ? Comparison.MODELS : List.of(e.getKey());
            for (String ref : references) {
                for (OutputCheck c : OutputCheck.compare(r.outputs(), hostOutputs.get(ref), 5, labels)) {
                    out.add(new Judged(e.getKey(), ref, c, r));
                }
            }
        }
        return out;
    }

    /**
     * The judged outputs as lines in the current language; cheap, no numbers computed.
     *
     * @param rknn the user's file for a {@code .rknn} run, or {@code null} for the three ONNX models
     */
    List<ResultLine> of(List<Judged> judged, Path rknn) {
        List<ResultLine> out = new ArrayList<>();
        for (Judged j : judged) {
            String model = rknn == null ? title(j.model()) : messages.get("device.results.rknnVs", rknn.getFileName(), title(j.reference()));
            out.add(line(model, j.check(), j.run()));
        }
        return out;
    }

    /** A model's name as the panel shows it: Float, Normal, Hybrid, or the name itself. */
    String title(String model) {
        return messages.has("compare.column." + model) ? messages.get("compare.column." + model) : model;
    }

    private ResultLine line(String model, OutputCheck c, DeviceRunResult r) {
        String output = c.name() + "  " + FloatTensor.shapeText(c.hostShape() != null ? c.hostShape() : c.shape());
        String board;
        String hostText;
        String agreement;
        String difference = "";
        if (c.problem() != null && c.metrics() == null && c.top() == null) {
            board = messages.get("device.results.missing");
            hostText = "";
            agreement = messages.get("device.results.differs");
        } else if (c.classVector()) {
            board = describe(c.top().top1());
            hostText = c.hostTop() == null ? "" : describe(c.hostTop().top1());
            agreement = messages.get(c.top1Agrees() ? "device.results.same" : "device.results.differs");
            difference = c.hostTop() == null ? "" : String.format(Locale.ROOT, "%.6f", c.top().largestDelta(c.hostTop()));
        } else {
            board = FloatTensor.shapeText(c.shape()) + "  " + String.format(Locale.ROOT, "%.4g \u2026 %.4g", c.min(), c.max());
            hostText = c.hostShape() == null ? "" : FloatTensor.shapeText(c.hostShape());
            agreement = c.metrics() == null ? messages.get("device.results.differs")
                    : messages.get("device.results.cosine", String.format(Locale.ROOT, "%.6f", c.metrics().cosine()));
            difference = c.metrics() == null ? "" : String.format(Locale.ROOT, "%.4g", c.maxAbsError());
        }
        if (c.problem() != null) {
            hostText = c.problem();
        }
        return new ResultLine(model, output, board, hostText, c.agrees(BoardRunViewModel.AGREEING_COSINE), agreement, difference,
                r.pushTime().toMillis(), r.runTime().toMillis());
    }

    private static String describe(TopK.Entry e) {
        return "[" + e.index() + "] " + (e.label() == null ? "" : e.label() + " ") + String.format(Locale.ROOT, "%.4f", e.score());
    }
}
