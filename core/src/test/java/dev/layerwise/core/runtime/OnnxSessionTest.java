package dev.layerwise.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.tensor.FloatTensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxSessionTest {

    @Test
    void aSessionFromTheModelsProtoRunsAfterItsNativeCopyIsReleasedAndMatchesOneFromBytes() throws Exception {
        OnnxModel model = TestModels.smallCnn();
        Map<String, FloatTensor> feed = Map.of("input", TestModels.smallInput(3));
        float[] fromBytes;
        try (OnnxSession s = OnnxSession.create(model.toBytes(), "bytes", OptLevel.ALL_OPT)) {
            fromBytes = s.run(feed).get("output").data();
        }
        // the serialised model lived in native memory freed when create returned; ORT must not need it
        try (OnnxSession s = OnnxSession.create(model.proto(), "proto", OptLevel.ALL_OPT)) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(fromBytes, s.run(feed).get("output").data());
            }
            assertEquals(10, fromBytes.length);
        }
        assertTrue(NativeMemory.releasesAtOnce(), "JDK 17 on the class path has sun.misc.Unsafe.invokeCleaner");
    }

    @Test
    void aRunReadsAnotherSessionsPinnedOutputsWhereTheyLie() throws Exception {
        OnnxModel model = TestModels.smallCnn();
        dev.layerwise.core.onnx.LayerGraph graph = ShapeProbe.layerGraph(model);
        Map<String, long[]> hidden = Map.of("f11", graph.shapeOf("f11"));
        // the float model up to the flattened features, and the classifier head reading them as an input
        var cut = new dev.layerwise.core.onnx.GraphCut(model.proto(), hidden);
        dev.layerwise.core.onnx.proto.Onnx.ModelProto head = cut.part(java.util.List.of("output"));
        assertEquals(java.util.List.of("f11"), dev.layerwise.core.onnx.GraphCut.inputNames(head));
        Map<String, FloatTensor> feed = Map.of("input", TestModels.smallInput(5));
        try (OnnxSession features = OnnxSession.create(
                new dev.layerwise.core.onnx.GraphCut(model.proto(), Map.of()).part(java.util.List.of("f11")), "features");
             OnnxSession classifier = OnnxSession.create(head, "head");
             OnnxSession whole = OnnxSession.create(model.proto(), "whole");
             OnnxSession.Pinned f = features.pin(hidden);
             OnnxSession.Pinned out = classifier.pin(Map.of("output", new long[] {1, 10}))) {
            features.run(feed, null, f);
            classifier.run(feed, f, out);
            assertArrayEquals(whole.run(feed).get("output").data(), out.copy("output").data());
            // write the features in Java: the next run reads the buffer as it is now, not a copy of before
            float[] zero = new float[16];
            f.buffer("f11").put(0, zero);
            classifier.run(Map.of(), f, out);
            float[] bias = out.copy("output").data();
            float[] expected = new float[10];
            dev.layerwise.core.onnx.proto.Onnx.TensorProto b = model.proto().getGraph().getInitializerList().stream()
                    .filter(t -> t.getName().equals(model.proto().getGraph().getNodeList().stream()
                            .filter(n -> n.getName().equals("Gemm_12")).findFirst().orElseThrow().getInput(2)))
                    .findFirst().orElseThrow();
            System.arraycopy(dev.layerwise.core.onnx.Tensors.toFloat(b).data(), 0, expected, 0, 10);
            assertArrayEquals(expected, bias, "zero features leave the Gemm's bias alone");
        }
    }

    @Test
    void aPinnedSetRunAgainWithOtherInputsGivesEachRunsOwnOutputs() throws Exception {
        OnnxModel model = TestModels.smallCnn();
        try (OnnxSession s = OnnxSession.create(model.proto(), "pinned");
                OnnxSession.Pinned pinned = s.pin(Map.of("output", new long[] {1, 10}))) {
            for (int seed = 20; seed < 24; seed++) {
                Map<String, FloatTensor> feed = Map.of("input", TestModels.smallInput(seed));
                s.run(feed, pinned);
                // the inputs went into the native buffer the set keeps; each run must read its own
                assertArrayEquals(s.run(feed).get("output").data(), pinned.copy("output").data(), "seed " + seed);
            }
        }
    }
}
