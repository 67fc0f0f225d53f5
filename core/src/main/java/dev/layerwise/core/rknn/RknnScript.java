package dev.layerwise.core.rknn;

import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.config.ConfigException;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.config.Toolkit2Layout;
import dev.layerwise.core.config.Toolkit2Types;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hand-off to the real converter: a Python script for the user's own RKNN-Toolkit2 that builds
 * the {@code .rknn} with Layerwise's settings and hybrid picks, plus the picks as a Toolkit2 cfg
 * and the calibration list. The script runs {@code RKNN()}, {@code config(…)}, {@code load_onnx(model, inputs, input_size_list)},
 * then {@code build} (no picks) or {@code hybrid_quantization_step1}, writes the picks into the cfg
 * step 1 produced, {@code hybrid_quantization_step2}, {@code export_rknn} and, unless told not to,
 * {@code accuracy_analysis} (on a board with {@code --target}). Immutable; {@link #write} is atomic
 * per file.
 *
 * @param model the float ONNX model (absolute)
 * @param inputs the model's inputs with the fixed shapes to give {@code input_size_list}
 * @param preprocessing mean, std and channel order (RKNN's config values)
 * @param defaultType the model-wide type (Toolkit2 {@code quantized_dtype})
 * @param perChannel weights per channel ({@code quantized_method=channel})
 * @param algorithm calibration algorithm ({@code quantized_algorithm})
 * @param targetPlatform e.g. {@code rk3588}
 * @param picks the hybrid picks in Toolkit2's layout (may be empty)
 * @param dataset calibration samples; one line per sample in {@code dataset.txt}
 * @param analysisInputs files for {@code accuracy_analysis}, one per model input; empty for none
 */
public record RknnScript(Path model, List<InputSize> inputs, Preprocessing preprocessing, QuantType defaultType, boolean perChannel,
        CalibrationAlgorithm algorithm, String targetPlatform, QuantConfig picks, List<Sample> dataset, List<Path> analysisInputs) {

    /** The script's file name. */
    public static final String SCRIPT = "build_rknn.py";
    /** The calibration list's file name. */
    public static final String DATASET = "dataset.txt";
    /** Platforms RKNN-Toolkit2 builds for (its {@code target_platform} values). */
    public static final Set<String> PLATFORMS = Set.of("rk3588", "rk3576", "rk3566", "rk3568", "rk3562", "rv1106", "rv1103",
            "rv1106b", "rv1103b", "rk2118");

    /**
     * One model input.
     *
     * @param name the ONNX input name
     * @param shape fixed dimensions, all &ge; 1
     */
    public record InputSize(String name, long[] shape) {
    }

    public RknnScript {
        inputs = List.copyOf(inputs);
        dataset = List.copyOf(dataset);
        analysisInputs = List.copyOf(analysisInputs);
        if (picks.toolkit() != Toolkit.TOOLKIT2) {
            throw new IllegalArgumentException("the picks must be in RKNN-Toolkit2's layout");
        }
        targetPlatform = targetPlatform.strip().toLowerCase(Locale.ROOT);
        if (!PLATFORMS.contains(targetPlatform)) {
            throw new IllegalArgumentException("unknown target platform '" + targetPlatform + "'; RKNN-Toolkit2 builds for "
                    + PLATFORMS.stream().sorted().collect(Collectors.joining(", ")));
        }
        for (InputSize in : inputs) {
            for (long d : in.shape()) {
                if (d < 1) {
                    throw new IllegalArgumentException("input '" + in.name() + "' has a dynamic size; fix it (--input-shape) "
                            + "before writing an RKNN script: input_size_list needs every dimension");
                }
            }
        }
        Toolkit2Types.quantizedDtypeName(defaultType);
    }

    /**
     * The hand-off for a loaded model: its inputs' sizes from the graph, {@code picks} (our layer
     * names to types) written under Toolkit2's tensor names ({@code vendorNames} where a cfg gave them).
     *
     * @throws ConfigException when a pick has no Toolkit2 type (float32, dynamic_fixed_point-i8)
     * @throws IllegalArgumentException for a dynamic input size, an unknown platform or a type Toolkit2 lacks
     */
    public static RknnScript of(Project project, Path model, Preprocessing preprocessing, QuantType defaultType, boolean perChannel,
            CalibrationAlgorithm algorithm, String targetPlatform, Map<String, QuantType> picks, Map<String, String> vendorNames,
            List<Sample> dataset, List<Path> analysisInputs) throws ConfigException {
        Map<String, String> names = new LinkedHashMap<>();
        picks.forEach((layer, type) -> names.put(layer, type.configName()));
        QuantConfig t2 = Toolkit2Layout.toToolkit2(new QuantConfig(names, Map.of(), List.of()), project.graph(), vendorNames);
        List<InputSize> sizes = project.graph().inputs().stream().map(i -> new InputSize(i.name(), i.shape())).toList();
        return new RknnScript(model.toAbsolutePath(), sizes, preprocessing, defaultType, perChannel, algorithm, targetPlatform, t2,
                dataset, analysisInputs.stream().map(Path::toAbsolutePath).toList());
    }

    /** The file names written next to the script: {@code {model}.layerwise.quantization.cfg}. */
    public String cfgName() {
        return cfgName(model);
    }

    private static String cfgName(Path model) {
        return baseName(model) + ".layerwise.quantization.cfg";
    }

    /**
     * The files {@link #write} puts in a folder for {@code model}, script first: what a caller
     * checks for before replacing a user's edited cfg.
     */
    public static List<String> fileNames(Path model) {
        return List.of(SCRIPT, cfgName(model), DATASET);
    }

    /** The {@code .rknn} the script exports, named after the model. */
    public String rknnName() {
        return baseName(model) + ".rknn";
    }

    private static String baseName(Path model) {
        String f = model.getFileName().toString();
        return f.toLowerCase(Locale.ROOT).endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    /**
     * Writes the script, the cfg and the dataset list into {@code dir}.
     *
     * @return the three files, script first
     * @throws IOException when a file cannot be written or would replace the model or a dataset file
     */
    public List<Path> write(Path dir) throws IOException {
        Path script = dir.resolve(SCRIPT);
        Path cfg = dir.resolve(cfgName());
        Path list = dir.resolve(DATASET);
        List<Path> inputsUsed = new ArrayList<>(List.of(model));
        dataset.forEach(s -> inputsUsed.addAll(s.files()));
        dataset.forEach(s -> inputsUsed.add(s.datasetFile()));
        for (Path out : List.of(script, cfg, list)) {
            AtomicFiles.requireNotInput(out, inputsUsed.toArray(Path[]::new));
        }
        AtomicFiles.writeString(list, datasetText());
        AtomicFiles.writeString(cfg, ConfigFile.format(picks));
        AtomicFiles.writeString(script, script());
        return List.of(script, cfg, list);
    }

    /** One sample per line, absolute paths (the script may run from elsewhere), inputs separated by spaces. */
    public String datasetText() {
        StringBuilder sb = new StringBuilder();
        for (Sample s : dataset) {
            sb.append(s.files().stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(" "))).append('\n');
        }
        return sb.toString();
    }

    /** Reads back the picks the script will use, as the script reads them. */
    public static QuantConfig readPicks(Path cfg) throws ConfigException {
        return ConfigFile.read(cfg);
    }

    /** The Python script. */
    public String script() {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/usr/bin/env python3\n");
        sb.append("\"\"\"Builds ").append(rknnName()).append(" with RKNN-Toolkit2 and the settings and hybrid picks chosen in Layerwise.\n\n");
        sb.append("Run it where rknn-toolkit2 is installed (x86_64 Linux, Python 3.6-3.12):\n\n");
        sb.append("    python3 ").append(SCRIPT).append("                      # build, then accuracy_analysis on the simulator\n");
        sb.append("    python3 ").append(SCRIPT).append(" --target ").append(targetPlatform)
                .append("     # ... and on a board over adb (adds runtime_error)\n");
        sb.append("    python3 ").append(SCRIPT).append(" --no-analysis        # build only\n\n");
        sb.append("The picks are read from ").append(cfgName()).append(" (custom_quantize_layers: output tensor name: int8,\n");
        sb.append("int16 or float16); edit it to change them. The toolkit's own step-1 files (.model, .data,\n");
        sb.append(".quantization.cfg) and snapshot/ are written next to this script.\n");
        sb.append("\"\"\"\n");
        sb.append("import argparse\nimport glob\nimport os\nimport sys\nimport time\n\n");
        sb.append("from rknn.api import RKNN\n\n");
        sb.append("HERE = os.path.dirname(os.path.abspath(__file__))\n");
        sb.append("MODEL = ").append(py(model.toAbsolutePath().toString())).append('\n');
        sb.append("DATASET = os.path.join(HERE, ").append(py(DATASET)).append(")\n");
        sb.append("PICKS_CFG = os.path.join(HERE, ").append(py(cfgName())).append(")\n");
        sb.append("OUTPUT = os.path.join(HERE, ").append(py(rknnName())).append(")\n");
        // the names pin input_size_list's order to the model's inputs (load_onnx(model, inputs, input_size_list))
        sb.append("INPUTS = ").append(inputs.stream().map(i -> py(i.name())).collect(Collectors.joining(", ", "[", "]"))).append('\n');
        sb.append("INPUT_SIZE_LIST = ").append(inputs.stream().map(i -> java.util.Arrays.stream(i.shape()).mapToObj(Long::toString)
                .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining(", ", "[", "]"))).append('\n');
        sb.append("MEAN_VALUES = ").append(perInput(preprocessing.mean(), preprocessing::meanFor)).append('\n');
        sb.append("STD_VALUES = ").append(perInput(preprocessing.std(), preprocessing::stdFor)).append('\n');
        sb.append("CONFIG = dict(\n");
        sb.append("    quantized_dtype=").append(py(Toolkit2Types.quantizedDtypeName(defaultType))).append(",\n");
        sb.append("    quantized_algorithm=").append(py(algorithm.configName())).append(",\n");
        sb.append("    quantized_method=").append(py(Toolkit2Types.methodName(perChannel))).append(",\n");
        sb.append("    target_platform=").append(py(targetPlatform)).append(",\n");
        if (!preprocessing.isIdentityOrder()) {
            // Layerwise's reorder '2 1 0' swaps the calibration images' channels, as this flag does
            sb.append("    quant_img_RGB2BGR=True,\n");
        }
        sb.append(")\n");
        sb.append("ANALYSIS_INPUTS = [").append(analysisInputs.stream().map(p -> py(p.toAbsolutePath().toString()))
                .collect(Collectors.joining(", "))).append("]\n\n\n");
        sb.append(PYTHON_BODY);
        return sb.toString();
    }

    private String perInput(float[] values, java.util.function.IntToDoubleFunction forChannel) {
        List<String> lists = new ArrayList<>();
        for (InputSize in : inputs) {
            int channels = Math.max(values.length, channels(in.shape()));
            List<String> one = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                one.add(number(forChannel.applyAsDouble(c)));
            }
            lists.add(String.join(", ", one));
        }
        return lists.stream().map(s -> "[" + s + "]").collect(Collectors.joining(", ", "[", "]"));
    }

    /** Channels of an image-like input: NCHW's dim 1 when it is 1, 3 or 4, else NHWC's last; 1 otherwise. */
    static int channels(long[] shape) {
        if (shape.length != 4) {
            return 1;
        }
        return shape[1] == 1 || shape[1] == 3 || shape[1] == 4 ? (int) shape[1] : (int) shape[3];
    }

    private static String number(double d) {
        float f = (float) d;
        return f == Math.rint(f) && Math.abs(f) < 1e7 ? String.format(Locale.ROOT, "%.1f", f) : Float.toString(f);
    }

    /** A Python string literal (single quotes, backslashes and quotes escaped; source is UTF-8). */
    static String py(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    // The fixed part of the script. Python, written for this project; it only uses the standard
    // library and RKNN-Toolkit2's documented API.
    private static final String PYTHON_BODY = """
            def fail(step, ret):
                print('%s failed (returned %s); see the toolkit output above' % (step, ret), file=sys.stderr)
                sys.exit(1)


            def read_picks(path):
                \"\"\"custom_quantize_layers of a cfg as a list of (tensor, type) lines, in file order.\"\"\"
                picks = []
                inside = False
                with open(path, encoding='utf-8') as f:
                    for number, raw in enumerate(f, 1):
                        line = raw.rstrip('\\r\\n')
                        if line.startswith('custom_quantize_layers:'):
                            rest = line.split(':', 1)[1].split(' #', 1)[0].strip()
                            if rest not in ('', '{}'):
                                # a flow mapping would otherwise be read as no picks: a build without them
                                sys.exit('%s line %d: put each tensor on its own line under custom_quantize_layers:, '
                                         'not %r' % (path, number, rest))
                            inside = rest == ''
                            continue
                        if inside:
                            if not line.strip() or line.lstrip().startswith('#'):
                                continue
                            if not line.startswith((' ', '\\t')):
                                break
                            name, _, dtype = line.split(' #', 1)[0].strip().rpartition(': ')
                            dtype = dtype.strip()
                            if not name or dtype not in ('int8', 'int16', 'float16'):
                                sys.exit('%s line %d: expected "tensor_name: int8|int16|float16", found %r'
                                         % (path, number, line.strip()))
                            if name[:1] in ('"', "'") and name[-1:] == name[:1]:
                                name = name[1:-1].replace("''", "'") if name[0] == "'" else name[1:-1]
                            picks.append((name, dtype))
                return picks


            def yaml_key(name):
                return "'" + name.replace("'", "''") + "'"


            def write_picks(cfg, picks):
                \"\"\"Replaces the custom_quantize_layers section of the cfg hybrid_quantization_step1 wrote.\"\"\"
                with open(cfg, encoding='utf-8') as f:
                    lines = f.read().split('\\n')
                section = ['custom_quantize_layers:'] + ['    %s: %s' % (yaml_key(n), t) for n, t in picks]
                if not picks:
                    section = ['custom_quantize_layers: {}']
                out = []
                skipping = False
                placed = False
                for line in lines:
                    if line.startswith('custom_quantize_layers:'):
                        out.extend(section)
                        skipping = placed = True
                        continue
                    if skipping and (line.startswith((' ', '\\t')) or not line.strip()):
                        continue
                    skipping = False
                    if not placed and line.startswith('quantize_parameters:'):
                        out.extend(section)
                        placed = True
                    out.append(line)
                if not placed:
                    out.extend(section)
                tmp = cfg + '.tmp'
                with open(tmp, 'w', encoding='utf-8') as f:
                    f.write('\\n'.join(out))
                os.replace(tmp, cfg)


            def step1_outputs(started):
                \"\"\"The .model, .data and .quantization.cfg hybrid_quantization_step1 just wrote into this folder.\"\"\"
                base = os.path.splitext(os.path.basename(MODEL))[0]
                names = [base + '.model', base + '.data', base + '.quantization.cfg']
                if all(os.path.exists(n) for n in names):
                    return names
                found = []
                for ext in ('.model', '.data', '.quantization.cfg'):
                    fresh = [p for p in glob.glob('*' + ext) if os.path.getmtime(p) >= started - 1
                             and not p.endswith('.layerwise.quantization.cfg')]
                    if len(fresh) != 1:
                        print('cannot tell which *%s hybrid_quantization_step1 wrote: %s' % (ext, fresh or 'none'), file=sys.stderr)
                        sys.exit(1)
                    found.append(fresh[0])
                return found


            def main():
                ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
                ap.add_argument('--target', help='run accuracy_analysis on this board (e.g. rk3588) as well as the simulator')
                ap.add_argument('--device-id', help='adb serial of the board when several are attached')
                ap.add_argument('--no-analysis', action='store_true', help='build and export only')
                args = ap.parse_args()
                os.chdir(HERE)
                picks = read_picks(PICKS_CFG)

                rknn = RKNN(verbose=False)
                rknn.config(mean_values=MEAN_VALUES, std_values=STD_VALUES, **CONFIG)
                ret = rknn.load_onnx(model=MODEL, inputs=INPUTS, input_size_list=INPUT_SIZE_LIST)
                if ret != 0:
                    fail('load_onnx', ret)
                if not picks:
                    ret = rknn.build(do_quantization=True, dataset=DATASET)
                    if ret != 0:
                        fail('build', ret)
                else:
                    started = time.time()
                    ret = rknn.hybrid_quantization_step1(dataset=DATASET, proposal=False)
                    if ret != 0:
                        fail('hybrid_quantization_step1', ret)
                    rknn.release()
                    model_file, data_file, cfg = step1_outputs(started)
                    write_picks(cfg, picks)
                    print('%d layer(s) from %s written into %s' % (len(picks), os.path.basename(PICKS_CFG), cfg))
                    rknn = RKNN(verbose=False)
                    ret = rknn.hybrid_quantization_step2(model_input=model_file, data_input=data_file,
                                                         model_quantization_cfg=cfg)
                    if ret != 0:
                        fail('hybrid_quantization_step2', ret)
                ret = rknn.export_rknn(OUTPUT)
                if ret != 0:
                    fail('export_rknn', ret)
                print('wrote ' + OUTPUT)
                if not args.no_analysis and ANALYSIS_INPUTS:
                    ret = rknn.accuracy_analysis(inputs=ANALYSIS_INPUTS, output_dir=os.path.join(HERE, 'snapshot'),
                                                 target=args.target, device_id=args.device_id)
                    if ret != 0:
                        fail('accuracy_analysis', ret)
                    print('per-layer errors: ' + os.path.join(HERE, 'snapshot', 'error_analysis.txt')
                          + ' (import it in Layerwise: File > Import vendor analysis, or analyze --vendor-analysis)')
                rknn.release()


            if __name__ == '__main__':
                main()
            """;
}
