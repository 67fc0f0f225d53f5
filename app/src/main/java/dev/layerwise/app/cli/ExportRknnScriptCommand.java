package dev.layerwise.app.cli;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit2Types;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.onnx.LayerGraph;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.rknn.RknnScript;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code export-rknn-script}: the hand-off to the user's own RKNN-Toolkit2 — a Python script, the
 * picks as a Toolkit2 cfg and the dataset list that build the {@code .rknn} with the settings and
 * hybrid picks chosen here. Reads the picks without calibrating (the toolkit calibrates itself).
 */
public final class ExportRknnScriptCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "export-rknn-script";
    }

    @Override
    public String summary() {
        return "write a Python script that builds the .rknn with your RKNN-Toolkit2 and these picks";
    }

    @Override
    public String usage() {
        return """
                usage: layerwise export-rknn-script [MODEL] --dataset DATASET.txt -o DIR [options]
                  MODEL                 float ONNX model (default: the bundled sample)
                  --cfg FILE            the hybrid picks: a quantization.cfg of either toolkit (none: no picks, a plain build)
                  --dataset FILE        calibration list for the toolkit (default for the sample: its dataset.txt)
                  --input FILE          image or .npy for accuracy_analysis; repeat per model input (default: the dataset's first)
                  --input-shape N=D,D…  fix a dynamic input's size (input_size_list); repeat per input; D,D… alone
                                for a model with one input
                  --target-platform P   rk3588 (default), rk3576, rk3566, rk3568, rk3562, rv1106, rv1103, rk2118
                  --dtype T             quantized_dtype: w8a8 (default) or w16a16i_dfp (asymmetric_affine-u8 and
                                        dynamic_fixed_point-i16 too)
                  --quantized-method M  channel (default: per-channel weights) or layer
                  --algorithm A         quantized_algorithm: normal (default), kl_divergence, mmse
                  --mean V,V,V          mean_values (default 0; the sample's own for the sample)
                  --std V,V,V           std_values (default 1)
                  --reorder '0 1 2'     '2 1 0' sets quant_img_RGB2BGR
                  --force               replace an earlier script in DIR
                  -o, --output DIR      where build_rknn.py, MODEL.layerwise.quantization.cfg and dataset.txt go
                then, where rknn-toolkit2 is installed: python3 DIR/build_rknn.py [--target rk3588]
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        Set<String> s = new java.util.HashSet<>(Set.of("cfg", "dataset", "input", "target-platform", "dtype", "quantized-method",
                "algorithm", "output", "input-shape"));
        s.addAll(CommonOptions.PREPROCESS);
        return s;
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        Path outDir = a.path("output");
        if (outDir == null) {
            throw new UsageException("missing -o DIR");
        }
        QuantType dtype = Prepared.parse(() -> Toolkit2Types.modelType(a.get("dtype", Toolkit2Types.DEFAULT_DTYPE)));
        boolean perChannel = Prepared.parse(() -> Toolkit2Types.perChannel(a.get("quantized-method", "channel")));
        CalibrationAlgorithm algorithm = Prepared.parse(() -> Toolkit2Types.algorithm(a.get("algorithm", "normal")));
        String platform = a.get("target-platform", "rk3588");
        Path modelFile = CommonOptions.model(a);
        Preprocessing pre = CommonOptions.preprocessing(a, modelFile);
        Path datasetFile = a.path("dataset");
        if (datasetFile == null && SampleModel.isSample(modelFile)) {
            datasetFile = modelFile.getParent().resolve("dataset.txt");
        }
        if (datasetFile == null) {
            throw new UsageException("missing --dataset (the toolkit calibrates with it)");
        }
        Path script = outDir.resolve(RknnScript.SCRIPT);
        Prepared.refuseToReplace(script, a.flag("force"));
        Path cfgFile = a.path("cfg");
        InputShapes shapes = Prepared.parse(() -> InputShapes.parse(a.all("input-shape")));
        Project project = Project.open(modelFile, shapes);
        LayerGraph graph = project.graph();
        List<Sample> dataset = Dataset.load(datasetFile);
        List<Path> analysis = new ArrayList<>();
        for (String f : a.all("input")) {
            analysis.add(Path.of(f).toAbsolutePath());
        }
        if (analysis.isEmpty() && !dataset.isEmpty()) {
            analysis.addAll(dataset.get(0).files());
        }

        Map<String, QuantType> picked = Map.of();
        Map<String, String> vendorNames = Map.of();
        if (cfgFile != null) {
            String text = Files.readString(cfgFile);
            ConfigMapper.Picks picks = ConfigMapper.picks(ConfigFile.parse(text, cfgFile.toString()), graph, dtype, text,
                    cfgFile.toString());
            picked = picks.types();
            vendorNames = picks.vendorNames();
            picks.notes().forEach(n -> err.println("layerwise: " + n));
        }
        RknnScript s;
        try {
            s = RknnScript.of(project, modelFile, pre, dtype, perChannel, algorithm, platform, picked, vendorNames, dataset, analysis);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        QuantConfig t2 = s.picks();
        Files.createDirectories(outDir);
        if (cfgFile != null) {
            AtomicFiles.requireNotInput(outDir.resolve(s.cfgName()), cfgFile);
        }
        List<Path> written = s.write(outDir);
        out.println("RKNN-Toolkit2 hand-off for " + modelFile.getFileName() + " (" + Toolkit2Types.quantizedDtypeName(dtype) + ", "
                + Toolkit2Types.methodName(perChannel) + ", " + algorithm + ", " + s.targetPlatform() + "), "
                + t2.customizedLayers().size() + " hybrid pick(s):");
        t2.customizedLayers().forEach((tensor, type) -> out.println("  " + tensor + ": " + type));
        for (Path p : written) {
            out.println("wrote " + p);
        }
        out.println("next, where rknn-toolkit2 is installed: python3 " + written.get(0) + "   (--target " + s.targetPlatform()
                + " adds the board's runtime_error; builds " + s.rknnName() + ")");
        return 0;
    }
}
