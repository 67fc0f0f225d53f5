package dev.layerwise.core.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The observed ranges, which the graph now computes with reductions, against a scan in the test of
 * every tensor of a plain float run (the tensors exposed as outputs).
 */
class CalibratorTest {

    /** Smallest and largest finite value of {@code v} merged into {@code range} ({@code null}: none yet). */
    private static float[] scan(float[] range, float[] v) {
        float lo = range == null ? Float.POSITIVE_INFINITY : range[0];
        float hi = range == null ? Float.NEGATIVE_INFINITY : range[1];
        for (float x : v) {
            if (Float.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        return new float[] {lo, hi};
    }

    /** Every quantization tensor's finite range over {@code samples}, from exposed tensors scanned here. */
    static Map<String, float[]> expectedRanges(Project project, List<Map<String, FloatTensor>> samples)
            throws Exception {
        Map<String, float[]> expected = new HashMap<>();
        try (OnnxSession s = OnnxSession.create(Calibrator.withQuantTensorsExposed(project.graph()).toByteArray(), "float")) {
            for (Map<String, FloatTensor> feed : samples) {
                Map<String, FloatTensor> all = new HashMap<>(s.run(feed));
                all.putAll(feed);
                for (String t : project.graph().quantTensors()) {
                    expected.put(t, scan(expected.get(t), all.get(t).data()));
                }
            }
        }
        return expected;
    }

    static void assertRanges(Map<String, float[]> expected, Calibration c) {
        assertEquals(expected.keySet(), c.observed().keySet());
        expected.forEach((t, r) -> {
            TensorRange got = c.observed().get(t);
            // delta 0: the same number, and either zero for a zero end
            assertEquals(r[0], got.min(), 0f, t + " min");
            assertEquals(r[1], got.max(), 0f, t + " max");
        });
    }

    /**
     * {@code project} (one input {@code x} of shape 1x2x4) calibrated on one sample per row of {@code xs},
     * every range checked against the scan.
     */
    private static Calibration calibratedOnRows(Project project, CalibrationAlgorithm algorithm, float[][] xs) throws Exception {
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (float[] x : xs) {
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 2, 4}, x)));
        }
        Calibration c = project.calibrate(SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2,
                ProgressListener.NONE);
        assertRanges(expectedRanges(project, samples), c);
        return c;
    }

    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void observedRangesAreEveryTensorsSmallestAndLargestValueOverAllSamples(CalibrationAlgorithm algorithm)
            throws Exception {
        Project project = Project.of(TestModels.smallCnn());
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(Map.of("input", TestModels.smallInput(100 + i)));
        }
        Calibration c = project.calibrate(SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2,
                ProgressListener.NONE);
        assertRanges(expectedRanges(project, samples), c);
    }

    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void nanAndInfinitiesInATensorAreLeftOutOfItsRange(CalibrationAlgorithm algorithm) throws Exception {
        // Log of 0 is -inf, of a negative value NaN; Exp of a large value overflows to +inf
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 6);
        String log = b.op("Log", "Log_0", List.of("x"), "log");
        b.op("Exp", "Exp_1", List.of("x"), "exp");
        b.op("Add", "Add_2", List.of(log, "x"), "sum");
        Project project = Project.of(b.output("sum").output("exp").build());
        List<Map<String, FloatTensor>> samples = List.of(
                Map.of("x", new FloatTensor(new long[] {1, 6}, new float[] {0f, -1f, 1f, 2.5f, 0.5f, 200f})),
                Map.of("x", new FloatTensor(new long[] {1, 6}, new float[] {3f, 0.25f, 1.5f, 2f, 4f, 5f})));
        Calibration c = project.calibrate(SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2,
                ProgressListener.NONE);
        Map<String, float[]> expected = expectedRanges(project, samples);
        assertRanges(expected, c);
        for (String t : List.of("log", "exp", "sum")) {
            assertFalse(Float.isInfinite(c.observed().get(t).min()) || Float.isInfinite(c.observed().get(t).max()), t);
        }
        assertEquals((float) Math.log(0.25), c.observed().get("log").min(), 0f);
        assertEquals((float) Math.exp(5), c.observed().get("exp").max(), 0f);
    }
    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void aTensorOnlyItsInputCanMakeNonFiniteHasNoSumAndIsScannedWhenItsInputIsNot(CalibrationAlgorithm algorithm)
            throws Exception {
        // Log of a negative value is NaN (first in a row, and not), of 0 -inf, of +inf +inf; Exp of
        // 100 overflows to +inf. Softmax, Sigmoid, Relu and Tanh of those inputs hold NaN (a row with a
        // NaN or +inf), infinities (Relu of +inf) or only finite values (Sigmoid of +-inf) in turn.
        TestModels.Builder b = new TestModels.Builder(3).input("x", 1, 2, 4);
        String log = b.op("Log", "Log_0", List.of("x"), "log");
        b.op("Softmax", "Softmax_1", List.of(log), "probs", dev.layerwise.core.onnx.Nodes.attr("axis", -1L));
        b.op("Sigmoid", "Sigmoid_2", List.of(log), "sig");
        String exp = b.op("Exp", "Exp_3", List.of("x"), "exp");
        b.op("Relu", "Relu_4", List.of(exp), "relu");
        b.op("Tanh", "Tanh_5", List.of("x"), "tanh");
        String t = b.op("Transpose", "Transpose_6", List.of(log), "tlog", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 2L, 1L));
        b.op("Softmax", "Softmax_7", List.of(t), "tprobs", dev.layerwise.core.onnx.Nodes.attr("axis", -1L));
        Project project = Project.of(b.output("probs").output("sig").output("exp").output("relu").output("tanh")
                .output("tprobs").build(13));
        Map<String, String> nanFrom = Calibrator.nanOnlyFrom(project.graph());
        assertEquals(Map.of("probs", "log", "sig", "log", "relu", "exp", "tanh", "x", "tprobs", "tlog"), nanFrom);
        List<String> sums = Calibrator.withRangeOutputs(project.graph(), List.of("log", "probs", "sig", "exp", "relu", "tanh", "tprobs"),
                Map.of(), nanFrom.keySet(), List.of()).getGraph().getOutputList().stream()
                .map(o -> o.getName()).filter(n -> n.startsWith(dev.layerwise.core.onnx.GraphEdits.STAT_SUM)).toList();
        assertEquals(List.of("lw.sum/log", "lw.sum/exp"), sums);
        float inf = Float.POSITIVE_INFINITY;
        float[][] xs = {
            {0.5f, 1f, 2f, 3f, 0.25f, 4f, 1.5f, 2.5f},
            {1f, -1f, 2f, 0f, 3f, 100f, 0.5f, 2f},
            {inf, 1f, 2f, 3f, 0.5f, 0.25f, 4f, 5f},
            {-2f, 1f, 2f, 3f, 4f, 5f, 6f, 7f},
            {0.75f, 1.25f, 6f, 8f, 0.125f, 9f, 3.5f, 2f},
        };
        Calibration c = calibratedOnRows(project, algorithm, xs);
        for (String tensor : project.graph().quantTensors()) {
            TensorRange r = c.observed().get(tensor);
            org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(r.min()) && Float.isFinite(r.max()), tensor + " " + r);
        }
        assertEquals(100f, c.observed().get("x").max(), 0f);
        // Exp is positive, so Relu passes it on: the same range, the overflow left out of both
        assertEquals(c.observed().get("exp"), c.observed().get("relu"));
        assertEquals((float) Math.log(0.125), c.observed().get("log").min(), 0f);
    }

    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void aSliceHasNoSumAndIsScannedWhenTheTensorItSlicesIsNotFinite(CalibrationAlgorithm algorithm) throws Exception {
        // head and tail are the two rows of log(x): NaN first in the head, NaN only in the tail, -inf, none
        TestModels.Builder b = new TestModels.Builder(5).input("x", 1, 2, 4);
        String log = b.op("Log", "Log_0", List.of("x"), "log");
        b.op("Slice", "Slice_1", List.of(log, b.longs(0), b.longs(1), b.longs(1)), "head");
        b.op("Slice", "Slice_2", List.of(log, b.longs(1), b.longs(2), b.longs(1)), "tail");
        Project project = Project.of(b.output("head").output("tail").build(13));
        assertEquals(Map.of("head", "log", "tail", "log"), Calibrator.nanOnlyFrom(project.graph()));
        List<String> sums = Calibrator.withRangeOutputs(project.graph(), List.of("log", "head", "tail"), Map.of(),
                Calibrator.nanOnlyFrom(project.graph()).keySet(), List.of()).getGraph().getOutputList().stream()
                .map(o -> o.getName()).filter(n -> n.startsWith(dev.layerwise.core.onnx.GraphEdits.STAT_SUM)).toList();
        assertEquals(List.of("lw.sum/log"), sums);
        float[][] xs = {
            {-1f, 0.5f, 2f, 3f, 1.5f, 4f, 0.25f, 2.5f},
            {0.75f, 1.25f, 6f, 8f, 0.125f, -9f, 3.5f, 2f},
            {0f, 1f, 2f, 3f, 0.5f, 0.25f, 4f, 5f},
            {1.5f, 2f, 3f, 0.375f, 7f, 5f, 6f, 1.75f},
        };
        Calibration c = calibratedOnRows(project, algorithm, xs);
        assertEquals((float) Math.log(0.125), c.observed().get("tail").min(), 0f);
        assertEquals((float) Math.log(0.375), c.observed().get("head").min(), 0f);
    }

    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void aConcatOfQuantizationTensorsHasTheUnionOfTheirRangesAndIsScannedWhenOneOfThemIsNotFinite(
            CalibrationAlgorithm algorithm) throws Exception {
        // cat = Concat(exp(x), log(x)), cat2 = Concat(conv, transposed conv), cat3 = Concat(conv, a constant);
        // log(x) holds -inf (a zero), NaN (a negative value) or nothing finite at all (x all negative). Both
        // of cat's inputs are positive where finite, so a sample's empty range taken as [0, 0] would show.
        TestModels.Builder b = new TestModels.Builder(11).input("x", 1, 3, 4, 4);
        String c = b.conv("Conv_0", "x", 3, 4, 3, 1, 1, "c0");
        String log = b.op("Log", "Log_1", List.of("x"), "log");
        String exp = b.op("Exp", "Exp_6", List.of("x"), "exp");
        String t = b.op("Transpose", "Transpose_2", List.of(c), "t2", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 1L, 3L, 2L));
        b.op("Concat", "Concat_3", List.of(exp, log), "cat", dev.layerwise.core.onnx.Nodes.attr("axis", 1L));
        b.op("Concat", "Concat_4", List.of(c, t), "cat2", dev.layerwise.core.onnx.Nodes.attr("axis", 1L));
        float[] constant = new float[16];
        java.util.Arrays.fill(constant, 50f);
        String k = b.init(new long[] {1, 1, 4, 4}, constant);
        b.op("Concat", "Concat_5", List.of(c, k), "cat3", dev.layerwise.core.onnx.Nodes.attr("axis", 1L));
        Project project = Project.of(b.output("cat").output("cat2").output("cat3").build(13));
        assertEquals(Map.of("cat", List.of("exp", "log"), "cat2", List.of("c0", "t2")), Calibrator.unions(project.graph()));
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] x = java.util.Arrays.copyOf(TestModels.smallInput(300 + i).data(), 48);
            for (int j = 0; j < x.length; j++) {
                x[j] = i == 2 ? -1f - Math.abs(x[j]) : Math.abs(x[j]) + 1.01f;
            }
            if (i == 0) {
                x[5] = 0f;
            } else if (i == 1) {
                x[17] = -3f;
            }
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 3, 4, 4}, x)));
        }
        Calibration cal = project.calibrate(SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2,
                ProgressListener.NONE);
        Map<String, float[]> expected = expectedRanges(project, samples);
        // a sample in which a tensor has no finite value at all counts as [0, 0] for it (log here), not for
        // a concat that reads it: that concat is scanned as a whole
        expected.put("log", new float[] {0f, expected.get("log")[1]});
        assertRanges(expected, cal);
        assertEquals(50f, cal.observed().get("cat3").max(), 0f);
        // the union's ends are its inputs' ends, bit for bit
        TensorRange e = cal.observed().get("exp");
        TensorRange l = cal.observed().get("log");
        assertEquals(0f, l.min(), 0f);
        assertEquals(Math.max(e.max(), l.max()), cal.observed().get("cat").max(), 0f);
        org.junit.jupiter.api.Assertions.assertTrue(cal.observed().get("cat").min() > 0f, "cat " + cal.observed().get("cat"));
        assertEquals(cal.observed().get("c0"), cal.observed().get("cat2"));
    }

    @ParameterizedTest
    @EnumSource(CalibrationAlgorithm.class)
    void aRearrangedTensorHasItsSourcesRangeWithoutReductionsOfItsOwn(CalibrationAlgorithm algorithm) throws Exception {
        // conv -> transpose -> reshape -> gemm, and log (NaN, -inf) -> transpose
        TestModels.Builder b = new TestModels.Builder(7).input("x", 1, 3, 4, 4);
        String c = b.conv("Conv_0", "x", 3, 4, 3, 1, 1, "c0");
        String t = b.op("Transpose", "Transpose_1", List.of(c), "t1", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 2L, 3L, 1L));
        String r = b.op("Reshape", "Reshape_2", List.of(t, b.longs(1, 64)), "r2");
        b.gemm("Gemm_3", r, 64, 5, "out");
        String log = b.op("Log", "Log_4", List.of("x"), "log");
        b.op("Transpose", "Transpose_5", List.of(log), "tlog", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 1L, 3L, 2L));
        Project project = Project.of(b.output("out").output("tlog").build(13));
        assertEquals(Map.of("t1", "c0", "r2", "c0", "tlog", "log"), Calibrator.rearrangements(project.graph()));
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] v = TestModels.smallInput(200 + i).data();
            float[] x = java.util.Arrays.copyOf(v, 48);
            x[i] = 0f;
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 3, 4, 4}, x)));
        }
        Calibration cal = project.calibrate(SampleSource.of(samples), algorithm, QuantType.ASYMMETRIC_AFFINE_U8, 2,
                ProgressListener.NONE);
        assertRanges(expectedRanges(project, samples), cal);
    }

    @org.junit.jupiter.api.Test
    void reductionsOfATransposedTensorReadTheCopyTheModelReadsOnAndGiveTheSourcesRange() throws Exception {
        // upsampled logits transposed to NHWC for a Softmax (read through); a transpose into a Gemm
        // (ORT may fold it, so not); a reshape alone (a view, so not)
        TestModels.Builder b = new TestModels.Builder(11).input("x", 1, 3, 8, 8);
        String c = b.conv("Conv_0", "x", 3, 4, 3, 1, 1, "c0");
        String up = b.op("Resize", "Resize_1", List.of(c, "", b.init(new long[] {4}, new float[] {1, 1, 2, 2})), "up");
        String t = b.op("Transpose", "Transpose_2", List.of(up), "nhwc", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 2L, 3L, 1L));
        String r = b.op("Reshape", "Reshape_3", List.of(t, b.longs(1, 256, 4)), "rows");
        b.op("Softmax", "Softmax_4", List.of(r), "probs", dev.layerwise.core.onnx.Nodes.attr("axis", -1L));
        String c2 = b.conv("Conv_5", "x", 3, 2, 1, 1, 1, "c5");
        String t2 = b.op("Transpose", "Transpose_6", List.of(c2), "t6", dev.layerwise.core.onnx.Nodes.attr("perm", 0L, 2L, 3L, 1L));
        String f = b.op("Reshape", "Reshape_7", List.of(t2, b.longs(1, 128)), "f7");
        b.gemm("Gemm_8", f, 128, 5, "out");
        String c3 = b.conv("Conv_9", "x", 3, 2, 1, 1, 1, "c9");
        String v = b.op("Reshape", "Reshape_10", List.of(c3, b.longs(1, 128)), "v10");
        b.op("Relu", "Relu_11", List.of(v), "relu");
        Project project = Project.of(b.output("probs").output("out").output("relu").build(13));
        Map<String, String> rearranged = Calibrator.rearrangements(project.graph());
        assertEquals(Map.of("nhwc", "up", "rows", "up", "t6", "c5", "f7", "c5", "v10", "c9"), rearranged);
        assertEquals(Map.of("up", "rows"), Calibrator.readThrough(project.graph(), rearranged));
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] x = new float[3 * 8 * 8];
            java.util.Random rnd = new java.util.Random(500 + i);
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian() * (1 + i);
            }
            // one sample's NaN reaches the transposed tensor: the exposed-tensor path scans the source
            if (i == 1) {
                x[5] = Float.NaN;
            }
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 3, 8, 8}, x)));
        }
        Calibration cal = project.calibrate(SampleSource.of(samples), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        assertRanges(expectedRanges(project, samples), cal);
        assertEquals(cal.observed().get("up"), cal.observed().get("rows"));
    }

    @org.junit.jupiter.api.Test
    void samplesRunOnSeveralThreadsGiveTheRangesOfASerialScan() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.layerwise.core.task.Parallel.THREADS > 1, "one core: nothing runs at once");
        Project project = Project.of(TestModels.smallCnn());
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            float[] x = TestModels.smallInput(300 + i).data().clone();
            // a NaN in one sample takes the exposed-tensor path beside the concurrent runs
            if (i == 4) {
                x[7] = Float.NaN;
            }
            samples.add(Map.of("input", new FloatTensor(new long[] {1, 3, 16, 16}, x)));
        }
        java.util.Set<String> loadingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        SampleSource all = SampleSource.of(samples);
        SampleSource recorded = new SampleSource() {
            @Override
            public int size() {
                return all.size();
            }

            @Override
            public Map<String, FloatTensor> load(int i) throws Exception {
                loadingThreads.add(Thread.currentThread().getName());
                return all.load(i);
            }

            @Override
            public String describe(int i) {
                return all.describe(i);
            }
        };
        Calibration c = project.calibrate(recorded, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        org.junit.jupiter.api.Assertions.assertTrue(loadingThreads.size() > 1, loadingThreads.toString());
        assertRanges(expectedRanges(project, samples), c);
    }

    @org.junit.jupiter.api.Test
    void samplesOfLargeTensorsRunOnTheirWorkersThreadsAloneAndGiveTheRangesOfAScan() throws Exception {
        // a 1x16x128x256 convolution output (0.5 M values) is large enough; a Softmax over its
        // channels has no NaN test of its own, and one sample's NaN reaches both
        TestModels.Builder b = new TestModels.Builder(9).input("x", 1, 3, 128, 256);
        String c = b.conv("Conv_0", "x", 3, 16, 3, 1, 1, "c0");
        b.op("Softmax", "Softmax_1", List.of(c), "probs", dev.layerwise.core.onnx.Nodes.attr("axis", 1L));
        Project project = Project.of(b.output("probs").build(13));
        int workers = dev.layerwise.core.task.Parallel.THREADS;
        assertEquals(true, Calibrator.runsOnWorkerThreadsAlone(project.graph(), workers));
        assertEquals(workers == 1, Calibrator.runsOnWorkerThreadsAlone(project.graph(), 1));
        assertEquals(false, Calibrator.runsOnWorkerThreadsAlone(Project.of(TestModels.smallCnn()).graph(), 8));
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            java.util.Random rnd = new java.util.Random(700 + i);
            float[] x = new float[3 * 128 * 256];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian() * (1 + i);
            }
            if (i == 2) {
                x[1000 + i] = Float.NaN;
            }
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 3, 128, 256}, x)));
        }
        Calibration cal = project.calibrate(SampleSource.of(samples), CalibrationAlgorithm.NORMAL,
                QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        assertRanges(expectedRanges(project, samples), cal);
    }

    @org.junit.jupiter.api.Test
    void aCancelWhileWorkersRunSamplesWaitsForThemBeforeTheSessionCloses() throws Exception {
        // convolutions slow enough that the workers are inside ONNX Runtime when the caller cancels
        // after the first sample; closing the session under their runs crashed the JVM (SIGSEGV)
        TestModels.Builder b = new TestModels.Builder(21).input("x", 1, 16, 96, 96);
        String y = "x";
        for (int k = 0; k < 4; k++) {
            y = b.conv("Conv_" + k, y, 16, 16, 3, 1, 1, "c" + k);
        }
        Project project = Project.of(b.output(y).build(13));
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            java.util.Random rnd = new java.util.Random(900 + i);
            float[] x = new float[16 * 96 * 96];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            samples.add(Map.of("x", new FloatTensor(new long[] {1, 16, 96, 96}, x)));
        }
        ProgressListener cancelAfterFirst = new ProgressListener() {
            private volatile int done;

            @Override
            public void progress(String step, int done, int total) {
                this.done = done;
            }

            @Override
            public boolean isCancelled() {
                return done >= 1;
            }
        };
        for (int round = 0; round < 5; round++) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.layerwise.core.task.CancelledException.class,
                    () -> project.calibrate(SampleSource.of(samples), CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                            cancelAfterFirst));
            assertFalse(Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("layerwise-calibration"))
                    .flatMap(e -> java.util.Arrays.stream(e.getValue()))
                    .anyMatch(f -> f.getClassName().startsWith("ai.onnxruntime.")), "a worker is still inside ONNX Runtime");
        }
    }

    @org.junit.jupiter.api.Test
    void warningsOfSamplesLoadedAtOnceArePassedOnInSampleOrderOnTheCallersThread() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.layerwise.core.task.Parallel.THREADS > 1, "one core: nothing runs at once");
        Project project = Project.of(TestModels.smallCnn());
        List<Map<String, FloatTensor>> samples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            samples.add(Map.of("input", TestModels.smallInput(400 + i)));
        }
        SampleSource all = SampleSource.of(samples);
        List<String> passedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Set<String> passingThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        SampleSource warning = new SampleSource() {
            @Override
            public int size() {
                return all.size();
            }

            @Override
            public Map<String, FloatTensor> load(int i) throws Exception {
                return load(i, this::warn);
            }

            @Override
            public Map<String, FloatTensor> load(int i, java.util.function.Consumer<String> held) throws Exception {
                // even samples load slowly, so a later odd one finishes first whenever two load at once
                Thread.sleep(i % 2 == 0 ? 60 : 1);
                held.accept("sample " + i + " resized");
                held.accept("sample " + i + " alpha dropped");
                return all.load(i);
            }

            @Override
            public void warn(String w) {
                passingThreads.add(Thread.currentThread().getName());
                passedOn.add(w);
            }

            @Override
            public String describe(int i) {
                return all.describe(i);
            }
        };
        project.calibrate(warning, CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add("sample " + i + " resized");
            expected.add("sample " + i + " alpha dropped");
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, passedOn);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(Thread.currentThread().getName()), passingThreads);
    }
}
