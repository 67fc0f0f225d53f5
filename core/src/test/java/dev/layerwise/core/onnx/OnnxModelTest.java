package dev.layerwise.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.onnx.proto.Onnx.GraphProto;
import dev.layerwise.core.onnx.proto.Onnx.ModelProto;
import dev.layerwise.core.onnx.proto.Onnx.NodeProto;
import dev.layerwise.core.onnx.proto.Onnx.StringStringEntryProto;
import dev.layerwise.core.onnx.proto.Onnx.TensorProto;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.ShapeProbe;
import dev.layerwise.core.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelTest {

    @TempDir
    Path dir;

    @Test
    void unknownFieldsSurviveALoadSaveRoundTrip() throws Exception {
        ModelProto base = TestModels.smallCnn().proto();
        // field 25 (functions) on the model and 8 (overload) on a node are outside our schema subset
        UnknownFieldSet modelExtra = UnknownFieldSet.newBuilder()
                .addField(25, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("fn")).build())
                .build();
        UnknownFieldSet nodeExtra = UnknownFieldSet.newBuilder()
                .addField(8, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("ov")).build())
                .build();
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.setNode(0, g.getNode(0).toBuilder().setUnknownFields(nodeExtra));
        ModelProto withExtras = base.toBuilder().setGraph(g).setUnknownFields(modelExtra).build();
        Path in = dir.resolve("m.onnx");
        Files.write(in, withExtras.toByteArray());

        OnnxModel loaded = OnnxModel.load(in);
        Path out = dir.resolve("copy.onnx");
        loaded.save(out);
        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
        NodeProto n = ModelProto.parseFrom(Files.readAllBytes(out)).getGraph().getNode(0);
        assertTrue(n.getUnknownFields().hasField(8));
    }

    @Test
    void theWeightsAreReadWhereTheFileWasReadNotCopied() throws Exception {
        Path in = dir.resolve("m.onnx");
        Files.write(in, TestModels.smallCnn().toBytes());
        OnnxModel m = OnnxModel.load(in);
        TensorProto w = m.graph().getInitializerList().stream().filter(t -> t.getRawData().size() > 64).findFirst().orElseThrow();
        // protobuf's slice of a larger array; a copy would be a ByteString of its own (its class is the only
        // public trace of the difference)
        assertEquals("BoundedByteString", w.getRawData().getClass().getSimpleName());
        assertEquals(TestModels.smallCnn().proto(), m.proto(), "the same model either way");
    }

    @Test
    void saveRefusesToOverwriteTheLoadedFile() throws Exception {
        Path in = dir.resolve("m.onnx");
        Files.write(in, TestModels.smallCnn().toBytes());
        byte[] before = Files.readAllBytes(in);
        OnnxModel m = OnnxModel.load(in);
        IOException e = assertThrows(IOException.class, () -> m.save(in));
        assertTrue(e.getMessage().contains("m.onnx"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void externalDataBesideTheModelIsLoaded() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        OnnxModel m = OnnxModel.load(in);
        FloatTensor input = TestModels.smallInput(3);
        try (OnnxSession ext = OnnxSession.create(m, "ext"); OnnxSession ref = OnnxSession.create(TestModels.smallCnn(), "ref")) {
            assertArrayEquals(ref.run(Map.of("input", input)).get("output").data(),
                    ext.run(Map.of("input", input)).get("output").data());
        }
    }

    @Test
    void externalDataOutsideTheModelFolderIsRefused() throws Exception {
        Path in = writeWithExternalWeights("../weights.bin", "../weights.bin");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(in));
        assertTrue(e.getMessage().contains("outside the model's folder"), e.getMessage());
        assertTrue(e.getMessage().contains(in.toString()), e.getMessage());
    }

    @Test
    void externalDataLinkLeadingOutOfTheModelFolderIsRefused() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        Path inside = in.getParent().resolve("weights.bin");
        Path outside = Files.move(inside, dir.resolve("secret.bin"));
        Files.createSymbolicLink(inside, outside);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(in));
        assertTrue(e.getMessage().startsWith(in + ": tensor '"), e.getMessage());
        assertTrue(e.getMessage().contains("a link to " + outside.toRealPath() + " outside the model's folder"), e.getMessage());
    }

    @Test
    void externalDataLinkWithinTheModelFolderIsFollowed() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        Path inside = in.getParent().resolve("weights.bin");
        Files.move(inside, in.getParent().resolve("real.bin"));
        Files.createSymbolicLink(inside, Path.of("real.bin"));
        assertEquals(TestModels.smallCnn().graph().getInitializerList(), OnnxModel.load(in).graph().getInitializerList());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void externalDataThatIsANamedPipeIsRefusedWithoutBlocking() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        Path data = in.getParent().resolve("weights.bin");
        Files.delete(data);
        dev.layerwise.core.TestFiles.fifo(data);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(in));
        assertTrue(e.getMessage().startsWith(in + ": tensor '"), e.getMessage());
        assertTrue(e.getMessage().contains(data + ": is not a regular file (a named pipe)"), e.getMessage());
    }

    @Test
    void externalTensorOverTwoGibibytesNamesTensorAndFile() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(in));
        GraphProto.Builder g = m.getGraph().toBuilder();
        TensorProto first = g.getInitializer(0);
        g.setInitializer(0, first.toBuilder().clearExternalData()
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("huge.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("2156585002")));
        Files.write(in, m.toBuilder().setGraph(g).build().toByteArray());
        try (var raf = new java.io.RandomAccessFile(in.getParent().resolve("huge.bin").toFile(), "rw")) {
            raf.setLength(2156585002L); // sparse: no disk used, nothing read
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(in));
        assertEquals(in + ": tensor '" + first.getName() + "' holds 2.0 GiB in " + in.getParent().resolve("huge.bin")
                + "; with the rest of the model that is more than the 2 GiB ONNX Runtime takes as one model", e.getMessage());
    }

    @Test
    void inputTooLargeToFeedIsRefusedByNameBeforeAllocating() throws Exception {
        ModelProto base = TestModels.smallCnn().proto();
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.setInput(0, Nodes.valueInfo("input", TensorProto.DataType.FLOAT_VALUE, 1, 3, 100000, 100000));
        Path in = dir.resolve("huge-input.onnx");
        Files.write(in, base.toBuilder().setGraph(g).build().toByteArray());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ShapeProbe.layerGraph(OnnxModel.load(in)));
        assertTrue(e.getMessage().startsWith(in + ": input 'input' is 1x3x100000x100000, 3.00e+10 values (112 GiB as float32)"),
                e.getMessage());
    }

    @Test
    void missingExternalDataFileIsNamed() throws Exception {
        Path in = writeWithExternalWeights("weights.bin", "weights.bin");
        Files.delete(in.getParent().resolve("weights.bin"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(in));
        assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void corruptAndMissingModelsGiveNamedErrors() throws Exception {
        Path missing = dir.resolve("nope.onnx");
        assertTrue(assertThrows(ModelLoadException.class, () -> OnnxModel.load(missing)).getMessage()
                .contains("nope.onnx: model file not found"));
        Path corrupt = dir.resolve("bad.onnx");
        Files.writeString(corrupt, "this is not protobuf at all, just text that goes on");
        String msg = assertThrows(ModelLoadException.class, () -> OnnxModel.load(corrupt)).getMessage();
        assertTrue(msg.startsWith(corrupt.toString()) && msg.contains("not an ONNX model"), msg);
    }

    @Test
    void opOnnxRuntimeCannotRunNamesTheNode() throws Exception {
        ModelProto base = TestModels.smallCnn().proto();
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.setNode(1, g.getNode(1).toBuilder().setOpType("FancyRelu"));
        Path in = dir.resolve("odd.onnx");
        Files.write(in, base.toBuilder().setGraph(g).build().toByteArray());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ShapeProbe.layerGraph(OnnxModel.load(in)));
        assertTrue(e.getMessage().contains("FancyRelu") && e.getMessage().contains("Relu_1"), e.getMessage());
        assertTrue(e.getMessage().contains("odd.onnx"), e.getMessage());
    }

    @Test
    void dynamicBatchRunsWithOneAndOtherDynamicSizesAreRefused() throws Exception {
        ModelProto base = TestModels.smallCnn().proto();
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.setInput(0, Nodes.valueInfo("input", TensorProto.DataType.FLOAT_VALUE, -1, 3, 16, 16));
        LayerGraph ok = ShapeProbe.layerGraph(OnnxModel.of(base.toBuilder().setGraph(g).build()));
        assertArrayEquals(new long[] {1, 3, 16, 16}, ok.inputs().get(0).shape());
        g.setInput(0, Nodes.valueInfo("input", TensorProto.DataType.FLOAT_VALUE, 1, 3, -1, -1));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ShapeProbe.layerGraph(OnnxModel.of(base.toBuilder().setGraph(g).build())));
        assertTrue(e.getMessage().contains("dynamic dimension") && e.getMessage().contains("position 2"), e.getMessage());
    }

    @Test
    void integerGraphOutputsAreSkippedByTheAnalysis() throws Exception {
        ModelProto base = TestModels.smallCnn().proto();
        GraphProto.Builder g = base.getGraph().toBuilder();
        g.addNode(Nodes.node("ArgMax", "ArgMax_99", java.util.List.of("output"), java.util.List.of("class"),
                Nodes.attr("axis", 1L)));
        g.addOutput(0, Nodes.output("class"));
        LayerGraph graph = ShapeProbe.layerGraph(OnnxModel.of(base.toBuilder().setGraph(g).build()));
        assertEquals(java.util.List.of("output"), graph.finalOutputs());
        var cal = dev.layerwise.core.calibration.Calibrator.calibrate(graph,
                dev.layerwise.core.calibration.SampleSource.of(java.util.List.of(Map.of("input", TestModels.smallInput(1)))),
                dev.layerwise.core.calibration.CalibrationAlgorithm.NORMAL, dev.layerwise.core.quant.QuantType.ASYMMETRIC_AFFINE_U8,
                0, dev.layerwise.core.task.ProgressListener.NONE);
        var plan = dev.layerwise.core.quant.QuantPlan.create(graph, dev.layerwise.core.quant.QuantType.ASYMMETRIC_AFFINE_U8,
                Map.of(), cal.ranges(), Map.of(), new dev.layerwise.core.quant.WeightQuantizer());
        var r = dev.layerwise.core.analysis.Analyzer.analyze(graph, plan, dev.layerwise.core.calibration.CalibrationAlgorithm.NORMAL,
                dev.layerwise.core.calibration.SampleSource.of(java.util.List.of(Map.of("input", TestModels.smallInput(2)))), null,
                null, dev.layerwise.core.task.ProgressListener.NONE);
        assertTrue(r.finalMetrics().cosine() > 0.9);
    }

    /** Writes the small CNN with every initializer moved to an external file. */
    private Path writeWithExternalWeights(String fileOnDisk, String location) throws IOException {
        Path folder = dir.resolve("model");
        Files.createDirectories(folder);
        ModelProto base = TestModels.smallCnn().proto();
        GraphProto.Builder g = base.getGraph().toBuilder();
        java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            byte[] raw = t.getRawData().toByteArray();
            int offset = blob.size();
            blob.write(raw);
            g.setInitializer(i, t.toBuilder().clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Integer.toString(offset)))
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Integer.toString(raw.length))));
        }
        Files.write(folder.resolve(fileOnDisk).normalize(), blob.toByteArray());
        Path model = folder.resolve("m.onnx");
        Files.write(model, base.toBuilder().setGraph(g).build().toByteArray());
        assertEquals(g.getInitializerCount(), base.getGraph().getInitializerCount());
        return model;
    }
}
