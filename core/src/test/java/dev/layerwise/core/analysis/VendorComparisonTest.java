package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VendorComparisonTest {

    static Project project;
    static AnalysisResult result;

    @BeforeAll
    static void analyse() throws Exception {
        project = Project.of(TestModels.smallCnn());
        Calibration cal = project.calibrate(SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)))),
                CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        result = Analyzer.analyze(project.graph(), project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8, Map.of(), Map.of()),
                CalibrationAlgorithm.NORMAL, SampleSource.of(List.of(Map.of("input", TestModels.smallInput(3)))), null, null,
                ProgressListener.NONE);
    }

    static VendorAnalysis fixture(String name) throws Exception {
        try (var in = VendorComparisonTest.class.getResourceAsStream("/toolkit2/" + name)) {
            return VendorAnalysis.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        }
    }

    @Test
    void everyLayerGetsItsVendorNumbersOrABlank() throws Exception {
        VendorComparison c = VendorComparison.of(result, fixture("error_analysis_runtime.txt"), project.graph());
        assertEquals(result.layers().size(), c.lines().size());
        assertEquals(3, c.matched());
        assertNull(c.lines().get(1).vendor(), "Conv_2 has no row in the runtime fixture");
        List<String> csv = c.csv().lines().toList();
        assertEquals(result.layers().size() + 1, csv.size());
        assertTrue(csv.get(0).endsWith("runtime_single_sim_cos,runtime_single_sim_euc"), csv.get(0));
        LayerReport conv4 = result.layer("Conv_4");
        assertEquals(String.format(Locale.ROOT, "2,Conv_4,Conv,asymmetric_affine-u8,%.6f,%.6f,%.6f,%.6f,c4,0.997640,2.087300,"
                + "0.995100,3.015600,0.990170,4.451200,0.996010,2.331000", conv4.individual().cosine(), conv4.individual().euclidean(),
                conv4.entire().cosine(), conv4.entire().euclidean()), csv.get(3));
        assertTrue(csv.get(2).endsWith(",,,,,,,,,"), "a layer without a row has blanks: " + csv.get(2));
        assertEquals(List.of("input"), c.unmatched().stream().map(VendorAnalysis.Row::tensor).toList());
    }

    @Test
    void largestGapsUseTheBoardWhenThereIsOne() throws Exception {
        VendorComparison c = VendorComparison.of(result, fixture("error_analysis_runtime.txt"), project.graph());
        List<VendorComparison.Line> gaps = c.largestGaps(2);
        assertEquals(2, gaps.size());
        for (VendorComparison.Line l : gaps) {
            assertEquals(l.ours().entire().cosine() - l.vendor().runtimeEntire().cos(), l.entireGap(), 1e-12);
        }
        assertTrue(Math.abs(gaps.get(0).entireGap()) >= Math.abs(gaps.get(1).entireGap()));
        VendorComparison sim = VendorComparison.of(result, fixture("error_analysis.txt"), project.graph());
        VendorComparison.Line conv4 = sim.lines().get(2);
        assertEquals(conv4.ours().entire().cosine() - 0.99510, conv4.entireGap(), 1e-12);
    }
}
