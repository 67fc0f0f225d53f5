package dev.layerwise.app.cli;

import dev.layerwise.app.cli.Args;
import dev.layerwise.app.cli.CliCommand;
import dev.layerwise.app.cli.OptionSpec;
import dev.layerwise.bridge.device.Step;
import dev.layerwise.bridge.profile.ProfileException;
import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.bridge.run.Bridge;
import dev.layerwise.bridge.run.DeviceWorkflow;
import dev.layerwise.bridge.run.DeviceProgress;
import dev.layerwise.bridge.run.RunRequest;
import dev.layerwise.bridge.run.DeviceRunResult;
import dev.layerwise.core.compare.OutputCheck;
import dev.layerwise.core.io.AtomicFiles;
import dev.layerwise.core.io.OutputSet;
import dev.layerwise.core.io.Printable;
import dev.layerwise.core.onnx.OnnxModel;
import dev.layerwise.core.runtime.Labels;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code device-run}: runs one model on a board with a runner profile and compares every output
 * with the host's ({@link OutputCheck}): top-k beside the host's for class vectors, shape, value
 * range and cosine for the rest.
 */
public final class DeviceRunCommand implements CliCommand, OptionSpec {

    /** The one model's name in the device workflow. */
    private static final String MODEL = "model";

    /** The first output under the name it had before every output was written; scripts read it. */
    static final String FIRST_OUTPUT_FILE = "device_output.npy";

    /** The folder that holds every output the board returned, one {@code .npy} each. */
    static final String OUTPUTS_FOLDER = "device_outputs";

    @Override
    public String name() {
        return "device-run";
    }

    @Override
    public String summary() {
        return "run a model on a board over adb and compare its outputs with the host (top-5 for class vectors)";
    }

    @Override
    public String usage() {
        return """
            usage: layerwise device-run --serial S --profile P MODEL --input IMAGE_OR_NPY [options]
              --serial S         device from 'layerwise devices' (HOST:PORT for network boards,
                                 direct:HOST:PORT to bypass the adb server)
              --profile P        onnxruntime-python, rknn-lite2, rknn-benchmark or a custom profile
              --input FILE       image (.jpg .png .bmp, preprocessed for the host model) or a tensor (.npy)
              --mean, --std, --reorder   image preprocessing, as for analyze
              --file KEY=PATH    a file the profile asks for (rknn-benchmark: --file rknn_benchmark=PATH)
              --labels FILE      class names, one per line
              --top N            classes to show (default 5)
              --host-model ONNX  float model to compare with on the host (default: MODEL when it is .onnx)
              --timeout SEC      limit for the runner (default: the profile's)
              --keep             leave the work folder on the device
              --quiet            no progress lines on stderr
              -o, --output DIR   write every output the board returned as device_outputs/N_NAME.npy (N from 0, in
                                 graph order, NAME the host model's name for it), the first again as
                                 device_output.npy, and top.txt (what was printed) there
            """ + DeviceOptions.USAGE;
    }

    @Override
    public Set<String> valuedOptions() {
        Set<String> s = new java.util.HashSet<>(Set.of("serial", "profile", "input", "file", "labels", "top", "host-model",
                "timeout", "output", "adb", "adb-port", "work-root", "profiles"));
        s.addAll(dev.layerwise.app.cli.CommonOptions.PREPROCESS);
        return s;
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("keep", "quiet");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException(args.positional().isEmpty() ? "missing MODEL" : "give exactly one MODEL");
        }
        Path model = Path.of(args.first());
        String serial = args.require("serial");
        Path inputFile = Path.of(args.require("input"));
        int top = args.intValue("top", 5, 1, Integer.MAX_VALUE);
        args.intValue("timeout", 120, 1, 24 * 3600);
        Map<String, Path> files = new LinkedHashMap<>();
        for (String f : args.all("file")) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--file wants KEY=PATH, got '" + f + "'");
            }
            files.put(f.substring(0, eq), Path.of(f.substring(eq + 1)));
        }
        Bridge bridge = DeviceOptions.bridge(args);
        RunnerProfile profile;
        try {
            profile = bridge.profiles().get(args.require("profile"));
        } catch (ProfileException e) {
            throw new UsageException(e.getMessage());
        }
        Path hostModel = args.get("host-model") != null ? Path.of(args.get("host-model"))
                : model.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx") ? model : null;
        OutputSet outputs = null;
        if (args.get("output") != null) {
            outputs = OutputSet.of(Path.of(args.get("output")), List.of(FIRST_OUTPUT_FILE, OUTPUTS_FOLDER + "/", "top.txt"));
            List<Path> read = new java.util.ArrayList<>(files.values());
            read.addAll(java.util.Arrays.asList(model, inputFile, hostModel, args.path("labels")));
            outputs.refuseInputs(read);
        }
        Labels labels = args.get("labels") == null ? null : Labels.load(Path.of(args.get("labels")));

        OnnxSession host = null;
        FloatTensor input;
        try {
            String inputName = "input";
            long[] shape = null;
            if (hostModel != null) {
                host = OnnxSession.create(OnnxModel.load(hostModel), hostModel.getFileName().toString());
                Map.Entry<String, long[]> first = host.inputShapes().entrySet().iterator().next();
                inputName = first.getKey();
                shape = first.getValue();
            }
            input = InputTensors.load(inputFile, shape, inputName,
                    dev.layerwise.app.cli.CommonOptions.preprocessing(args, hostModel != null ? hostModel : model),
                    new RepeatedWarnings(err));

            RunRequest req = new RunRequest(serial, profile, model, input, files, labels, top,
                    args.get("timeout") == null ? null : Duration.ofSeconds(args.intValue("timeout", 120)), args.flag("keep"));
            DeviceProgress progress = args.flag("quiet") ? DeviceProgress.NONE : new DeviceProgress() {
                @Override
                public void step(Step step, String message) {
                    err.println("[" + step.label() + "] " + Printable.of(message));
                }

                @Override
                public void warning(String message) {
                    err.println("warning: " + Printable.of(message));
                }
            };
            DeviceWorkflow.Outcome outcome;
            try (DeviceWorkflow run = DeviceWorkflow.prepare(List.of(DeviceWorkflow.Model.existing(MODEL, model)),
                    DeviceWorkflow.Progress.NONE, null)) {
                outcome = run.run(bridge::run, req, new DeviceWorkflow.Progress() {
                    @Override
                    public DeviceProgress board(String name, int index, int count) {
                        return progress;
                    }
                }, null);
            }
            if (!outcome.complete()) {
                err.println("layerwise device-run: " + outcome.failure().getMessage());
                return 1;
            }
            DeviceRunResult result = outcome.done().get(MODEL);
            out.println(Printable.of("device " + result.device() + (result.deviceModel() == null ? "" : " (" + result.deviceModel() + ")"))
                    + ", profile " + result.profile() + String.format(Locale.ROOT, ", run %.0f ms", result.runTime().toMillis() * 1.0));
            Map<String, FloatTensor> y = host == null ? Map.of() : host.run(Map.of(inputName, input));
            // every output judged as elsewhere: top-k for class vectors, range and cosine for the rest
            List<OutputCheck> checks = OutputCheck.compare(result.outputs(), y, top, labels);
            StringBuilder report = new StringBuilder();
            for (OutputCheck c : checks) {
                if (checks.size() > 1) {
                    report.append("output ").append(c.summary()).append('\n');
                }
                if (c.classVector()) {
                    report.append(c.top().format());
                    if (c.hostTop() != null) {
                        report.append("host (").append(hostModel.getFileName()).append(", ONNX Runtime):\n");
                        report.append(c.hostTop().format());
                        report.append(compare(c.top(), c.hostTop())).append('\n');
                    }
                } else if (checks.size() == 1) {
                    report.append(c.summary()).append('\n');
                }
            }
            out.print(report);
            if (outputs != null) {
                outputs.writeAndCommit(stage -> {
                    Npy.write(stage.resolve(FIRST_OUTPUT_FILE), result.output());
                    Path all = java.nio.file.Files.createDirectories(stage.resolve(OUTPUTS_FOLDER));
                    for (int i = 0; i < result.outputs().size(); i++) {
                        // checks are in the runner's order; an output the host lacks is named "output N"
                        Npy.write(all.resolve(outputFileName(i, checks.get(i).name())), result.outputs().get(i));
                    }
                    AtomicFiles.writeString(stage.resolve("top.txt"), report.toString());
                    return null;
                });
            }
            return 0;
        } finally {
            if (host != null) {
                host.close();
            }
        }
    }

    /**
     * The file of output {@code index} in {@value #OUTPUTS_FOLDER}: its place first, so that files
     * sort in graph order and two names that become the same file name stay apart.
     */
    static String outputFileName(int index, String name) {
        return index + "_" + NpyDumper.safe(name) + ".npy";
    }

    /** One line: whether top-1 agrees and the largest score difference among the device's top classes. */
    static String compare(TopK device, TopK host) {
        boolean same = device.top1().index() == host.top1().index();
        return String.format(Locale.ROOT, "top-1 %s, top-%d %s, largest score delta %.6f", same ? "agrees" : "DIFFERS",
                device.entries().size(), device.sameOrder(host) ? "same order" : "differs", device.largestDelta(host));
    }
}
