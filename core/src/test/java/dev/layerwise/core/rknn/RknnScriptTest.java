package dev.layerwise.core.rknn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.layerwise.core.TestModels;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.quant.TensorRange;
import dev.layerwise.core.quant.WeightQuantizer;
import dev.layerwise.core.runtime.ShapeProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RKNN-Toolkit2 hand-off script. RKNN-Toolkit2 itself is not installable here: the script is
 * compiled with the system's python3 and run against a stand-in {@code rknn.api} module written
 * below that records every call and writes step-1 files as the toolkit's example does.
 */
class RknnScriptTest {

    /** A stand-in for rknn.api.RKNN: records calls to calls.json, writes step-1 outputs. */
    static final String STUB = """
            import json, os
            LOG = os.environ['RKNN_STUB_LOG']

            def _record(name, **kw):
                calls = json.load(open(LOG)) if os.path.exists(LOG) else []
                calls.append({'call': name, 'args': kw})
                json.dump(calls, open(LOG, 'w'))

            class RKNN:
                def __init__(self, verbose=False):
                    _record('RKNN')
                def config(self, **kw):
                    _record('config', **kw)
                def load_onnx(self, model, inputs=None, input_size_list=None):
                    self.model = model
                    _record('load_onnx', model=model, inputs=inputs, input_size_list=input_size_list)
                    return 0
                def build(self, do_quantization=True, dataset=None):
                    _record('build', dataset=dataset)
                    return 0
                def hybrid_quantization_step1(self, dataset=None, proposal=False):
                    _record('hybrid_quantization_step1', dataset=dataset, proposal=proposal)
                    base = os.path.splitext(os.path.basename(self.model))[0]
                    open(base + '.model', 'w').write('m')
                    open(base + '.data', 'w').write('d')
                    with open(base + '.quantization.cfg', 'w') as f:
                        f.write('%YAML 1.2\\n---\\n# vendor comment\\ncustom_quantize_layers: {}\\nquantize_parameters:\\n'
                                '    input:\\n        qtype: i8\\n        dtype: asymmetric_quantized\\n')
                    return 0
                def hybrid_quantization_step2(self, model_input, data_input, model_quantization_cfg):
                    _record('hybrid_quantization_step2', model_input=model_input, data_input=data_input,
                            cfg_text=open(model_quantization_cfg).read())
                    return 0
                def export_rknn(self, path):
                    _record('export_rknn', path=path)
                    open(path, 'w').write('rknn')
                    return 0
                def accuracy_analysis(self, inputs, output_dir=None, target=None, device_id=None):
                    _record('accuracy_analysis', inputs=inputs, target=target, device_id=device_id)
                    return 0
                def release(self):
                    _record('release')
            """;

    static String python() {
        for (String p : List.of("/usr/bin/python3", "python3")) {
            try {
                Process pr = new ProcessBuilder(p, "--version").redirectErrorStream(true).start();
                if (pr.waitFor(20, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return p;
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        return null;
    }

    static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    record Fixture(RknnScript script, QuantConfig picks, Path dir) {
    }

    static Fixture fixture(Path tmp, Map<String, QuantType> picks) throws Exception {
        OnnxModel m = TestModels.smallCnn();
        Path modelFile = tmp.resolve("models").resolve("small cnn's.onnx");
        Files.createDirectories(modelFile.getParent());
        m.save(modelFile);
        LayerGraph graph = ShapeProbe.layerGraph(OnnxModel.load(modelFile));
        Map<String, TensorRange> ranges = new HashMap<>();
        for (String t : graph.quantTensors()) {
            ranges.put(t, new TensorRange(-2f, 3f));
        }
        QuantPlan plan = QuantPlan.create(graph, QuantType.ASYMMETRIC_AFFINE_U8, picks, ranges, Map.of(), new WeightQuantizer(), true);
        QuantConfig cfg = ConfigMapper.toConfig(graph, plan, List.of(), Map.of(), Toolkit.TOOLKIT2);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path img = tmp.resolve("images").resolve("img " + i + ".npy");
            Files.createDirectories(img.getParent());
            Files.writeString(img, "x");
            samples.add(new Sample(tmp.resolve("images").resolve("dataset.txt"), i + 1, List.of(img)));
        }
        RknnScript s = new RknnScript(modelFile, List.of(new RknnScript.InputSize("input", new long[] {1, 3, 16, 16})),
                Preprocessing.parse("123.68,116.28,103.53", "57.38", "2 1 0"), QuantType.ASYMMETRIC_AFFINE_U8, true,
                CalibrationAlgorithm.KL_DIVERGENCE, "RK3588", cfg, samples, List.of(samples.get(0).files().get(0)));
        Path out = tmp.resolve("handoff");
        Files.createDirectories(out);
        s.write(out);
        return new Fixture(s, cfg, out);
    }

    @Test
    void writesTheScriptTheCfgAndTheDatasetAndTheCfgReadsBackEqual(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp, Map.of("Conv_2", QuantType.FLOAT16, "Conv_4", QuantType.DYNAMIC_FIXED_POINT_I16));
        assertEquals(f.picks(), ConfigFile.read(f.dir().resolve("small cnn's.layerwise.quantization.cfg")));
        List<String> lines = Files.readAllLines(f.dir().resolve("dataset.txt"));
        assertEquals(List.of(tmp.resolve("images/img 0.npy").toString(), tmp.resolve("images/img 1.npy").toString()), lines);
        String py = Files.readString(f.dir().resolve("build_rknn.py"));
        assertTrue(py.contains("MODEL = '" + tmp.resolve("models") + "/small cnn\\'s.onnx'"), py);
        assertTrue(py.contains("INPUT_SIZE_LIST = [[1, 3, 16, 16]]"), py);
        assertTrue(py.contains("MEAN_VALUES = [[123.68, 116.28, 103.53]]"), py);
        assertTrue(py.contains("STD_VALUES = [[57.38, 57.38, 57.38]]"), py);
        assertTrue(py.contains("quantized_dtype='w8a8'") && py.contains("quantized_method='channel'")
                && py.contains("quantized_algorithm='kl_divergence'") && py.contains("target_platform='rk3588'")
                && py.contains("quant_img_RGB2BGR=True"), py);
    }

    @Test
    void scriptCompilesWithPython3(@TempDir Path tmp) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 on this machine");
        Fixture f = fixture(tmp, Map.of("Conv_2", QuantType.FLOAT16));
        run(f.dir(), Map.of(), python, "-m", "py_compile", "build_rknn.py");
    }

    @Test
    void scriptDrivesTheToolkitsHybridStepsWithOurPicks(@TempDir Path tmp) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 on this machine");
        Fixture f = fixture(tmp, Map.of("Conv_2", QuantType.FLOAT16, "Conv_8", QuantType.DYNAMIC_FIXED_POINT_I16));
        Path stub = tmp.resolve("stub").resolve("rknn");
        Files.createDirectories(stub);
        Files.writeString(stub.resolve("__init__.py"), "");
        Files.writeString(stub.resolve("api.py"), STUB);
        Path log = tmp.resolve("calls.json");
        run(f.dir(), Map.of("PYTHONPATH", tmp.resolve("stub").toString(), "RKNN_STUB_LOG", log.toString()), python,
                "build_rknn.py", "--target", "rk3588");
        JsonNode calls = new ObjectMapper().readTree(log.toFile());
        List<String> names = new ArrayList<>();
        calls.forEach(c -> names.add(c.get("call").asText()));
        assertEquals(List.of("RKNN", "config", "load_onnx", "hybrid_quantization_step1", "release", "RKNN",
                "hybrid_quantization_step2", "export_rknn", "accuracy_analysis", "release"), names);
        JsonNode config = calls.get(1).get("args");
        assertEquals("w8a8", config.get("quantized_dtype").asText());
        assertEquals("channel", config.get("quantized_method").asText());
        assertEquals(3, config.get("mean_values").get(0).size());
        assertEquals("[[1,3,16,16]]", calls.get(2).get("args").get("input_size_list").toString());
        assertEquals("[\"input\"]", calls.get(2).get("args").get("inputs").toString(), "the graph input's name, in input_size_list's order");
        String cfg = calls.get(6).get("args").get("cfg_text").asText();
        assertTrue(cfg.contains("custom_quantize_layers:\n    'r3': float16\n    'r9': int16\nquantize_parameters:\n    input:"), cfg);
        assertTrue(cfg.startsWith("%YAML 1.2\n---\n# vendor comment\n"), "the rest of the toolkit's cfg is kept:\n" + cfg);
        assertEquals("rk3588", calls.get(8).get("args").get("target").asText());
        assertTrue(Files.exists(f.dir().resolve("small cnn's.rknn")));
    }

    /** Runs the script's read_picks on {@code cfgText}: its exit code and what it printed. */
    static Map.Entry<Integer, String> readPicks(Path tmp, Fixture f, String python, String cfgText) throws Exception {
        Path stub = tmp.resolve("stub").resolve("rknn");
        Files.createDirectories(stub);
        Files.writeString(stub.resolve("__init__.py"), "");
        Files.writeString(stub.resolve("api.py"), STUB);
        Path cfg = tmp.resolve("edited.cfg");
        Files.writeString(cfg, cfgText);
        ProcessBuilder pb = new ProcessBuilder(python, "-c", "import build_rknn, sys; print(build_rknn.read_picks(sys.argv[1]))",
                cfg.toString()).directory(f.dir().toFile()).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", tmp.resolve("stub") + java.io.File.pathSeparator + f.dir());
        pb.environment().put("RKNN_STUB_LOG", tmp.resolve("calls.json").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void handEditedPicksWithWindowsLineEndingsTabsAndCommentsAreRead(@TempDir Path tmp) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 on this machine");
        Fixture f = fixture(tmp, Map.of());
        Map.Entry<Integer, String> r = readPicks(tmp, f, python,
                "%YAML 1.2\r\n---\r\ncustom_quantize_layers:\r\n\tr3: float16   # hurt most\r\n    'r9': int16\r\nquantize_parameters: {}\r\n");
        assertEquals(Map.entry(0, "[('r3', 'float16'), ('r9', 'int16')]"), r);
    }

    @Test
    void picksTheScriptCannotReadStopItNamingTheLineInsteadOfBuildingWithout(@TempDir Path tmp) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 on this machine");
        Fixture f = fixture(tmp, Map.of());
        Map.Entry<Integer, String> flow = readPicks(tmp, f, python, "%YAML 1.2\n---\ncustom_quantize_layers: {r3: float16}\n");
        assertEquals(1, flow.getKey());
        assertTrue(flow.getValue().endsWith("edited.cfg line 3: put each tensor on its own line under custom_quantize_layers:, "
                + "not '{r3: float16}'"), flow.getValue());
        Map.Entry<Integer, String> type = readPicks(tmp, f, python, "custom_quantize_layers:\n    r3: fp16\n");
        assertEquals(1, type.getKey());
        assertTrue(type.getValue().endsWith("edited.cfg line 2: expected \"tensor_name: int8|int16|float16\", found 'r3: fp16'"),
                type.getValue());
    }

    @Test
    void withoutPicksTheScriptBuildsDirectly(@TempDir Path tmp) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, "no python3 on this machine");
        Fixture f = fixture(tmp, Map.of());
        Path stub = tmp.resolve("stub").resolve("rknn");
        Files.createDirectories(stub);
        Files.writeString(stub.resolve("__init__.py"), "");
        Files.writeString(stub.resolve("api.py"), STUB);
        Path log = tmp.resolve("calls.json");
        run(f.dir(), Map.of("PYTHONPATH", tmp.resolve("stub").toString(), "RKNN_STUB_LOG", log.toString()), python,
                "build_rknn.py", "--no-analysis");
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(log.toFile()).forEach(c -> names.add(c.get("call").asText()));
        assertEquals(List.of("RKNN", "config", "load_onnx", "build", "export_rknn", "release"), names);
    }

    @Test
    void dynamicSizesUnknownPlatformsAndUnmodelledTypesAreRefused(@TempDir Path tmp) throws Exception {
        Fixture f = fixture(tmp, Map.of());
        RknnScript s = f.script();
        IllegalArgumentException dyn = assertThrows(IllegalArgumentException.class, () -> new RknnScript(s.model(),
                List.of(new RknnScript.InputSize("input", new long[] {-1, 3, 16, 16})), s.preprocessing(), s.defaultType(),
                true, s.algorithm(), "rk3588", s.picks(), s.dataset(), List.of()));
        assertTrue(dyn.getMessage().contains("input 'input' has a dynamic size"), dyn.getMessage());
        IllegalArgumentException platform = assertThrows(IllegalArgumentException.class, () -> new RknnScript(s.model(),
                s.inputs(), s.preprocessing(), s.defaultType(), true, s.algorithm(), "rk9999", s.picks(), s.dataset(), List.of()));
        assertTrue(platform.getMessage().contains("unknown target platform 'rk9999'"), platform.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RknnScript(s.model(), s.inputs(), s.preprocessing(),
                QuantType.DYNAMIC_FIXED_POINT_I8, true, s.algorithm(), "rk3588", s.picks(), s.dataset(), List.of()));
    }
}
