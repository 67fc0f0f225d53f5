package dev.layerwise.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantParams;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigMapperTest {

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

    static HybridSetup apply(String text) throws ConfigException {
        return HybridSetup.of(project, ConfigFile.parse(text, "test.cfg"), text, "test.cfg", QuantType.ASYMMETRIC_AFFINE_U8,
                calibration);
    }

    static String ours() {
        return ConfigFile.format(ConfigMapper.toConfig(project.graph(), normal, List.of(), Map.of()));
    }

    @Test
    void ownCfgReadBackChangesNothing() throws Exception {
        HybridSetup s = apply(ours());
        assertEquals(Map.of(), s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides());
        assertTrue(s.applied().notes().stream().anyMatch(n -> n.contains("match the calibration")), s.applied().notes().toString());
        for (String t : project.graph().quantTensors()) {
            assertEquals(normal.params(t), s.hybrid().params(t), t);
        }
    }

    @Test
    void rangesRecordedInTheCfgEqualTheCalibration() throws Exception {
        QuantConfig c = ConfigFile.parse(ours(), "x");
        assertEquals(calibration.ranges().keySet().stream().sorted().toList(),
                ConfigMapper.ranges(c, project.graph()).keySet().stream().sorted().toList());
        ConfigMapper.ranges(c, project.graph()).forEach((t, r) -> {
            QuantParams p = normal.params(t);
            if (p.type().isQuantized()) {
                assertEquals(p.min(), r.min(), t);
                assertEquals(p.max(), r.max(), t);
            }
        });
    }

    @Test
    void customizedLayersPromoteAndAreWrittenBack() throws Exception {
        String text = ours().replace("customized_quantize_layers: {}",
                "customized_quantize_layers:\n    Conv_4: dynamic_fixed_point-i16\n    Gemm_12: float32");
        HybridSetup s = apply(text);
        assertEquals(Map.of("Conv_4", QuantType.DYNAMIC_FIXED_POINT_I16, "Gemm_12", QuantType.FLOAT32), s.applied().overrides());
        assertEquals(QuantType.DYNAMIC_FIXED_POINT_I16, s.hybrid().params("c4").type());
        assertEquals(QuantType.FLOAT32, s.hybrid().params("output").type());
        QuantConfig back = s.toConfig(project, List.of());
        assertEquals("dynamic_fixed_point-i16", back.customizedLayers().get("Conv_4"));
        assertEquals("dynamic_fixed_point", back.parameters().get("@Conv_4:out0").dtype());
        assertEquals("i16", back.parameters().get("@Conv_4:weight").qtype());
        assertEquals("None", back.parameters().get("@Gemm_12:out0").dtype());
    }

    @Test
    void vendorNamesMapOntoLayersAndAreExportedBack() throws Exception {
        String text = """
                %YAML 1.2
                ---
                customized_quantize_layers:
                    Conv_Conv_4_142: dynamic_fixed_point-i16
                    Gemm_Gemm_12_1: dynamic_fixed_point-i16
                    Flatten_Flatten_11_3_acuity_mark_perm_7: dynamic_fixed_point-i16
                quantize_parameters:
                    '@Conv_Conv_4_142:out0':
                        dtype: asymmetric_affine
                        method: layer
                        max_value:
                        -   6.1823
                        min_value:
                        -   0.0
                        zero_point:
                        -   0
                        scale:
                        -   0.024244
                        qtype: u8
                """;
        HybridSetup s = apply(text);
        assertEquals(List.of("Conv_4", "Gemm_12", "Flatten_11"), List.copyOf(s.applied().overrides().keySet()));
        assertEquals("Conv_Conv_4_142", s.applied().vendorNames().get("Conv_4"));
        assertTrue(s.applied().notes().contains("'Conv_Conv_4_142' mapped to layer Conv_4"), s.applied().notes().toString());
        assertTrue(s.applied().notes().stream().anyMatch(n -> n.startsWith("not applied: @Conv_Conv_4_142:out0")),
                s.applied().notes().toString());
        QuantConfig back = s.toConfig(project, List.of());
        assertEquals(List.of("Conv_Conv_4_142", "Gemm_Gemm_12_1", "Flatten_Flatten_11_3_acuity_mark_perm_7"),
                List.copyOf(back.customizedLayers().keySet()));
    }

    @Test
    void unknownLayerListsTheClosestNamesWithItsLine() {
        String text = "%YAML 1.2\n---\ncustomized_quantize_layers:\n    Conv_5: dynamic_fixed_point-i16\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("test.cfg line 4: no layer named 'Conv_5'"), e.getMessage());
        assertTrue(e.getMessage().contains("closest: Conv_0, Conv_2, Conv_4"), e.getMessage());
    }

    @Test
    void unknownDtypeListsTheAllowedOnes() {
        String text = "customized_quantize_layers:\n    Conv_2: int16\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("unknown dtype 'int16'"), e.getMessage());
        assertTrue(e.getMessage().contains(
                "asymmetric_affine-u8, dynamic_fixed_point-i8, dynamic_fixed_point-i16, float16, float32"), e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String text = "customized_quantize_layers:\n    Nope_1: float32\n    Conv_2: int3\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("Nope_1") && e.getMessage().contains("int3"), e.getMessage());
    }

    @Test
    void handEditedScaleAndZeroPointAreHonoured() throws Exception {
        QuantConfig c = ConfigFile.parse(ours(), "x");
        Map<String, TensorEntry> params = new LinkedHashMap<>(c.parameters());
        TensorEntry t = params.get("@Conv_0:out0");
        params.put("@Conv_0:out0", new TensorEntry(t.dtype(), t.method(), t.maxValue(), t.minValue(), List.of(3L), List.of(0.05),
                t.qtype(), t.fl()));
        String text = ConfigFile.format(new QuantConfig(c.customizedLayers(), params, c.comments()));
        HybridSetup s = apply(text);
        QuantParams p = s.hybrid().params("r1");
        assertEquals(0.05f, p.scale());
        assertEquals(3, p.zeroPoint());
        assertNotEquals(normal.params("r1").scale(), p.scale());
        assertTrue(s.applied().notes().stream().anyMatch(n -> n.startsWith("applied: @Conv_0:out0 hand-edited")));
        // the bias of the consumer follows the new input scale
        assertEquals(0.05f * s.hybrid().weight("Conv_2").params().scale(), s.hybrid().bias("Conv_2").params().scale(), 1e-12);
    }

    @Test
    void handEditedMaxValueRecomputesTheParameters() throws Exception {
        QuantConfig c = ConfigFile.parse(ours(), "x");
        Map<String, TensorEntry> params = new LinkedHashMap<>(c.parameters());
        TensorEntry t = params.get("@Conv_2:out0");
        double newMax = t.maxValue().get(0) / 2;
        params.put("@Conv_2:out0", new TensorEntry(t.dtype(), t.method(), List.of(newMax), t.minValue(), t.zeroPoint(), t.scale(),
                t.qtype(), t.fl()));
        HybridSetup s = apply(ConfigFile.format(new QuantConfig(c.customizedLayers(), params, c.comments())));
        QuantParams p = s.hybrid().params("r3");
        assertEquals((float) newMax, p.max());
        assertEquals(QuantParams.forRange(QuantType.ASYMMETRIC_AFFINE_U8, p.min(), (float) newMax), p);
    }

    @Test
    void handEditedWeightScaleRequantizesTheWeight() throws Exception {
        QuantConfig c = ConfigFile.parse(ours(), "x");
        Map<String, TensorEntry> params = new LinkedHashMap<>(c.parameters());
        TensorEntry t = params.get("@Conv_8:weight");
        params.put("@Conv_8:weight", new TensorEntry(t.dtype(), t.method(), t.maxValue(), t.minValue(), t.zeroPoint(),
                List.of(t.scale().get(0) * 2), t.qtype(), t.fl()));
        HybridSetup s = apply(ConfigFile.format(new QuantConfig(c.customizedLayers(), params, c.comments())));
        assertEquals((float) (t.scale().get(0) * 2), s.hybrid().weight("Conv_8").params().scale());
    }

    @Test
    void dtypeEditedInParametersIsAnErrorPointingToCustomizedLayers() throws Exception {
        QuantConfig c = ConfigFile.parse(ours(), "x");
        Map<String, TensorEntry> params = new LinkedHashMap<>(c.parameters());
        TensorEntry t = params.get("@Conv_2:out0");
        params.put("@Conv_2:out0", new TensorEntry("dynamic_fixed_point", t.method(), t.maxValue(), t.minValue(), List.of(),
                List.of(), "i16", List.of(12L)));
        ConfigException e = assertThrows(ConfigException.class,
                () -> apply(ConfigFile.format(new QuantConfig(c.customizedLayers(), params, c.comments()))));
        assertTrue(e.getMessage().contains("@Conv_2:out0") && e.getMessage().contains("customized_quantize_layers"),
                e.getMessage());
    }

    @Test
    void aCfgWrittenForAHybridPlanReadsBackUnchanged() throws Exception {
        // promotions change neighbours: MaxPool_7 inherits Add_5's type, the input follows Conv_0,
        // Conv_4's bias follows Conv_2's output scale; none of that is a hand edit
        Map<String, QuantType> picks = new LinkedHashMap<>();
        picks.put("Conv_0", QuantType.DYNAMIC_FIXED_POINT_I16);
        picks.put("Conv_2", QuantType.DYNAMIC_FIXED_POINT_I16);
        picks.put("Add_5", QuantType.DYNAMIC_FIXED_POINT_I8);
        QuantPlan hybrid = project.plan(calibration, QuantType.ASYMMETRIC_AFFINE_U8, picks, Map.of());
        String text = ConfigFile.format(ConfigMapper.toConfig(project.graph(), hybrid, List.of(), Map.of()));
        HybridSetup s = apply(text);
        assertEquals(picks, s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides(), s.applied().notes().toString());
        for (String t : project.graph().quantTensors()) {
            assertEquals(hybrid.params(t), s.hybrid().params(t), t);
        }
        for (var l : project.graph().layers()) {
            if (hybrid.bias(l.name()) != null) {
                assertEquals(hybrid.bias(l.name()).params(), s.hybrid().bias(l.name()).params(), l.name());
            }
        }
    }

    @Test
    void stepOneCfgWithNewPicksRecomputesTheirParameters() throws Exception {
        String text = ours().replace("customized_quantize_layers: {}",
                "customized_quantize_layers:\n    Add_5: dynamic_fixed_point-i16");
        HybridSetup s = apply(text);
        assertEquals(Map.of("Add_5", QuantType.DYNAMIC_FIXED_POINT_I16), s.applied().overrides());
        assertEquals(Map.of(), s.applied().paramOverrides());
        assertTrue(s.applied().notes().stream().anyMatch(n -> n.startsWith("recomputed: @MaxPool_7:out0")),
                s.applied().notes().toString());
    }

    @Test
    void theDefaultTypeNamedForALayerChangesNothing() throws Exception {
        HybridSetup s = apply("customized_quantize_layers:\n    MaxPool_7: asymmetric_affine-u8\n");
        assertEquals(Map.of(), s.applied().overrides());
        assertEquals(normal.params("m7"), s.hybrid().params("m7"));
    }

    @Test
    void aKeyGivenTwiceIsAnError() {
        String text = "customized_quantize_layers:\n    Conv_0: dynamic_fixed_point-i16\n    Conv_0: float32\n";
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("Conv_0"), e.getMessage());
    }

    @Test
    void fractionLengthOutOfRangeIsAnError() throws Exception {
        QuantPlan i8 = project.plan(calibration, QuantType.ASYMMETRIC_AFFINE_U8, Map.of("Conv_2", QuantType.DYNAMIC_FIXED_POINT_I8),
                Map.of());
        QuantConfig c = ConfigMapper.toConfig(project.graph(), i8, List.of(), Map.of());
        Map<String, TensorEntry> params = new LinkedHashMap<>(c.parameters());
        TensorEntry t = params.get("@Conv_2:out0");
        params.put("@Conv_2:out0", new TensorEntry(t.dtype(), t.method(), t.maxValue(), t.minValue(), t.zeroPoint(), t.scale(),
                t.qtype(), List.of(300L)));
        String text = ConfigFile.format(new QuantConfig(c.customizedLayers(), params, c.comments()));
        ConfigException e = assertThrows(ConfigException.class, () -> apply(text));
        assertTrue(e.getMessage().contains("fl 300"), e.getMessage());
    }
}
