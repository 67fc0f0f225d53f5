package dev.layerwise.bridge.emulator;

import dev.layerwise.bridge.profile.RunnerProfile;
import dev.layerwise.core.onnx.ModelLoadException;
import dev.layerwise.core.runtime.InferenceException;
import dev.layerwise.core.runtime.OnnxSession;
import dev.layerwise.core.tensor.FloatTensor;
import dev.layerwise.core.tensor.Npy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The emulated device's "NPU": runs what the runner scripts and the benchmark binary would run, with
 * ONNX Runtime in-process. A {@code .rknn} file given to the emulated RKNN runtimes must really be an
 * ONNX model (tests rename one), since the emulator has no NPU.
 */
final class EmulatedRunner {

    /** Marker line in the project's runner scripts naming what they do. */
    static final String MARK = "layerwise-runner:";
    /** Marker a file must contain to act as the {@code rknn_benchmark} binary on the emulator. */
    static final String BENCHMARK_MARK = "layerwise-emulated: rknn_benchmark";

    private final EmulatorConfig config;
    private final Faults faults;

    EmulatedRunner(EmulatorConfig config, Faults faults) {
        this.config = config;
        this.faults = faults;
    }

    int python(List<String> args, Function<String, Path> resolve, String cwd, PrintStream out, PrintStream err)
            throws IOException {
        if (args.isEmpty()) {
            err.print("python3: interactive use is not available on the emulated device\n");
            return 1;
        }
        if (args.get(0).equals("-c")) {
            String code = args.size() > 1 ? args.get(1) : "";
            if (code.contains("find_spec")) {
                out.print(String.join(" ", config.pythonModules().stream().filter(code::contains).sorted().toList()) + "\n");
                return 0;
            }
            for (String m : List.of("onnxruntime", "rknnlite", "numpy")) {
                if (code.contains("import " + m) && !m.equals("numpy") && !config.pythonModules().contains(m)) {
                    err.print("ModuleNotFoundError: No module named '" + m + "'\n");
                    return 1;
                }
            }
            return 0;
        }
        String script = args.get(0);
        Path p = resolve.apply(script);
        if (!Files.isRegularFile(p)) {
            err.print("python3: can't open file '" + script + "': [Errno 2] No such file or directory\n");
            return 2;
        }
        String text = Files.readString(p, StandardCharsets.UTF_8);
        String kind = text.lines().filter(l -> l.contains(MARK)).findFirst()
                .map(l -> l.substring(l.indexOf(MARK) + MARK.length()).strip().split("\\s+")[0]).orElse("");
        String module = switch (kind) {
            case "onnxruntime" -> "onnxruntime";
            case "rknn-lite2" -> "rknnlite";
            default -> null;
        };
        if (module == null) {
            err.print("python3: the emulated device only runs Layerwise runner scripts, not " + script + "\n");
            return 1;
        }
        if (!config.pythonModules().contains(module)) {
            err.print("Traceback (most recent call last):\n  File \"" + script + "\", line 1, in <module>\n"
                    + "ModuleNotFoundError: No module named '" + module + "'\n");
            return 1;
        }
        if (args.size() < 4) {
            err.print("usage: " + script + " MODEL INPUT.npy OUTPUT.npy\n");
            return 2;
        }
        return infer(resolve.apply(args.get(1)), resolve.apply(args.get(2)), resolve.apply(args.get(3)), args.get(1), out, err);
    }

    int executable(Path file, List<String> args, Function<String, Path> resolve, String cwd, PrintStream out, PrintStream err)
            throws IOException {
        byte[] head = Files.readAllBytes(file);
        String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
        if (!text.contains(BENCHMARK_MARK)) {
            err.print("sh: " + file.getFileName() + ": cannot execute binary file on the emulated device\n");
            return 126;
        }
        if (!config.rknnLibrary()) {
            err.print("CANNOT LINK EXECUTABLE: library \"librknnrt.so\" not found\n");
            return 1;
        }
        if (args.size() < 2) {
            err.print("Usage: rknn_benchmark model.rknn input.npy\n");
            return 1;
        }
        return infer(resolve.apply(args.get(0)), resolve.apply(args.get(1)), resolve.apply("rt_output0.npy"), args.get(0), out,
                err);
    }

    private int infer(Path model, Path input, Path output, String modelName, PrintStream out, PrintStream err)
            throws IOException {
        if (faults.garbageOutput()) {
            out.print("\u0000\u00ff@@ segfault?? 3.4.5.6 nan-ish garbage\n");
            Files.write(output, "not an npy file at all".getBytes(StandardCharsets.US_ASCII));
            return 0;
        }
        if (!Files.isRegularFile(model)) {
            err.print("error: model file " + modelName + " not found\n");
            return 1;
        }
        if (!Files.isRegularFile(input)) {
            err.print("error: input file not found\n");
            return 1;
        }
        long t0 = System.nanoTime();
        try (OnnxSession s = OnnxSession.create(Files.readAllBytes(model), modelName)) {
            FloatTensor x = Npy.read(input);
            String inputName = s.inputShapes().keySet().iterator().next();
            Map<String, FloatTensor> y = s.run(Map.of(inputName, x));
            // as the runners do: output 0 in the given file, the others beside it, numbered
            List<FloatTensor> all = List.copyOf(y.values());
            for (int i = 0; i < all.size(); i++) {
                Npy.write(output.resolveSibling(RunnerProfile.outputFileName(output.getFileName().toString(), i)), all.get(i));
            }
            out.print(String.format(Locale.ROOT, "layerwise: inference %.3f ms, output %s float32%n",
                    (System.nanoTime() - t0) / 1e6, String.join(", ", all.stream().map(FloatTensor::shapeText).toList())));
            return 0;
        } catch (ModelLoadException | InferenceException e) {
            err.print("Traceback (most recent call last):\nRuntimeError: " + e.getMessage() + "\n");
            return 1;
        }
    }
}
