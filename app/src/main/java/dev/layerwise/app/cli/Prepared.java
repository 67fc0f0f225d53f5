package dev.layerwise.app.cli;

import dev.layerwise.app.cli.CliCommand.UsageException;
import dev.layerwise.core.calibration.Calibration;
import dev.layerwise.core.calibration.CalibrationAlgorithm;
import dev.layerwise.core.calibration.SampleSource;
import dev.layerwise.core.analysis.VendorAnalysis;
import dev.layerwise.core.config.ConfigException;
import dev.layerwise.core.config.ConfigFile;
import dev.layerwise.core.config.ConfigMapper;
import dev.layerwise.core.config.QuantConfig;
import dev.layerwise.core.config.Toolkit;
import dev.layerwise.core.config.Toolkit2Layout;
import dev.layerwise.core.config.Toolkit2Types;
import dev.layerwise.core.analysis.Analyzer;
import dev.layerwise.core.engine.AnalysisRun;
import dev.layerwise.core.engine.AnalysisSession;
import dev.layerwise.core.onnx.InputShapes;
import dev.layerwise.core.engine.HybridSetup;
import dev.layerwise.core.engine.Project;
import dev.layerwise.core.analysis.ReportWriter;
import dev.layerwise.core.io.InputFileException;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.quant.QuantPlan;
import dev.layerwise.core.preprocess.Dataset;
import dev.layerwise.core.preprocess.PreprocessException;
import dev.layerwise.core.preprocess.Preprocessing;
import dev.layerwise.core.preprocess.Sample;
import dev.layerwise.core.quant.QuantType;
import dev.layerwise.core.runtime.Labels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the analysing commands share: the model, dataset, inputs, preprocessing, labels, type and
 * algorithm from the command line, and calibration (from the dataset, or from the ranges a
 * Layerwise cfg already records).
 */
final class Prepared {

    /** Options of {@link #from}. */
    static final Set<String> OPTIONS;

    static {
        Set<String> s = new HashSet<>(CommonOptions.PREPROCESS);
        s.addAll(Set.of("dataset", "input", "dtype", "algorithm", "mmse-epoch", "output", "toolkit", "quantized-method",
                "input-shape"));
        OPTIONS = Set.copyOf(s);
    }

    /** {@link #OPTIONS} and a command's own. */
    static Set<String> options(String... extra) {
        Set<String> s = new HashSet<>(OPTIONS);
        s.addAll(List.of(extra));
        return s;
    }

    /** {@link #FLAGS} and a command's own. */
    static Set<String> flags(String... extra) {
        Set<String> s = new HashSet<>(FLAGS);
        s.addAll(List.of(extra));
        return s;
    }

    /** Switches of {@link #from}. */
    static final Set<String> FLAGS = Set.of("per-channel");

    static final String USAGE = """
              MODEL                 float ONNX model (default: the bundled sample)
              --dataset FILE        calibration list, one image or .npy per line (default for the sample: its dataset.txt)
              --input FILE          image or .npy to analyse; repeat for several (default: the dataset's first entry)
              --mean V,V,V          per-channel mean subtracted from 0..255 pixels (default 0)
              --std V,V,V           per-channel divisor (default 1)
              --reorder '0 1 2'     channel order: '0 1 2' keeps RGB, '2 1 0' feeds BGR
              --toolkit 1|2         RKNN-Toolkit (1, default) or RKNN-Toolkit2 (2): cfg layout and names, reports; 2 also
                                    means per-channel weights and float16 as the promotion type unless told otherwise
              --dtype T             asymmetric_affine-u8 (default), dynamic_fixed_point-i8, dynamic_fixed_point-i16;
                                    Toolkit2's w8a8 (= u8) and w16a16i_dfp (= i16); w8a16, w16a16i, w4a16 are refused
              --quantized-method M  channel or layer: weights per output channel or per tensor (Toolkit2's default: channel)
              --algorithm A         normal (default), kl_divergence, mmse
              --mmse-epoch N        refinement rounds for mmse (default 3)
              --labels FILE         class names, one per line (default: labels.txt beside the model)
              --input-shape N=1,3,H,W  fix a dynamic input's size (RKNN's input_size_list); repeat per input;
                                    1,3,H,W without N= when the model has one input
              --per-channel         quantize weights per output channel (RKNN-Toolkit2's default) instead of per tensor
            """;

    final Path modelFile;
    final AnalysisSession session;
    final Project project;
    final Preprocessing preprocessing;
    final List<Sample> dataset;
    final List<Sample> inputs;
    final Labels labels;
    final QuantType dtype;
    final CalibrationAlgorithm algorithm;
    final int mmseEpoch;
    final boolean perChannel;
    final Toolkit toolkit;
    final ConsoleProgress progress;
    final PrintStream err;
    /** The samples' warnings, each kind a few times (the dataset's and the inputs' together). */
    private final RepeatedWarnings warnings;
    /** Every file this run reads: model, dataset list and samples, inputs, labels, cfg (null entries skipped). */
    final List<Path> inputFiles;

    private Prepared(AnalysisSession session, Preprocessing preprocessing, List<Sample> dataset, List<Sample> inputs,
            QuantType dtype, CalibrationAlgorithm algorithm, int mmseEpoch, boolean perChannel, Toolkit toolkit,
            ConsoleProgress progress, PrintStream err, List<Path> inputFiles) {
        this.inputFiles = java.util.Collections.unmodifiableList(inputFiles);
        this.toolkit = toolkit;
        this.session = session;
        this.modelFile = session.modelFile();
        this.project = session.project();
        this.labels = session.labels();
        this.preprocessing = preprocessing;
        this.dataset = dataset;
        this.inputs = inputs;
        this.dtype = dtype;
        this.algorithm = algorithm;
        this.mmseEpoch = mmseEpoch;
        this.perChannel = perChannel;
        this.progress = progress;
        this.err = err;
        this.warnings = new RepeatedWarnings(err);
    }

    /**
     * @param datasetRequired false when a cfg may supply the ranges (then inputs may come from --input alone)
     */
    static Prepared from(Args a, PrintStream err, boolean datasetRequired) throws Exception {
        // ONNX Runtime, and the cfg reader for a command given one, load while the model is read and calibrated
        boolean readsCfg = a.get("cfg") != null;
        Thread warm = new Thread(() -> {
            dev.layerwise.core.runtime.OnnxSession.warmUp();
            ConfigFile.warmUp(readsCfg);
        }, "layerwise-warm-up");
        // a command that fails fast exits while this still starts ONNX Runtime, which then fails to
        // register its own shutdown hook: a warm-up has nothing to report, the real use reports its own
        warm.setUncaughtExceptionHandler((t, e) -> { });
        warm.setDaemon(true);
        warm.setPriority(Thread.MIN_PRIORITY);
        warm.start();
        Path modelFile = CommonOptions.model(a);
        Path datasetFile = a.path("dataset");
        if (datasetFile == null && SampleModel.isSample(modelFile)) {
            datasetFile = modelFile.getParent().resolve("dataset.txt");
        }
        if (datasetFile == null && (datasetRequired || a.all("input").isEmpty())) {
            throw new UsageException("missing --dataset");
        }
        Toolkit toolkit = toolkit(a);
        QuantType dtype = parse(() -> Toolkit2Types.modelType(a.get("dtype", QuantType.ASYMMETRIC_AFFINE_U8.configName())));
        if (!dtype.isInteger()) {
            throw new UsageException("--dtype " + dtype + " quantizes nothing; pick " + QuantType.ASYMMETRIC_AFFINE_U8 + ", "
                    + QuantType.DYNAMIC_FIXED_POINT_I8 + " or " + QuantType.DYNAMIC_FIXED_POINT_I16);
        }
        if (toolkit == Toolkit.TOOLKIT2) {
            parse(() -> Toolkit2Types.quantizedDtypeName(dtype));
        }
        boolean perChannel = a.get("quantized-method") != null
                ? parse(() -> Toolkit2Types.perChannel(a.get("quantized-method")))
                : a.flag("per-channel") || toolkit == Toolkit.TOOLKIT2;
        CalibrationAlgorithm algorithm = parse(() -> CalibrationAlgorithm.parse(a.get("algorithm", "normal")));
        int mmseEpoch = a.intValue("mmse-epoch", AnalysisSession.DEFAULT_MMSE_EPOCHS, 1, 1000);
        Preprocessing pre = CommonOptions.preprocessing(a, modelFile);
        ConsoleProgress progress = new ConsoleProgress(err);
        InputShapes shapes = parse(() -> InputShapes.parse(a.all("input-shape")));
        AnalysisSession session = progress.step("loading " + modelFile,
                () -> AnalysisSession.open(modelFile, a.path("labels"), shapes));
        session.project().warnings().forEach(w -> err.println("layerwise: warning: " + w));
        try {
            session.checkPreprocessing(pre);
        } catch (PreprocessException e) {
            // a --mean, --std or --reorder that does not fit the model is a usage error (exit 2)
            throw new UsageException(e.getMessage());
        }
        List<Sample> dataset = datasetFile == null ? List.of() : Dataset.load(datasetFile);
        List<Sample> inputs = new ArrayList<>();
        for (String f : a.all("input")) {
            if (f.toLowerCase(java.util.Locale.ROOT).endsWith(".txt")) {
                inputs.addAll(Dataset.load(Path.of(f)));
            } else {
                inputs.add(Dataset.single(Path.of(f)));
            }
        }
        if (inputs.isEmpty()) {
            inputs.add(dataset.get(0));
        }
        List<Path> read = new ArrayList<>(List.of(modelFile));
        if (datasetFile != null) {
            read.add(datasetFile);
        }
        a.all("input").forEach(f -> read.add(Path.of(f)));
        dataset.forEach(s -> read.addAll(s.files()));
        inputs.forEach(s -> read.addAll(s.files()));
        read.add(a.path("labels") != null ? a.path("labels") : modelFile.toAbsolutePath().getParent().resolve("labels.txt"));
        read.add(a.path("cfg"));
        read.add(a.path("vendor-analysis"));
        return new Prepared(session, pre, dataset, inputs, dtype, algorithm, mmseEpoch, perChannel, toolkit, progress, err, read);
    }

    /**
     * The files an analysing command writes into {@code outDir} (reports, {@code BASE.SUFFIX.onnx},
     * the cfg, {@code dump/}, Toolkit2's {@code error_analysis.txt} in Toolkit2 mode), refused
     * before any work when one of its inputs lies there under one of those names.
     */
    OutputSet outputs(Path outDir, String modelSuffix, String... more) throws InputFileException {
        List<String> names = new ArrayList<>(ReportWriter.FILES);
        names.addAll(List.of(more));
        names.add(project.model().baseName() + "." + modelSuffix + ".onnx");
        names.add(ConfigFile.fileNameFor(project.model().baseName()));
        names.add("dump/");
        if (toolkit == Toolkit.TOOLKIT2) {
            names.add(VendorAnalysis.FILE_NAME);
        }
        return outputs(outDir, names);
    }

    /** {@code names} in {@code outDir}, refused before any work when an input of this run lies there under one of them. */
    OutputSet outputs(Path outDir, List<String> names) throws InputFileException {
        OutputSet set = OutputSet.of(outDir, names);
        set.refuseInputs(inputFiles);
        return set;
    }

    /** {@code --toolkit}: 1 (default) or 2. */
    static Toolkit toolkit(Args a) throws UsageException {
        return parse(() -> Toolkit.parse(a.get("toolkit", "1")));
    }

    /**
     * A promotion type option ({@code --promote-to}, {@code --suggest-dtype}) in either toolkit's
     * names; by default int16 for RKNN-Toolkit and float16 for RKNN-Toolkit2 (its choice on RK3588-class chips).
     */
    static QuantType promoteType(Args a, String option) throws UsageException {
        String given = a.get(option);
        if (given == null) {
            return toolkit(a) == Toolkit.TOOLKIT2 ? QuantType.FLOAT16 : QuantType.DYNAMIC_FIXED_POINT_I16;
        }
        QuantType t = parse(() -> Toolkit2Types.layerType(given));
        if (toolkit(a) == Toolkit.TOOLKIT2) {
            parse(() -> Toolkit2Types.layerTypeName(t));
        }
        return t;
    }

    /** The plan as a cfg in the chosen toolkit's layout. */
    QuantConfig cfg(QuantPlan plan, List<String> comments, Map<String, String> vendorNames) throws ConfigException {
        return ConfigMapper.toConfig(project.graph(), plan, comments, vendorNames, toolkit);
    }

    /**
     * A cfg that suggests {@code picks} (layer name to type) on top of the normal plan's
     * parameters, as hybrid-step1 and auto-pick write it, in the chosen toolkit's layout.
     */
    QuantConfig suggestions(Map<String, QuantType> picks, QuantPlan normal, List<String> comments) throws ConfigException {
        QuantConfig base = ConfigMapper.toConfig(project.graph(), normal, comments, Map.of());
        Map<String, String> names = new java.util.LinkedHashMap<>();
        picks.forEach((layer, type) -> names.put(layer, type.configName()));
        QuantConfig t1 = new QuantConfig(names, base.parameters(), base.comments());
        return toolkit == Toolkit.TOOLKIT1 ? t1 : Toolkit2Layout.toToolkit2(t1, project.graph(), Map.of());
    }

    /** Where a command writes the model's cfg in {@code outDir}: {@code MODEL.quantization.cfg}. */
    Path cfgIn(Path outDir) {
        return outDir.resolve(ConfigFile.fileNameFor(project.model().baseName()));
    }

    /**
     * Refuses, before any work is done, to replace a cfg that may hold the user's edits, unless
     * {@code force}.
     */
    static void refuseToReplace(Path cfg, boolean force) {
        if (java.nio.file.Files.exists(cfg) && !force) {
            throw new IllegalStateException(cfg + " exists; it may hold your edits. Pass --force to replace it, or choose "
                    + "another -o");
        }
    }

    /** The normal plan: every layer in the chosen type. */
    QuantPlan normalPlan(Calibration cal) {
        return session.normalPlan(cal, dtype, perChannel);
    }

    /** The cfg applied to the calibration. */
    HybridSetup hybrid(Path cfgFile, Calibration cal) throws Exception {
        return session.applyConfig(cfgFile, cal, dtype, perChannel);
    }

    SampleSource samples(List<Sample> s) {
        return session.samples(s, preprocessing, warnings);
    }

    Calibration calibrate() throws Exception {
        if (dataset.isEmpty()) {
            throw new UsageException("missing --dataset (needed to calibrate)");
        }
        try {
            return session.calibrate(dataset, preprocessing, algorithm, dtype, mmseEpoch, warnings, progress);
        } finally {
            // a command calibrates once: the session kept for a next calibration would only add to the analysis's memory
            session.project().releaseCalibrationSession();
        }
    }

    /** Analyses {@code plan} on the inputs. */
    AnalysisRun analyse(Calibration cal, QuantPlan plan, Analyzer.TensorSink sink) throws Exception {
        return session.analyse(cal, plan, algorithm, samples(inputs), sink, false, progress);
    }

    /**
     * A cfg applied, for the commands that take one: the ranges recorded in a Layerwise cfg when it
     * holds all of them and no dataset forces a new calibration, otherwise a calibration on the
     * dataset; then both plans.
     */
    Hybrid applyConfig(Path cfgFile) throws Exception {
        Calibration recorded = session.recordedRanges(cfgFile, algorithm);
        Calibration cal = recorded != null && dataset.isEmpty() ? recorded : calibrate();
        return new Hybrid(cfgFile, cal, hybrid(cfgFile, cal));
    }

    /** A cfg file, the calibration it was applied to, and the result. */
    record Hybrid(Path cfgFile, Calibration calibration, HybridSetup setup) {
    }

    /** The required {@code --cfg}. */
    static Path cfg(Args a) throws UsageException {
        Path cfgFile = a.path("cfg");
        if (cfgFile == null) {
            throw new UsageException("missing --cfg");
        }
        return cfgFile;
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse();
    }

    static <T> T parse(Parser<T> p) throws UsageException {
        try {
            return p.parse();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
