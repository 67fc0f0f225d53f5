package dev.layerwise.bridge.run;

import dev.layerwise.core.runtime.TopK;
import dev.layerwise.core.tensor.FloatTensor;
import java.time.Duration;
import java.util.List;

/**
 * What a device run produced. The top-k is computed on the host with {@link TopK#of} from the raw
 * output, exactly as for host runs, so scores compare across sources; it exists only when an
 * output is a class vector ({@link dev.layerwise.core.runtime.Classification#isClassVector}).
 * {@link dev.layerwise.core.compare.OutputCheck#compare} judges every output against the host's.
 * Immutable.
 *
 * @param device serial of the device
 * @param deviceModel model name from discovery, may be {@code null}
 * @param profile profile name
 * @param outputs the model's outputs as the device computed them, in graph order (at least one; a
 *     runner that writes only the first gives one)
 * @param top best classes of the first class-vector output, or {@code null} when no output is one
 * @param log what the runner printed (capped at 1 MiB)
 * @param pushTime time spent pushing and verifying files
 * @param runTime wall time of the runner command on the device (process start included)
 * @param warnings things that did not stop the run
 */
public record DeviceRunResult(String device, String deviceModel, String profile, List<FloatTensor> outputs, TopK top, String log,
        Duration pushTime, Duration runTime, List<String> warnings) {

    public DeviceRunResult {
        warnings = List.copyOf(warnings);
        outputs = List.copyOf(outputs);
    }

    /** The first output. */
    public FloatTensor output() {
        return outputs.get(0);
    }
}
