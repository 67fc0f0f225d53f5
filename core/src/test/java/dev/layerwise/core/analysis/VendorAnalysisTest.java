package dev.layerwise.core.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.task.ProgressListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RKNN-Toolkit2's error_analysis.txt, read from hand-written fixtures and written from our analysis. */
class VendorAnalysisTest {

    static Project project;
    static LayerGraph graph;

    @BeforeAll
    static void load() throws Exception {
        project = Project.of(TestModels.smallCnn());
        graph = project.graph();
    }

    static String fixture(String name) throws Exception {
        try (var in = VendorAnalysisTest.class.getResourceAsStream("/toolkit2/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void simulatorColumnsAndFusedRowsAreRead() throws Exception {
        VendorAnalysis a = VendorAnalysis.parse(fixture("error_analysis.txt"), "error_analysis.txt");
        assertFalse(a.hasRuntime());
        assertEquals(11, a.rows().size());
        VendorAnalysis.Row conv = a.rows().get(4);
        assertEquals("Conv", conv.op());
        assertEquals("r3", conv.tensor());
        assertEquals(new VendorAnalysis.Pair(0.99801, 2.5432), conv.simulatorEntire());
        assertEquals(new VendorAnalysis.Pair(0.99905, 1.6620), conv.simulatorSingle());
        assertNull(conv.runtimeEntire());
        assertEquals(9, conv.line());
        VendorAnalysis.Row fused = a.rows().get(2);
        assertEquals("c0", fused.tensor());
        assertTrue(fused.fused());
        assertEquals(new VendorAnalysis.Pair(1.0, 0.0), a.rows().get(0).simulatorEntire());
    }

    @Test
    void rowsMatchLayersByTensorNameAndTheRestIsListed() throws Exception {
        VendorAnalysis.Match m = VendorAnalysis.parse(fixture("error_analysis.txt"), "e").match(graph);
        assertEquals(List.of("Conv_0", "Conv_2", "Conv_4", "Add_5", "MaxPool_7", "Conv_8", "Gemm_12"),
                List.copyOf(m.byLayer().keySet()));
        // Conv_0's numbers sit on its Relu's row; the Conv row before it is fused
        assertEquals("r1", m.byLayer().get("Conv_0").tensor());
        assertEquals(List.of("input", "input_int8", "not_in_model"), m.unmatched().stream().map(VendorAnalysis.Row::tensor).toList());
    }

    @Test
    void runtimeColumnsFromABoardAreRead() throws Exception {
        VendorAnalysis a = VendorAnalysis.parse(fixture("error_analysis_runtime.txt"), "rt.txt");
        assertTrue(a.hasRuntime());
        VendorAnalysis.Row c4 = a.match(graph).byLayer().get("Conv_4");
        assertEquals(new VendorAnalysis.Pair(0.99510, 3.0156), c4.simulatorEntire());
        assertEquals(new VendorAnalysis.Pair(0.99764, 2.0873), c4.simulatorSingle());
        assertEquals(new VendorAnalysis.Pair(0.99017, 4.4512), c4.runtimeEntire());
        assertEquals(new VendorAnalysis.Pair(0.99601, 2.3310), c4.runtimeSingleSim());
        assertTrue(a.rows().get(1).fused());
    }

    @Test
    void badFilesNameTheLine() {
        ReportFormatException noHeader = assertThrows(ReportFormatException.class,
                () -> VendorAnalysis.parse("Conv_1\tcosine=0.9\n", "x.txt"));
        assertTrue(noHeader.getMessage().startsWith("x.txt: no 'simulator_error' header"), noHeader.getMessage());
        String three = "layer_name  simulator_error\n[Conv] a  0.9 | 1.0  0.8 | 2.0  0.7 | 3.0\n";
        ReportFormatException odd = assertThrows(ReportFormatException.class, () -> VendorAnalysis.parse(three, "y.txt"));
        assertTrue(odd.getMessage().startsWith("y.txt line 2: expected 2 'cos | euc' pairs after '[Conv] a', found 3"),
                odd.getMessage());
        String garbage = "layer_name  simulator_error\n[Conv] a  0.9 | 1.0  0.8 | x\n";
        ReportFormatException bad = assertThrows(ReportFormatException.class, () -> VendorAnalysis.parse(garbage, "z.txt"));
        assertTrue(bad.getMessage().startsWith("z.txt line 2:"), bad.getMessage());
        assertThrows(ReportFormatException.class, () -> VendorAnalysis.read(Path.of("does/not/exist.txt")));
    }

    @Test
    void ourAnalysisWrittenInTheVendorLayoutReadsBackToTheSameNumbers(@TempDir Path dir) throws Exception {
        Calibration cal = project.calibrate(SampleSource.of(List.of(Map.of("input", TestModels.smallInput(1)))),
                CalibrationAlgorithm.NORMAL, QuantType.ASYMMETRIC_AFFINE_U8, 0, ProgressListener.NONE);
        AnalysisResult r = Analyzer.analyze(graph, project.plan(cal, QuantType.ASYMMETRIC_AFFINE_U8,
                Map.of("Conv_4", QuantType.FLOAT16), Map.of()), CalibrationAlgorithm.NORMAL,
                SampleSource.of(List.of(Map.of("input", TestModels.smallInput(5)))), null, null, ProgressListener.NONE);
        VendorAnalysis.write(dir, r, graph);
        String text = Files.readString(dir.resolve("error_analysis.txt"));
        assertTrue(text.startsWith("layer_name"), text);
        assertTrue(text.contains("\n[Conv] c0\n"), "Conv_0's own output is a fused row:\n" + text);
        VendorAnalysis back = VendorAnalysis.read(dir.resolve("error_analysis.txt"));
        VendorAnalysis.Match m = back.match(graph);
        assertEquals(List.of(), m.unmatched());
        assertEquals(graph.layerNames(), List.copyOf(m.byLayer().keySet()));
        for (LayerReport l : r.layers()) {
            VendorAnalysis.Row row = m.byLayer().get(l.name());
            assertEquals(l.entire().cosine(), row.simulatorEntire().cos(), 0.5e-5, l.name());
            assertEquals(l.entire().euclidean(), row.simulatorEntire().euc(), 0.5e-4, l.name());
            assertEquals(l.individual().cosine(), row.simulatorSingle().cos(), 0.5e-5, l.name());
            assertEquals(l.individual().euclidean(), row.simulatorSingle().euc(), 0.5e-4, l.name());
            assertEquals(l.activation() != null ? l.activation() : l.op(), row.op());
        }
    }
}
