package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.RealWorldModels;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.quant.QuantGraphBuilder;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.ModelImport;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.task.ProgressListener;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpsetUpgradeTest {

    static Stream<Arguments> oldModels() {
        return Stream.of(
                Arguments.of("opset 7 classifier", RealWorldModels.opset7Classifier()),
                Arguments.of("opset 8 classifier", RealWorldModels.opset8Classifier()),
                Arguments.of("opset 9 detector", RealWorldModels.opset9Detector()),
                Arguments.of("opset 9 NHWC segmenter", RealWorldModels.nhwcSegmenter(32, 48, 5)));
    }

    private static Map<String, FloatTensor> feed(OnnxModel m, long seed) {
        var in = m.graph().getInput(0);
        long[] shape = in.getType().getTensorType().getShape().getDimList().stream().mapToLong(d -> d.getDimValue()).toArray();
        return Map.of(in.getName(), RealWorldModels.input(seed, shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oldModels")
    void upgradedGraphGivesBitIdenticalFloatOutputs(String what, OnnxModel old) throws Exception {
        List<String> warnings = new ArrayList<>();
        OnnxModel up = ModelImport.prepare(old, InputShapes.NONE, warnings::add);
        assertEquals(13, up.defaultOpset());
        assertEquals(List.of(), warnings);
        Set<String> gone = Set.of("Upsample", "ImageScaler");
        for (NodeProto n : up.graph().getNodeList()) {
            assertFalse(gone.contains(n.getOpType()), n.getName());
        }
        // graph optimisations off on both sides: ORT's fusions differ between opsets and would
        // change the summation order, which says nothing about the conversion itself
        var none = ai.onnxruntime.OrtSession.SessionOptions.OptLevel.NO_OPT;
        try (OnnxSession a = OnnxSession.create(old.toBytes(), "old", none);
             OnnxSession b = OnnxSession.create(up.toBytes(), "upgraded", none)) {
            for (long seed = 1; seed <= 3; seed++) {
                Map<String, FloatTensor> before = a.run(feed(old, seed));
                Map<String, FloatTensor> after = b.run(feed(old, seed));
                assertEquals(before.keySet(), after.keySet());
                for (String o : before.keySet()) {
                    assertArrayEquals(before.get(o).shape(), after.get(o).shape(), o);
                    assertArrayEquals(before.get(o).data(), after.get(o).data(), what + " " + o);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oldModels")
    void oldModelsAnalyseAndTheirPerChannelExportRunsInPlainOrt(String what, OnnxModel old) throws Exception {
        Project p = Project.of(old);
        List<Map<String, FloatTensor>> feeds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            feeds.add(feed(old, 10 + i));
        }
        Calibration c = p.calibrate(SampleSource.of(feeds), CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        for (boolean perChannel : new boolean[] {false, true}) {
            QuantPlan plan = p.plan(c, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of(), perChannel);
            ModelProto exported = p.quantizedModel(plan);
            ModelProto analysis = QuantGraphBuilder.analysis(p.graph(), plan);
            try (OnnxSession e = OnnxSession.create(exported.toByteArray(), "export");
                 OnnxSession a = OnnxSession.create(analysis.toByteArray(), "analysis")) {
                Map<String, FloatTensor> fromExport = e.run(feeds.get(0));
                Map<String, FloatTensor> fromAnalysis = a.run(feeds.get(0));
                for (String o : p.graph().outputs()) {
                    float[] x = fromExport.get(o).data();
                    float[] y = fromAnalysis.get(o + QuantGraphBuilder.ENTIRE).data();
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(y[i], x[i], 1e-5f * Math.max(1, Math.abs(y[i])), what + " " + o + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void modelsAtOrAboveTheTargetAreLeftAlone() throws Exception {
        OnnxModel m = OnnxModel.of(TestModels.smallCnn().proto().toBuilder().setOpsetImport(0,
                dev.layerwise.core.onnx.proto.Onnx.OperatorSetIdProto.newBuilder().setVersion(13)).build());
        List<String> warnings = new ArrayList<>();
        assertSame(m, ModelImport.prepare(m, InputShapes.NONE, warnings::add));
        assertTrue(warnings.isEmpty());
    }

    @Test
    void anOperatorWithoutAKnownConversionIsRefusedByNodeAndOp() {
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 3, 8, 8);
        b.op("Crop", "crop_7", List.of("x"), "y", Nodes.attr("border", 1L, 1L, 1L, 1L));
        OnnxModel m = b.output("y").build(8);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(m, InputShapes.NONE, w -> { }));
        assertTrue(e.getMessage().contains("node 'crop_7' (Crop)") && e.getMessage().contains("opset 8"), e.getMessage());
    }

    @Test
    void batchNormalizationWithPerActivationStatisticsIsRefused() {
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 2, 4, 4);
        b.batchNorm("bn_old", "x", 2, "y", Nodes.attr("spatial", 0L));
        OnnxModel m = b.output("y").build(7);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(m, InputShapes.NONE, w -> { }));
        assertTrue(e.getMessage().contains("'bn_old' (BatchNormalization)") && e.getMessage().contains("spatial=0"),
                e.getMessage());
    }

    @Test
    void opsetsBelowSevenAreRefused() {
        TestModels.Builder b = new TestModels.Builder(1).input("x", 1, 2, 4, 4);
        b.op("Relu", "r", List.of("x"), "y");
        OnnxModel m = b.output("y").build(6);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelImport.prepare(m, InputShapes.NONE, w -> { }));
        assertTrue(e.getMessage().contains("opset 6"), e.getMessage());
    }
}
