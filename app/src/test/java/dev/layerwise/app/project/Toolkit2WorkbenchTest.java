package dev.layerwise.app.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.layerwise.app.WindowlessWorkbench;
import dev.layerwise.app.Workbench;
import dev.layerwise.app.cli.SampleModel;
import dev.layerwise.app.common.CurrentThreadTaskRunner;
import dev.layerwise.app.common.Messages;
import dev.layerwise.app.compare.CompareViewModel;
import dev.layerwise.app.engine.CoreEngine;
import dev.layerwise.app.layers.LayersViewModel;
import dev.layerwise.app.layers.VendorViewModel;
import dev.layerwise.app.workspace.WorkspaceViewModel;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.sample.ShuffleNetV2Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The workbench's RKNN-Toolkit2 mode on the sample, without a toolkit: setting, cfg export, vendor analysis, hand-off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Toolkit2WorkbenchTest {

    private final RecordingErrors errors = new RecordingErrors();
    private final CurrentThreadTaskRunner runner = new CurrentThreadTaskRunner();
    private final Messages messages = new Messages(Locale.ENGLISH);
    private ProjectViewModel project;
    private LayersViewModel layers;
    private CompareViewModel compare;
    private WorkspaceViewModel workspace;
    private VendorViewModel vendor;
    private String planted;

    @BeforeAll
    void runTheSampleInToolkit2Mode() {
        Path sample = SampleModel.locate();
        assertNotNull(sample, "sample model not found");
        // the window's view models as the window wires them
        Workbench wb = WindowlessWorkbench.create(new CoreEngine(), runner, errors, messages);
        project = wb.project();
        layers = wb.layers();
        compare = wb.compare();
        workspace = wb.workspace();
        vendor = wb.vendor();
        project.useSample(sample);
        project.typeProperty().set(QuantType.DYNAMIC_FIXED_POINT_I8);
        project.toolkitProperty().set(Toolkit.TOOLKIT2);
        project.run();
        assertEquals(List.of(), errors.messages);
        planted = ShuffleNetV2Sample.PLANTED_LAYERS.iterator().next();
    }

    @Test
    void toolkit2OffersItsTypesAndQuantizesWeightsPerChannel() {
        assertEquals(List.of(QuantType.ASYMMETRIC_AFFINE_U8, QuantType.DYNAMIC_FIXED_POINT_I16), project.typeChoices());
        assertEquals(QuantType.ASYMMETRIC_AFFINE_U8, project.typeProperty().get(), "i8 has no Toolkit2 name: back to w8a8");
        assertTrue(project.result().settings().perChannel());
        assertTrue(project.result().normalPlan().perChannel());
    }

    @Test
    void aFloat16TickIsExportedUnderItsTensorNameInToolkit2Layout(@TempDir Path dir) throws Exception {
        layers.row(planted).typeProperty().set(QuantType.FLOAT16);
        assertEquals(List.of(), errors.messages);
        assertEquals(QuantType.FLOAT16, compare.hybridPlan().typeOf(planted));
        Path cfg = dir.resolve("m.quantization.cfg");
        workspace.exportCfg(cfg);
        QuantConfig c = ConfigFile.read(cfg);
        assertEquals(Toolkit.TOOLKIT2, c.toolkit());
        LayerGraph g = project.result().project().graph();
        assertEquals("float16", c.customizedLayers().get(g.layer(planted).output()), c.customizedLayers().toString());

        List<Path> written = List.of(dir.resolve("rknn/build_rknn.py"));
        workspace.exportRknnScript(dir.resolve("rknn"), "rk3576");
        assertEquals(List.of(), errors.messages);
        assertTrue(Files.exists(written.get(0)));
        String py = Files.readString(written.get(0));
        assertTrue(py.contains("target_platform='rk3576'") && py.contains("quantized_method='channel'"), py);
        QuantConfig picks = ConfigFile.read(dir.resolve("rknn/shufflenetv2_x1.layerwise.quantization.cfg"));
        assertEquals("float16", picks.customizedLayers().get(g.layer(planted).output()));
        assertTrue(workspace.noticeProperty().get().contains("build_rknn.py"), workspace.noticeProperty().get());
        layers.clearPromotions();
    }

    @Test
    void vendorAnalysisCellsMatchByTensorNameAndUnmatchedRowsAreNamed(@TempDir Path dir) throws Exception {
        LayerGraph g = project.result().project().graph();
        String t = g.layer(planted).output();
        Path file = dir.resolve("error_analysis.txt");
        Files.writeString(file, "layer_name   simulator_error   runtime_error\n"
                + "[Input] input   1.00000 | 0.0   1.00000 | 0.0   1.00000 | 0.0   1.00000 | 0.0\n"
                + "[Conv] " + t + "   0.91000 | 9.5   0.95000 | 4.25   0.88000 | 12.0   0.94000 | 5.0\n");
        vendor.load(file, project.result());
        assertEquals(List.of(), errors.messages);
        assertTrue(vendor.loadedProperty().get());
        assertTrue(vendor.hasBoardProperty().get());
        assertEquals(new VendorViewModel.Cells(0.95, 0.91, 0.88, 0.94), vendor.cells(planted));
        assertTrue(Double.isNaN(vendor.cells(g.layers().get(0).name()).simulatorSingle()));
        assertTrue(workspace.noticeProperty().get().contains("1 of " + g.layers().size() + " layers matched")
                && workspace.noticeProperty().get().contains("1 row(s) name no layer: [Input] input"), workspace.noticeProperty().get());
        vendor.clear();
        assertFalse(vendor.loadedProperty().get());
    }

    @Test
    void theToolkitIsSavedInTheWorkspace(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("w.layerwise.yaml");
        workspace.saveWorkspace(file);
        assertTrue(Files.readString(file).contains("toolkit:"), Files.readString(file));
        assertEquals("2", dev.layerwise.app.workspace.Workspace.read(file).toolkit());
    }
}
