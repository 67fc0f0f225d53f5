package dev.layerwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RKNN-Toolkit2's cfg layout: read, written, and mapped both ways against the small CNN. */
class Toolkit2ConfigTest {

    static Project project;
    static Calibration calibration;
    static QuantPlan normal;

    @BeforeAll
    static void calibrate() throws Exception {
        project = Project.of(TestModels.smallCnn());
        calibration = project.calibrate(SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)),
                Map.of("input", TestModels.smallInput(2)))), CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0,
                ProgressListener.NONE);
        normal = project.plan(calibration, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of());
    }

    static String fixture() throws Exception {
        try (var in = Toolkit2ConfigTest.class.getResourceAsStream("/toolkit2/smallcnn.quantization.cfg")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static HybridSetup apply(String text) throws ConfigException {
        return HybridSetup.of(project, ConfigFile.parse(text, "t2.cfg"), text, "t2.cfg", QuantType.ASYMMETRIC_AFFINE_U8,
                calibration);
    }

    static QuantPlan hybrid(Map<String, QuantType> picks) {
        return project.plan(calibration, QuantType.ASYMMETRIC_AFFINE_U8, picks, Map.of());
    }

    @Test
    void handWrittenToolkit2CfgMapsTensorNamesToLayers() throws Exception {
        QuantConfig c = ConfigFile.parse(fixture(), "t2.cfg");
        assertEquals(Toolkit.TOOLKIT2, c.toolkit());
        assertEquals("float16", c.customizedLayers().get("r9:0"), "a TensorFlow-style ':0' key is one YAML key");
        HybridSetup s = apply(fixture());
        Map<String, QuantType> expected = new LinkedHashMap<>();
        expected.put("Conv_2", QuantType.FLOAT16);   // r3: the output of Conv_2 + Relu_3
        expected.put("Conv_4", QuantType.DYNAMIC_FIXED_POINT_I16);
        expected.put("Conv_8", QuantType.FLOAT16);   // r9:0
        assertEquals(expected, s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides());
        assertEquals(Map.of("Conv_2", "r3", "Conv_4", "c4", "Conv_8", "r9:0"), s.applied().vendorNames());
        assertTrue(s.applied().notes().stream().anyMatch(n -> n.contains("quantize_parameters entries of an RKNN-Toolkit2 cfg")),
                s.applied().notes().toString());
        assertEquals(QuantType.FLOAT16, s.hybrid().params("r3").type());
    }

    @Test
    void importedToolkit2PicksAreWrittenBackUnderTheSameTensorNames() throws Exception {
        HybridSetup s = apply(fixture());
        QuantConfig out = ConfigMapper.toConfig(project.graph(), s.hybrid(), List.of(), s.applied().vendorNames(), Toolkit.TOOLKIT2);
        QuantConfig back = ConfigFile.parse(ConfigFile.format(out), "out.cfg");
        assertEquals(ConfigFile.parse(fixture(), "t2.cfg").customizedLayers(), back.customizedLayers());
        assertEquals(Toolkit.TOOLKIT2, back.toolkit());
    }

    @Test
    void toolkit2PicksExportedForToolkit1UseLayerNames() throws Exception {
        HybridSetup s = apply(fixture());
        QuantConfig t1 = ConfigMapper.toConfig(project.graph(), s.hybrid(), List.of(), s.applied().vendorNames(), Toolkit.TOOLKIT1);
        assertEquals(Map.of("Conv_2", "float16", "Conv_4", "dynamic_fixed_point-i16", "Conv_8", "float16"), t1.customizedLayers());
        assertTrue(ConfigFile.format(t1).contains("customized_quantize_layers:"));
    }

    @Test
    void toolkit1VendorNamesExportForToolkit2AsOutputTensors() throws Exception {
        String t1 = ConfigFile.format(ConfigMapper.toConfig(project.graph(), normal, List.of(), Map.of()))
                .replace("customized_quantize_layers: {}", "customized_quantize_layers:\n    Conv_Conv_4_142: dynamic_fixed_point-i16");
        HybridSetup s = HybridSetup.of(project, ConfigFile.parse(t1, "t1.cfg"), t1, "t1.cfg", QuantType.ASYMMETRIC_AFFINE_U8,
                calibration);
        QuantConfig t2 = ConfigMapper.toConfig(project.graph(), s.hybrid(), List.of(), s.applied().vendorNames(), Toolkit.TOOLKIT2);
        assertEquals(Map.of("c4", "int16"), t2.customizedLayers());
        QuantConfig back1 = ConfigMapper.toConfig(project.graph(), s.hybrid(), List.of(), s.applied().vendorNames(), Toolkit.TOOLKIT1);
        assertEquals(Map.of("Conv_Conv_4_142", "dynamic_fixed_point-i16"), back1.customizedLayers());
    }

    @Test
    void ownToolkit2CfgRoundTripsAndChangesNothing() throws Exception {
        QuantPlan plan = hybrid(Map.of("Conv_2", QuantType.FLOAT16, "Conv_4", QuantType.DYNAMIC_FIXED_POINT_I16));
        QuantConfig written = ConfigMapper.toConfig(project.graph(), plan, List.of("a note"), Map.of(), Toolkit.TOOLKIT2);
        String text = ConfigFile.format(written);
        assertTrue(text.contains("custom_quantize_layers:\n") && text.contains("\n    r3: float16\n")
                && text.contains("\n    c4: int16\n"), text);
        QuantConfig back = ConfigFile.parse(text, "own.cfg");
        assertEquals(written, back);
        // u8 entries are written as Toolkit2's asymmetric int8: the same scale, zero point - 128
        TensorEntry in = back.parameters().get("input");
        assertEquals("asymmetric_quantized", in.dtype());
        assertEquals("i8", in.qtype());
        assertEquals(plan.params("input").zeroPoint() - 128, (long) in.zeroPoint().get(0));
        assertEquals(plan.params("input").scale(), (float) (double) in.scale().get(0));
        assertEquals("float16", back.parameters().get("r3").dtype());

        HybridSetup s = apply(text);
        assertEquals(Map.of("Conv_2", QuantType.FLOAT16, "Conv_4", QuantType.DYNAMIC_FIXED_POINT_I16), s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides(), s.applied().notes().toString());
        for (String t : project.graph().quantTensors()) {
            assertEquals(plan.params(t), s.hybrid().params(t), t);
        }
        assertEquals(ConfigMapper.ranges(ConfigFile.parse(ConfigFile.format(ConfigMapper.toConfig(project.graph(), normal, List.of(),
                Map.of())), "t1"), project.graph()).get("c4"), ConfigMapper.ranges(back, project.graph()).get("c4"));
    }

    @Test
    void handEditedScaleInOwnToolkit2CfgIsApplied() throws Exception {
        QuantConfig written = ConfigMapper.toConfig(project.graph(), normal, List.of(), Map.of(), Toolkit.TOOLKIT2);
        Map<String, TensorEntry> params = new LinkedHashMap<>(written.parameters());
        TensorEntry c4 = params.get("c4");
        params.put("c4", new TensorEntry(c4.dtype(), c4.method(), c4.maxValue(), c4.minValue(), c4.zeroPoint(), List.of(0.5),
                c4.qtype(), c4.fl()));
        String text = ConfigFile.format(new QuantConfig(written.customizedLayers(), params, written.comments(), Toolkit.TOOLKIT2));
        HybridSetup s = apply(text);
        assertEquals(0.5f, s.hybrid().params("c4").scale());
        assertEquals(normal.params("c4").zeroPoint(), s.hybrid().params("c4").zeroPoint(), "zero point - 128 + 128");
    }

    @Test
    void messagesAboutAToolkit2CfgUseItsTensorNamesLinesAndSection() throws Exception {
        QuantConfig written = ConfigMapper.toConfig(project.graph(), normal, List.of(), Map.of(), Toolkit.TOOLKIT2);
        String text = ConfigFile.format(written);
        // the user ticks r3 in the section but leaves the step-1 parameters: they follow the type
        HybridSetup s = apply(text.replace("custom_quantize_layers: {}", "custom_quantize_layers:\n    r3: float16"));
        List<String> notes = s.applied().notes();
        assertTrue(notes.contains("recomputed: r3: now float16 after the type changes in custom_quantize_layers"), notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("@") || n.contains("customized_quantize_layers")), notes.toString());

        // a dtype changed in quantize_parameters instead of the section
        Map<String, TensorEntry> params = new LinkedHashMap<>(written.parameters());
        params.put("c4", new TensorEntry("float16", null, List.of(), List.of(), List.of(), List.of(), "float16", List.of()));
        String edited = ConfigFile.format(new QuantConfig(written.customizedLayers(), params, written.comments(), Toolkit.TOOLKIT2));
        int line = List.of(edited.split("\n")).indexOf("    c4:") + 1;
        ConfigException e = assertThrows(ConfigException.class, () -> apply(edited));
        assertEquals("t2.cfg line " + line + ": c4: dtype 'float16' differs from the layer's " + QuantType.ASYMMETRIC_AFFINE_U8.dtype() + "; change the layer's type in custom_quantize_layers instead", e.getMessage());
    }

    @Test
    void ownToolkit1CfgWithFloat16RoundTrips() throws Exception {
        QuantPlan plan = hybrid(Map.of("Conv_2", QuantType.FLOAT16));
        QuantConfig written = ConfigMapper.toConfig(project.graph(), plan, List.of(), Map.of(), Toolkit.TOOLKIT1);
        QuantConfig back = ConfigFile.parse(ConfigFile.format(written), "own1.cfg");
        assertEquals(written, back);
        assertEquals(Toolkit.TOOLKIT1, back.toolkit());
        HybridSetup s = HybridSetup.of(project, back, ConfigFile.format(written), "own1.cfg", QuantType.ASYMMETRIC_AFFINE_U8,
                calibration);
        assertEquals(Map.of("Conv_2", QuantType.FLOAT16), s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides());
    }

    @Test
    void unknownTensorNamesTheClosestTensorsWithTheLine() {
        String text = "custom_quantize_layers:\n    r4: float16\n    c4: int32\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("t2.cfg line 2: no tensor named 'r4' in the model; closest: r1, r3, r6"),
                e.getMessage());
        assertTrue(e.getMessage().contains("t2.cfg line 3: tensor 'c4': unknown dtype 'int32'; allowed: int8, int16, float16"),
                e.getMessage());
    }

    @Test
    void misspeltTensorNameThatContainsANodeNameIsReportedAsNoTensor() throws Exception {
        // 'r3x' is no tensor; 'Conv_2_r3x' still names layer Conv_2 by its node name
        HybridSetup s = apply("custom_quantize_layers:\n    Conv_2_r3x: float16\n");
        assertEquals(Map.of("Conv_2", QuantType.FLOAT16), s.applied().overrides());
        List<String> notes = s.applied().notes();
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("t2.cfg line 2: no tensor named 'Conv_2_r3x'; it contains the node "
                + "name of layer Conv_2, so that layer takes float16 (closest tensors: ")), notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("fused with its activation")), notes.toString());
    }

    @Test
    void twoTensorsOfOneLayerWithDifferentTypesAreAnError() {
        String text = "custom_quantize_layers:\n    c0: float16\n    r1: int16\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("are both in layer Conv_0"), e.getMessage());
    }

    @Test
    void bothSectionsInOneFileAreRefused() {
        String text = "customized_quantize_layers:\n    Conv_0: float32\ncustom_quantize_layers:\n    r1: float16\n";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.parse(text, "both.cfg"));
        assertTrue(e.getMessage().startsWith("both.cfg line 3: both customized_quantize_layers"), e.getMessage());
    }

    @Test
    void float32PicksCannotBeWrittenForToolkit2() {
        QuantPlan plan = hybrid(Map.of("Gemm_12", QuantType.FLOAT32));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigMapper.toConfig(project.graph(), plan, List.of(), Map.of(), Toolkit.TOOLKIT2));
        assertTrue(e.getMessage().contains("layer Gemm_12: RKNN-Toolkit2 has no float32 layers"), e.getMessage());
    }

    @Test
    void fileWrittenInToolkit2LayoutReadsBackEqual(@TempDir Path dir) throws Exception {
        QuantConfig written = ConfigMapper.toConfig(project.graph(), hybrid(Map.of("Conv_8", QuantType.FLOAT16)), List.of(), Map.of(),
                Toolkit.TOOLKIT2);
        Path f = dir.resolve("m.quantization.cfg");
        ConfigFile.write(f, written);
        assertEquals(written, ConfigFile.read(f));
        assertTrue(Files.readString(f).startsWith("%YAML 1.2\n---\n# " + QuantConfig.TOOLKIT2_COMMENT));
    }
}
