package dev.layerwise.app.cli;

import dev.layerwise.sample.ShuffleNetV2Sample;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code generate-sample}: writes the bundled ShuffleNetV2 sample afresh into a folder. Refuses to
 * replace files that are already there unless {@code --force} is given, so a user's own model or
 * dataset of the same name is never overwritten by accident.
 */
public final class GenerateSampleCommand implements CliCommand, OptionSpec {

    @Override
    public String name() {
        return "generate-sample";
    }

    @Override
    public String summary() {
        return "write the sample model, its pictures, dataset.txt and labels.txt into a folder";
    }

    @Override
    public String usage() {
        return """
                usage: layerwise generate-sample -o DIR [--force]
                  -o, --output DIR      folder to write into (created if missing)
                  --force               replace files of the same names already in DIR
                Writes the ShuffleNetV2 x1.0 sample (synthetic seeded weights) as bundled in
                sample-models/shufflenetv2_x1: shufflenetv2_x1.onnx, dog_224x224.png, images/*.png,
                dataset.txt and labels.txt, byte-identical to the bundled copy. Without --force
                nothing is written if any of these files already exists.
                """;
    }

    @Override
    public int maxPositional() {
        return 0;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("output");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args a, PrintStream out, PrintStream err) throws Exception {
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + a.first() + "'; give the folder with -o DIR");
        }
        Path dir = a.path("output");
        if (dir == null) {
            throw new UsageException("missing -o DIR");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not a folder");
        }
        List<String> files = ShuffleNetV2Sample.files();
        if (!a.flag("force")) {
            List<String> present = new ArrayList<>();
            for (String f : files) {
                if (Files.exists(dir.resolve(f))) {
                    present.add(f);
                }
            }
            if (!present.isEmpty()) {
                String named = String.join(", ", present.subList(0, Math.min(3, present.size())))
                        + (present.size() > 3 ? " and " + (present.size() - 3) + " more" : "");
                err.println("layerwise generate-sample: " + dir + " already has " + named
                        + "; nothing written (--force replaces them)");
                return 1;
            }
        }
        ConsoleProgress progress = new ConsoleProgress(err);
        progress.step("generating the sample", () -> {
            ShuffleNetV2Sample.writeAll(dir);
            return null;
        });
        out.println("wrote " + files.size() + " files to " + dir);
        Path model = dir.resolve(ShuffleNetV2Sample.MODEL_FILE);
        out.println("try: layerwise analyze " + model + " --dataset " + dir.resolve(ShuffleNetV2Sample.DATASET_FILE)
                + " --mean " + join(ShuffleNetV2Sample.MEAN) + " --std " + join(ShuffleNetV2Sample.STD) + " -o "
                + dir.resolve("analysis"));
        return 0;
    }

    private static String join(List<Float> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
